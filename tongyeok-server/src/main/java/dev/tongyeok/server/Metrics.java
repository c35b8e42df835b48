package dev.tongyeok.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics, on a registry of its own (so several servers in one JVM, as in
 * the tests, do not mix their counts). Route labels are the route patterns, never raw paths, to keep
 * the number of series bounded.
 */
final class Metrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    final Counter requests = Counter.builder().name("tongyeok_http_requests_total")
            .help("HTTP requests answered, by route and status code").labelNames("route", "status").register(registry);
    final Histogram latency = Histogram.builder().name("tongyeok_http_request_duration_seconds")
            .help("Time from the request's arrival to its answer").labelNames("route").classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
    final Gauge inFlight = Gauge.builder().name("tongyeok_requests_in_flight")
            .help("Embedding requests being served now").register(registry);
    final Counter inputs = Counter.builder().name("tongyeok_inputs_total")
            .help("Inputs embedded, by model").labelNames("model").register(registry);
    final Counter tokens = Counter.builder().name("tongyeok_tokens_total")
            .help("Tokens run through the encoder, by model; rate() gives tokens per second").labelNames("model")
            .register(registry);
    final Counter truncated = Counter.builder().name("tongyeok_truncated_inputs_total")
            .help("Inputs cut to the token limit, by model").labelNames("model").register(registry);
    final Histogram batchInputs = Histogram.builder().name("tongyeok_batch_inputs")
            .help("Inputs per encoder pass of the dynamic batcher").labelNames("model").classicOnly()
            .classicExponentialUpperBounds(1, 2, 12).register(registry);
    final Histogram batchTokens = Histogram.builder().name("tongyeok_batch_tokens")
            .help("Tokens per encoder pass of the dynamic batcher").labelNames("model").classicOnly()
            .classicExponentialUpperBounds(16, 2, 12).register(registry);
    final Histogram batchSeconds = Histogram.builder().name("tongyeok_batch_duration_seconds")
            .help("Time of one encoder pass of the dynamic batcher").labelNames("model").classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);

    private final java.util.Map<String, IntSupplier> queues = new java.util.concurrent.ConcurrentHashMap<>();

    {
        GaugeWithCallback.builder().name("tongyeok_queue_inputs")
                .help("Inputs waiting for an encoder pass, by model").labelNames("model")
                .callback(cb -> queues.forEach((model, depth) -> cb.call(depth.getAsInt(), model))).register(registry);
    }

    /** Registers the queue depth of a model's batcher, read at each scrape. */
    void queue(String model, IntSupplier depth) {
        queues.put(model, depth);
    }

    /** The Prometheus text exposition of every metric. */
    byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }

    String contentType() {
        return writer.getContentType();
    }
}
