package dev.tongyeok.server;

import java.time.Duration;
import java.util.List;

/**
 * How the server listens, batches and limits. {@link #DEFAULTS} holds the values {@code tongyeok
 * serve} starts with; the {@code with…} methods change one.
 *
 * @param host the address to bind; 127.0.0.1 keeps the server private to this machine
 * @param port the port; 0 picks a free one
 * @param maxBatchTokens the most tokens one encoder pass of the dynamic batcher carries
 * @param batching whether concurrent requests share encoder passes; without it each request runs
 *     its own pass on its own thread (a baseline for benchmarks)
 * @param maxClientBatchSize the most inputs one request may carry
 * @param maxInputTokens the most tokens one input may have, special tokens included; 0 for each
 *     model's own limit
 * @param autoTruncate cut longer inputs instead of refusing them, when the request does not say
 * @param maxBodyBytes the largest request body
 * @param maxConcurrentRequests embedding requests in flight at once; more are answered 429
 * @param requestTimeout how long a request may wait for its vectors
 * @param drainTimeout how long shutdown waits for requests in flight
 * @param apiKey the key clients must send as {@code Authorization: Bearer …}, or null for none
 * @param corsOrigins origins allowed to call from a browser ({@code *} for any); empty for none
 * @param maxInspectTokens the most tokens {@code /inspect} takes
 */
public record ServerOptions(String host, int port, int maxBatchTokens, boolean batching, int maxClientBatchSize,
        int maxInputTokens, boolean autoTruncate, long maxBodyBytes, int maxConcurrentRequests,
        Duration requestTimeout, Duration drainTimeout, String apiKey, List<String> corsOrigins,
        int maxInspectTokens) {

    /** 127.0.0.1:8080, batches of 16,384 tokens, 256 inputs per request, 2 MB bodies, 512 requests. */
    public static final ServerOptions DEFAULTS = new ServerOptions("127.0.0.1", 8080, 16_384, true, 256, 0, false,
            2_000_000, 512, Duration.ofSeconds(60), Duration.ofSeconds(30), null, List.of(), 128);

    /**
     * @throws IllegalArgumentException when a limit is out of range
     */
    public ServerOptions {
        positive("--max-batch-tokens", maxBatchTokens);
        positive("--max-client-batch-size", maxClientBatchSize);
        positive("--max-concurrent-requests", maxConcurrentRequests);
        positive("--max-inspect-tokens", maxInspectTokens);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
        }
        if (maxInputTokens < 0) {
            throw new IllegalArgumentException("--max-input-tokens must be >= 0, got " + maxInputTokens);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--max-body-size must be in [1, 2 GiB), got " + maxBodyBytes);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
        corsOrigins = List.copyOf(corsOrigins);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    public ServerOptions withHost(String v) {
        return new ServerOptions(v, port, maxBatchTokens, batching, maxClientBatchSize, maxInputTokens, autoTruncate,
                maxBodyBytes, maxConcurrentRequests, requestTimeout, drainTimeout, apiKey, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withPort(int v) {
        return new ServerOptions(host, v, maxBatchTokens, batching, maxClientBatchSize, maxInputTokens, autoTruncate,
                maxBodyBytes, maxConcurrentRequests, requestTimeout, drainTimeout, apiKey, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withMaxBatchTokens(int v) {
        return new ServerOptions(host, port, v, batching, maxClientBatchSize, maxInputTokens, autoTruncate,
                maxBodyBytes, maxConcurrentRequests, requestTimeout, drainTimeout, apiKey, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withBatching(boolean v) {
        return new ServerOptions(host, port, maxBatchTokens, v, maxClientBatchSize, maxInputTokens, autoTruncate,
                maxBodyBytes, maxConcurrentRequests, requestTimeout, drainTimeout, apiKey, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withMaxClientBatchSize(int v) {
        return new ServerOptions(host, port, maxBatchTokens, batching, v, maxInputTokens, autoTruncate,
                maxBodyBytes, maxConcurrentRequests, requestTimeout, drainTimeout, apiKey, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withMaxInputTokens(int v) {
        return new ServerOptions(host, port, maxBatchTokens, batching, maxClientBatchSize, v, autoTruncate,
                maxBodyBytes, maxConcurrentRequests, requestTimeout, drainTimeout, apiKey, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withAutoTruncate(boolean v) {
        return new ServerOptions(host, port, maxBatchTokens, batching, maxClientBatchSize, maxInputTokens, v,
                maxBodyBytes, maxConcurrentRequests, requestTimeout, drainTimeout, apiKey, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withMaxBodyBytes(long v) {
        return new ServerOptions(host, port, maxBatchTokens, batching, maxClientBatchSize, maxInputTokens, autoTruncate,
                v, maxConcurrentRequests, requestTimeout, drainTimeout, apiKey, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withMaxConcurrentRequests(int v) {
        return new ServerOptions(host, port, maxBatchTokens, batching, maxClientBatchSize, maxInputTokens, autoTruncate,
                maxBodyBytes, v, requestTimeout, drainTimeout, apiKey, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withRequestTimeout(Duration v) {
        return new ServerOptions(host, port, maxBatchTokens, batching, maxClientBatchSize, maxInputTokens, autoTruncate,
                maxBodyBytes, maxConcurrentRequests, v, drainTimeout, apiKey, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withDrainTimeout(Duration v) {
        return new ServerOptions(host, port, maxBatchTokens, batching, maxClientBatchSize, maxInputTokens, autoTruncate,
                maxBodyBytes, maxConcurrentRequests, requestTimeout, v, apiKey, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withApiKey(String v) {
        return new ServerOptions(host, port, maxBatchTokens, batching, maxClientBatchSize, maxInputTokens, autoTruncate,
                maxBodyBytes, maxConcurrentRequests, requestTimeout, drainTimeout, v, corsOrigins, maxInspectTokens);
    }

    public ServerOptions withCorsOrigins(List<String> v) {
        return new ServerOptions(host, port, maxBatchTokens, batching, maxClientBatchSize, maxInputTokens, autoTruncate,
                maxBodyBytes, maxConcurrentRequests, requestTimeout, drainTimeout, apiKey, v, maxInspectTokens);
    }

    public ServerOptions withMaxInspectTokens(int v) {
        return new ServerOptions(host, port, maxBatchTokens, batching, maxClientBatchSize, maxInputTokens, autoTruncate,
                maxBodyBytes, maxConcurrentRequests, requestTimeout, drainTimeout, apiKey, corsOrigins, v);
    }

    /** Keeps the API key out of logs. */
    @Override
    public String toString() {
        return "ServerOptions[" + host + ":" + port + ", maxBatchTokens=" + maxBatchTokens + ", batching=" + batching
                + ", maxClientBatchSize=" + maxClientBatchSize + ", maxInputTokens=" + maxInputTokens
                + ", autoTruncate=" + autoTruncate + ", maxBodyBytes=" + maxBodyBytes + ", maxConcurrentRequests="
                + maxConcurrentRequests + ", requestTimeout=" + requestTimeout + ", apiKey="
                + (apiKey == null ? "none" : "set") + ", corsOrigins=" + corsOrigins + "]";
    }
}
