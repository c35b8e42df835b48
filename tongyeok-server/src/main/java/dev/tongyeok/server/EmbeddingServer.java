package dev.tongyeok.server;

import dev.tongyeok.embed.Embedder;
import dev.tongyeok.search.SearchIndex;
import dev.tongyeok.tokenize.Tokenizer;
import dev.tongyeok.tokenize.json.TokenizerJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The embedding server: OpenAI's {@code POST /v1/embeddings}, text-embeddings-inference's
 * {@code /embed}, {@code /embed_all}, {@code /tokenize}, {@code /decode}, {@code /info},
 * {@code /health}, Ollama's {@code POST /api/embed}, {@code POST /inspect} and {@code GET /metrics}.
 *
 * <pre>{@code
 * try (EmbeddingServer s = EmbeddingServer.start(ServerOptions.DEFAULTS.withPort(0),
 *         List.of(ModelSource.of("all-minilm-l6-v2")))) {
 *     s.awaitReady();
 *     System.out.println("listening on " + s.port());
 * }
 * }</pre>
 *
 * <p>The port is bound at once; models load in the background and {@code /health} answers 503
 * until they are ready. {@link #close()} stops taking requests, lets those in flight finish (up to
 * the drain timeout), then stops.
 */
public final class EmbeddingServer implements AutoCloseable {
    /** A model to serve: the name clients use in {@code model}, and the SPEC to load. */
    public record ModelSource(String name, String spec) {
        /** Serves {@code spec} under its own name. */
        public static ModelSource of(String spec) {
            return new ModelSource(spec, spec);
        }

        /**
         * Parses a command-line value: {@code SPEC}, or {@code NAME=SPEC} to serve it under another name.
         */
        public static ModelSource parse(String value) {
            int eq = value.indexOf('=');
            if (eq > 0 && !value.substring(0, eq).contains("/")) {
                return new ModelSource(value.substring(0, eq), value.substring(eq + 1));
            }
            return of(value);
        }
    }

    private final Server jetty;
    private final ServerConnector connector;
    private final ServedModels served = new ServedModels();
    private final SearchRoute searchRoute = new SearchRoute(served);
    private final Metrics metrics = new Metrics();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private volatile Map<String, ServedModel> models = Map.of();
    private volatile SearchIndex search;

    private EmbeddingServer(ServerOptions options, List<ModelSource> sources, List<ModelSource> tokenizers,
            Path index) throws IOException {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no model to serve");
        }
        Map<String, String> seen = new LinkedHashMap<>();
        for (ModelSource s : sources) {
            if (seen.put(s.name(), s.spec()) != null) {
                throw new IllegalArgumentException("model name '" + s.name() + "' is given twice; serve the second "
                        + "under another name with --model NAME=SPEC");
            }
        }
        for (ModelSource s : tokenizers) {
            if (seen.put(s.name(), s.spec()) != null) {
                throw new IllegalArgumentException("name '" + s.name() + "' is given twice; give the tokenizer "
                        + "another name with --tokenizer NAME=PATH");
            }
        }
        String version = EmbeddingServer.class.getPackage().getImplementationVersion();
        EmbeddingPath path = new EmbeddingPath(options, metrics);
        // Every route the server speaks, group by group; HttpFront serves them in this order.
        List<RouteGroup> groups = List.of(
                new OpenAiRoutes(served, path, options),
                new TeiRoutes(served, path, options, version == null ? "dev" : version),
                new OllamaRoutes(served, path, options, version == null ? "dev" : version),
                new RerankRoutes(served, path, options),
                new InspectRoute(served, options),
                searchRoute);
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("tongyeok-http");
        this.jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        this.connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        jetty.addConnector(connector);
        jetty.setHandler(new GracefulHandler(new HttpFront(options, metrics, groups)));
        jetty.setStopTimeout(options.drainTimeout().toMillis());
        jetty.setStopAtShutdown(false);
        try {
            jetty.start();
        } catch (IOException e) {
            throw new IOException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IOException("cannot start the HTTP server: " + e, e);
        }
        Thread.ofPlatform().name("tongyeok-model-loader").daemon().start(() -> load(options, sources, tokenizers, index));
    }

    /**
     * Binds {@code options.host():options.port()} and starts loading {@code sources} in the
     * background; the first model is the default for requests that name none.
     *
     * @throws IOException when the address cannot be bound
     * @throws IllegalArgumentException when there is no model or a name repeats
     */
    public static EmbeddingServer start(ServerOptions options, List<ModelSource> sources) throws IOException {
        return new EmbeddingServer(options, sources, List.of(), null);
    }

    /**
     * As {@link #start(ServerOptions, List)}, also serving {@code tokenizers} for {@code /tokenize},
     * {@code /decode} and the explorer's side-by-side token view: each SPEC is a {@code tokenizer.json}
     * file or a directory holding one, of any model family (no weights needed).
     */
    public static EmbeddingServer start(ServerOptions options, List<ModelSource> sources, List<ModelSource> tokenizers)
            throws IOException {
        return new EmbeddingServer(options, sources, List.copyOf(tokenizers), null);
    }

    /**
     * As {@link #start(ServerOptions, List, List)}, also answering {@code POST /search} from the
     * search index in {@code index} (built by {@code tongyeok index}); its model is the served model
     * of the same name, or loaded from the index's record.
     */
    public static EmbeddingServer start(ServerOptions options, List<ModelSource> sources, List<ModelSource> tokenizers,
            Path index) throws IOException {
        return new EmbeddingServer(options, sources, List.copyOf(tokenizers), index);
    }

    private void load(ServerOptions options, List<ModelSource> sources, List<ModelSource> tokenizerSources,
            Path index) {
        try {
            Map<String, Tokenizer> tokenizers = new LinkedHashMap<>();
            for (ModelSource s : tokenizerSources) {
                served.loading("loading tokenizer " + s.name());
                Path file = Path.of(s.spec());
                if (Files.isDirectory(file)) {
                    file = file.resolve("tokenizer.json");
                }
                if (!Files.isRegularFile(file)) {
                    throw new IOException("tokenizer " + s.name() + ": " + file + " is not a file (give a tokenizer.json "
                            + "or a directory holding one)");
                }
                try {
                    tokenizers.put(s.name(), TokenizerJson.read(file));
                } catch (RuntimeException e) {
                    throw new IOException("tokenizer " + s.name() + ": " + file + ": " + e.getMessage(), e);
                }
            }
            Map<String, ServedModel> out = new LinkedHashMap<>();
            for (ModelSource s : sources) {
                served.loading("loading model " + s.name());
                Embedder e = Embedder.load(s.spec());
                int max = e.maxLength(dev.tongyeok.embed.EmbedOptions.DEFAULTS);
                int limit = e.files().config().max_position_embeddings();
                if (options.maxInputTokens() > limit) {
                    throw new IllegalArgumentException("--max-input-tokens " + options.maxInputTokens() + " exceeds "
                            + s.name() + "'s " + limit + " positions");
                }
                int maxInput = options.maxInputTokens() > 0 ? options.maxInputTokens() : max;
                Batcher b = options.batching() ? new Batcher(s.name(), e, options.maxBatchTokens(), metrics)
                        : null;
                out.put(s.name(), new ServedModel(s.name(), e, maxInput, b, reranker(e)));
                models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(out)); // in --model order
            }
            SearchIndex search = null;
            if (index != null) {
                served.loading("opening search index " + index);
                String recorded = SearchIndex.recordedModel(index);
                Embedder same = null;
                for (ServedModel m : out.values()) {
                    if (same == null && m.embedder().name().equals(recorded)) {
                        same = m.embedder();
                    }
                }
                search = SearchIndex.open(index, same);
                this.search = search;
            }
            searchRoute.open(search);
            served.ready(out, tokenizers);
            loaded.complete(null);
        } catch (Throwable t) {
            served.loading("loading failed: " + t.getMessage());
            loaded.completeExceptionally(t);
        }
    }

    /**
     * Waits until every model is loaded.
     *
     * @throws IOException when a model could not be loaded (its message says why)
     */
    public void awaitReady() throws IOException, InterruptedException {
        try {
            loaded.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(c.toString(), c);
        }
    }

    /** Whether every model is loaded. */
    public boolean isReady() {
        return loaded.isDone() && !loaded.isCompletedExceptionally();
    }

    /** The port the server listens on (the one picked when asked for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The host the server listens on. */
    public String host() {
        return connector.getHost();
    }

    /** The names of the models served, the default first. */
    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    /**
     * Stops taking new requests (they get 503), waits for those in flight up to the drain timeout,
     * then stops the batchers and the listener.
     */
    @Override
    public void close() {
        // Requests already past the front door finish; Jetty's graceful handler answers new ones 503.
        try {
            jetty.stop();
        } catch (Exception e) {
            System.err.println("tongyeok serve: stopping: " + e);
        }
        for (ServedModel m : models.values()) {
            if (m.batcher() != null) {
                m.batcher().close();
            }
        }
        if (search != null) {
            try {
                search.close();
            } catch (IOException e) {
                System.err.println("tongyeok serve: closing the search index: " + e);
            }
        }
    }

    // The cross-encoder over a model with a one-label classification head; null for an embedding model.
    private static dev.tongyeok.rerank.Reranker reranker(Embedder e) {
        try {
            return dev.tongyeok.rerank.Reranker.of(e);
        } catch (dev.tongyeok.load.ModelException notAReranker) {
            return null;
        }
    }
}
