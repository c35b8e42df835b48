package dev.tongyeok.server;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.embed.EncodedInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one path every embedding route takes (OpenAI, TEI, Ollama): tokenization on the request's
 * thread, the input limit, truncation (refused or reported in headers), the batcher, and the
 * metrics.
 */
final class EmbeddingPath {
    /** The most truncated inputs listed one by one in the truncation headers. */
    static final int MAX_LISTED_TRUNCATIONS = 64;

    private final ServerOptions options;
    private final Metrics metrics;

    EmbeddingPath(ServerOptions options, Metrics metrics) {
        this.options = options;
        this.metrics = metrics;
    }

    /**
     * Tokenizes each input on this thread, applies the limits, and runs the encoder (through the
     * batcher when batching is on). Truncation is reported in {@code headers}.
     *
     * @param field the request's field the inputs came from, for errors ({@code input}, {@code inputs})
     * @throws ApiException when an input is over the limit and {@code truncate} is off, or not valid
     */
    List<Embedding> embed(ServedModel m, List<Fields.Input> inputs, EmbedOptions opts, boolean truncate,
            boolean fromLeft, String field, Map<String, String> headers) {
        EmbedOptions o = opts.withMaxLength(m.maxInputTokens());
        List<EncodedInput> encoded = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Fields.Input in = inputs.get(i);
            String at = inputs.size() == 1 ? field : field + "[" + i + "]";
            EncodedInput e;
            try {
                e = in.text() != null ? m.embedder().encode(in.text(), o, fromLeft)
                        : m.embedder().encodeIds(in.ids(), o);
            } catch (IllegalArgumentException ex) {
                throw ApiException.invalid(opts.dimensions() > 0 && ex.getMessage().startsWith("dimensions")
                        ? "dimensions" : at, "'" + at + "': " + ex.getMessage());
            }
            if (e.truncated() && !truncate) {
                throw ApiException.invalid(field, "'" + at + "' has " + e.originalTokens() + " tokens, more than the "
                        + m.maxInputTokens() + " this server takes for " + m.name() + " (--max-input-tokens); "
                        + "send \"truncate\": true to cut it, or split the text");
            }
            encoded.add(e);
        }
        List<Embedding> out = run(m, encoded);
        reportTruncation(m, out, headers);
        metrics.inputs.labelValues(m.name()).inc(out.size());
        metrics.tokens.labelValues(m.name()).inc(tokens(out));
        return out;
    }

    /** The tokens the encoder saw for {@code out}, markers included: what the APIs report as usage. */
    static int tokens(List<Embedding> out) {
        int n = 0;
        for (Embedding e : out) {
            n += e.encoding().length();
        }
        return n;
    }

    /** Runs the encoder over inputs already encoded and checked, through the batcher when batching is on. */
    List<Embedding> run(ServedModel m, List<EncodedInput> encoded) {
        if (m.batcher() == null) {
            return m.embedder().embedEncoded(encoded);
        }
        CompletableFuture<List<Embedding>> f = m.batcher().submit(encoded);
        try {
            return f.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | CancellationException e) {
            f.cancel(false);
            throw new ApiException(ApiException.Kind.TIMEOUT, "no result within the request timeout of "
                    + options.requestTimeout().toSeconds() + " s; the server is busy, try again");
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.Kind.NOT_READY, "the server is shutting down");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw new IllegalStateException("encoder pass failed: " + e.getCause(), e.getCause());
        }
    }

    /** Reports the inputs of {@code out} that were cut in {@code headers} ({@code X-Tongyeok-Truncated-*}) and the metrics. */
    void reportTruncation(ServedModel m, List<Embedding> out, Map<String, String> headers) {
        StringBuilder idx = new StringBuilder();
        StringBuilder orig = new StringBuilder();
        StringBuilder kept = new StringBuilder();
        int n = 0;
        for (int i = 0; i < out.size(); i++) {
            Embedding e = out.get(i);
            if (e.truncated()) {
                if (n < MAX_LISTED_TRUNCATIONS) {
                    String sep = n == 0 ? "" : ",";
                    idx.append(sep).append(i);
                    orig.append(sep).append(e.originalTokens());
                    kept.append(sep).append(e.encoding().length());
                }
                n++;
            }
        }
        if (n > 0) {
            metrics.truncated.labelValues(m.name()).inc(n);
            headers.put("X-Tongyeok-Truncated-Count", Integer.toString(n));
            headers.put("X-Tongyeok-Truncated-Inputs", idx.toString());
            headers.put("X-Tongyeok-Original-Tokens", orig.toString());
            headers.put("X-Tongyeok-Kept-Tokens", kept.toString());
        }
    }

    /**
     * The prompt a request's {@code prompt_name} names among the model's prompts; null when it names
     * none (the model's default prompt then applies, as in TEI).
     *
     * @throws ApiException when the model defines no such prompt, listing those it has
     */
    static String prompt(ServedModel m, String name) {
        if (name == null) {
            return null;
        }
        Map<String, String> prompts = m.embedder().files().prompts();
        String p = prompts.get(name);
        if (p == null) {
            throw ApiException.invalid("prompt_name", "prompt_name '" + name + "' is not defined for " + m.name()
                    + (prompts.isEmpty() ? " (it has no named prompts)"
                            : " (defined: " + String.join(", ", prompts.keySet()) + ")"));
        }
        return p;
    }
}
