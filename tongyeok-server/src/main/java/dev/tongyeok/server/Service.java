package dev.tongyeok.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.embed.EncodedInput;
import dev.tongyeok.embed.Inspection;
import dev.tongyeok.embed.Pooling;
import dev.tongyeok.search.Hit;
import dev.tongyeok.search.SearchException;
import dev.tongyeok.search.SearchIndex;
import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What each route does, between a parsed request body and the reply: the OpenAI, TEI and Ollama
 * embedding routes share one path ({@link #embed}) through tokenization, limits, truncation and the
 * batcher. Transport concerns (auth, CORS, body size, concurrency slots) live in {@link HttpFront}.
 */
final class Service {
    /** The most truncated inputs listed one by one in the truncation headers. */
    static final int MAX_LISTED_TRUNCATIONS = 64;

    final ServerOptions options;
    final Metrics metrics;
    private final String version;
    private volatile Map<String, ServedModel> models = Map.of(); // in --model order, the default first
    private volatile Map<String, Tokenizer> tokenizers = Map.of(); // served for tokenizing only, in order
    private volatile SearchIndex search; // null without --index
    private volatile ServedModel defaultModel;
    private volatile String loading = "starting";

    Service(ServerOptions options, Metrics metrics, String version) {
        this.options = options;
        this.metrics = metrics;
        this.version = version;
    }

    /** Makes the server ready with these models (the first is the default) and tokenizers. */
    void ready(Map<String, ServedModel> loaded, Map<String, Tokenizer> tokenizersOnly, SearchIndex searchIndex) {
        this.search = searchIndex;
        this.models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(loaded));
        this.tokenizers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tokenizersOnly));
        this.defaultModel = loaded.values().iterator().next();
        this.loading = null;
    }

    /** What the server is waiting for, or null once ready. */
    String loading() {
        return loading;
    }

    void loading(String what) {
        this.loading = what;
    }

    Map<String, ServedModel> models() {
        return models;
    }

    private void checkReady() {
        String l = loading;
        if (l != null) {
            throw new ApiException(ApiException.Kind.NOT_READY, "not ready: " + l);
        }
    }

    /** The model named {@code name}, the default one when null or empty. */
    ServedModel model(String name) {
        checkReady();
        if (name == null || name.isEmpty()) {
            return defaultModel;
        }
        ServedModel m = models.get(name);
        if (m == null && name.endsWith(":latest")) { // Ollama clients add a tag
            m = models.get(name.substring(0, name.length() - ":latest".length()));
        }
        if (m == null && tokenizers.containsKey(name)) {
            throw ApiException.invalid("model", "'" + name + "' is served for tokenizing only (--tokenizer); "
                    + "models that embed: " + String.join(", ", models.keySet()));
        }
        if (m == null) {
            throw new ApiException(ApiException.Kind.MODEL_NOT_FOUND, "model '" + name + "' is not served here (serving: "
                    + String.join(", ", models.keySet()) + ")", "model");
        }
        return m;
    }

    /** A tokenizer by name: a served model's own, or one served for tokenizing only (model null). */
    private record NamedTokenizer(String name, Tokenizer tokenizer, ServedModel model) {
        int vocabSize() {
            return model != null ? model.embedder().files().config().vocab_size() : tokenizer.vocabSize();
        }
    }

    private NamedTokenizer tokenizer(String name) {
        checkReady();
        Tokenizer t = name == null ? null : tokenizers.get(name);
        if (t != null) {
            return new NamedTokenizer(name, t, null);
        }
        if (name != null && !name.isEmpty() && !models.containsKey(name) && !name.endsWith(":latest")) {
            List<String> all = new ArrayList<>(models.keySet());
            all.addAll(tokenizers.keySet());
            throw new ApiException(ApiException.Kind.MODEL_NOT_FOUND, "model '" + name + "' is not served here (serving: "
                    + String.join(", ", all) + ")", "model");
        }
        ServedModel m = model(name);
        return new NamedTokenizer(m.name(), m.embedder().tokenizer(), m);
    }

    /**
     * What each token is, for people looking at them: {@code special} (markers the post-processor
     * adds, and added special tokens), {@code unknown} (the model's unknown token), {@code byte} (a
     * byte-fallback {@code <0xNN>} piece), {@code part} (a piece of one character: a byte-level
     * piece of a multi-byte character, or a jamo of a Hangul syllable that the normalizer
     * decomposed; it shares the character's span with a neighbour), else {@code text}.
     */
    static String[] kinds(Encoding e, Tokenizer tokenizer) {
        String unk = tokenizer.model().unknownToken();
        int n = e.length();
        String[] out = new String[n];
        for (int t = 0; t < n; t++) {
            String tok = e.token(t);
            if (e.specialTokensMask()[t] == 1) {
                out[t] = "special";
            } else if (unk != null && unk.equals(tok)) {
                out[t] = "unknown";
            } else if (isByteToken(tok)) {
                out[t] = "byte";
            } else if (sharesSpan(e, t, t - 1) || sharesSpan(e, t, t + 1)) {
                out[t] = "part";
            } else {
                out[t] = "text";
            }
        }
        return out;
    }

    /** The tokenizer.json {@code model.type} of {@code t}: WordPiece, BPE, Unigram or WordLevel. */
    private static String tokenizerType(Tokenizer t) {
        String name = t.model().getClass().getSimpleName();
        return name.equals("Bpe") ? "BPE" : name;
    }

    private static boolean isByteToken(String tok) {
        return tok.length() == 6 && tok.startsWith("<0x") && tok.endsWith(">")
                && Character.digit(tok.charAt(3), 16) >= 0 && Character.digit(tok.charAt(4), 16) >= 0;
    }

    /**
     * Whether tokens {@code t} and {@code other} cover the same span. A lone word-boundary marker
     * ({@code ▁} of SentencePiece, {@code Ġ} of byte-level BPE) takes the span of the character after
     * it without being part of it, so it shares no span.
     */
    private static boolean sharesSpan(Encoding e, int t, int other) {
        return other >= 0 && other < e.length() && e.specialTokensMask()[other] == 0 && e.end(t) > e.start(t)
                && e.start(t) == e.start(other) && e.end(t) == e.end(other)
                && !isBoundaryMarker(e.token(t)) && !isBoundaryMarker(e.token(other));
    }

    private static boolean isBoundaryMarker(String tok) {
        return tok.equals("\u2581") || tok.equals("\u0120");
    }

    // ---- the shared embedding path ----

    /**
     * Tokenizes each input on this thread, applies the limits, and runs the encoder (through the
     * batcher when batching is on). Truncation is reported in {@code headers}.
     */
    List<Embedding> embed(ServedModel m, List<Fields.Input> inputs, EmbedOptions opts, boolean truncate,
            boolean fromLeft, String field, Map<String, String> headers) {
        EmbedOptions o = opts.withMaxLength(m.maxInputTokens());
        List<EncodedInput> encoded = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Fields.Input in = inputs.get(i);
            EncodedInput e;
            try {
                e = in.text() != null ? m.embedder().encode(in.text(), o, fromLeft)
                        : m.embedder().encodeIds(in.ids(), o);
            } catch (IllegalArgumentException ex) {
                String at = inputs.size() == 1 ? field : field + "[" + i + "]";
                throw ApiException.invalid(opts.dimensions() > 0 && ex.getMessage().startsWith("dimensions")
                        ? "dimensions" : at, "'" + at + "': " + ex.getMessage());
            }
            if (e.truncated() && !truncate) {
                String at = inputs.size() == 1 ? field : field + "[" + i + "]";
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
    private static int tokens(List<Embedding> out) {
        int n = 0;
        for (Embedding e : out) {
            n += e.encoding().length();
        }
        return n;
    }

    private List<Embedding> run(ServedModel m, List<EncodedInput> encoded) {
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

    private void reportTruncation(ServedModel m, List<Embedding> out, Map<String, String> headers) {
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

    private static String prompt(ServedModel m, ObjectNode body) {
        String name = Fields.string(body, "prompt_name");
        if (name == null) {
            return "";
        }
        String p = m.embedder().files().prompts().get(name);
        if (p == null) {
            throw ApiException.invalid("prompt_name", "prompt_name '" + name + "' is not defined for " + m.name()
                    + (m.embedder().files().prompts().isEmpty() ? " (it has no named prompts)"
                            : " (defined: " + String.join(", ", m.embedder().files().prompts().keySet()) + ")"));
        }
        return p;
    }

    private static boolean fromLeft(ObjectNode body) {
        String d = Fields.string(body, "truncation_direction");
        if (d == null || d.equalsIgnoreCase("right")) {
            return false;
        }
        if (d.equalsIgnoreCase("left")) {
            return true;
        }
        throw ApiException.invalid("truncation_direction", "'truncation_direction' must be \"Right\" or \"Left\", found \""
                + d + "\"");
    }

    // ---- OpenAI ----

    Reply openAiEmbeddings(ObjectNode body) {
        ServedModel m = model(Fields.string(body, "model"));
        String format = Fields.string(body, "encoding_format");
        boolean base64 = format != null && format.equals("base64");
        if (format != null && !base64 && !format.equals("float")) {
            throw ApiException.invalid("encoding_format", "'encoding_format' must be \"float\" or \"base64\", found \""
                    + format + "\"");
        }
        Fields.string(body, "user"); // accepted, type-checked, unused
        EmbedOptions opts = EmbedOptions.DEFAULTS.withDimensions(Fields.integer(body, "dimensions", 1));
        List<Fields.Input> inputs = Fields.inputs(body, "input", options.maxClientBatchSize());
        Map<String, String> headers = new LinkedHashMap<>();
        List<Embedding> out = embed(m, inputs, opts, options.autoTruncate(), false, "input", headers);
        int promptTokens = tokens(out);
        return Reply.json(200, write(g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (int i = 0; i < out.size(); i++) {
                g.writeStartObject();
                g.writeStringField("object", "embedding");
                g.writeNumberField("index", i);
                g.writeFieldName("embedding");
                if (base64) {
                    g.writeString(base64(out.get(i).vector()));
                } else {
                    floats(g, out.get(i).vector());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("model", m.name());
            g.writeObjectFieldStart("usage");
            g.writeNumberField("prompt_tokens", promptTokens);
            g.writeNumberField("total_tokens", promptTokens);
            g.writeEndObject();
            g.writeEndObject();
        }), headers);
    }

    Reply openAiModels() {
        checkReady();
        ObjectNode root = Fields.JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (ServedModel m : models.values()) {
            ObjectNode o = data.addObject();
            o.put("id", m.name());
            o.put("object", "model");
            o.put("created", 0);
            o.put("owned_by", "tongyeok");
        }
        return Reply.json(bytes(root));
    }

    // ---- text-embeddings-inference ----

    Reply teiEmbed(ObjectNode body, boolean allTokens) {
        ServedModel m = model(Fields.string(body, "model"));
        boolean normalize = Fields.bool(body, "normalize", true);
        boolean truncate = Fields.bool(body, "truncate", options.autoTruncate());
        boolean left = fromLeft(body);
        EmbedOptions opts = EmbedOptions.DEFAULTS.withPrompt(prompt(m, body))
                .withDimensions(Fields.integer(body, "dimensions", 1));
        opts = allTokens ? opts.withPooling(Pooling.NONE).withNormalize(false) : opts.withNormalize(normalize);
        List<Fields.Input> inputs = Fields.inputs(body, "inputs", options.maxClientBatchSize());
        Map<String, String> headers = new LinkedHashMap<>();
        List<Embedding> out = embed(m, inputs, opts, truncate, left, "inputs", headers);
        return Reply.json(200, write(g -> {
            g.writeStartArray();
            for (Embedding e : out) {
                if (allTokens) {
                    g.writeStartArray();
                    for (float[] row : e.tokenVectors()) {
                        floats(g, row);
                    }
                    g.writeEndArray();
                } else {
                    floats(g, e.vector());
                }
            }
            g.writeEndArray();
        }), headers);
    }

    Reply teiTokenize(ObjectNode body) {
        NamedTokenizer nt = tokenizer(Fields.string(body, "model"));
        boolean special = Fields.bool(body, "add_special_tokens", true);
        String prompt = nt.model() != null ? prompt(nt.model(), body) : noPrompt(nt, body);
        List<Fields.Input> inputs = Fields.inputs(body, "inputs", options.maxClientBatchSize());
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).text() == null) {
                throw ApiException.invalid("inputs", "'inputs" + (inputs.size() > 1 ? "[" + i + "]" : "")
                        + "' must be a string to tokenize, found token ids");
            }
            texts.add(prompt + inputs.get(i).text());
        }
        return Reply.json(write(g -> {
            g.writeStartArray();
            for (String text : texts) {
                Encoding e = nt.tokenizer().encode(text, special);
                String[] kinds = kinds(e, nt.tokenizer());
                Utf8Offsets bytes = new Utf8Offsets(text);
                g.writeStartArray();
                for (int t = 0; t < e.length(); t++) {
                    boolean isSpecial = e.specialTokensMask()[t] == 1;
                    g.writeStartObject();
                    g.writeNumberField("id", e.id(t));
                    g.writeStringField("text", isSpecial ? e.token(t) : text.substring(e.start(t), e.end(t)));
                    g.writeBooleanField("special", isSpecial);
                    g.writeNumberField("start", isSpecial ? 0 : bytes.at(e.start(t)));
                    g.writeNumberField("stop", isSpecial ? 0 : bytes.at(e.end(t)));
                    g.writeStringField("token", e.token(t));
                    g.writeStringField("kind", kinds[t]);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndArray();
        }));
    }

    private static String noPrompt(NamedTokenizer nt, ObjectNode body) {
        if (Fields.string(body, "prompt_name") != null) {
            throw ApiException.invalid("prompt_name", "'" + nt.name() + "' is served for tokenizing only and has no "
                    + "named prompts");
        }
        return "";
    }

    Reply teiDecode(ObjectNode body) {
        NamedTokenizer nt = tokenizer(Fields.string(body, "model"));
        boolean skip = Fields.bool(body, "skip_special_tokens", true);
        JsonNode ids = body.get("ids");
        if (ids == null || ids.isNull()) {
            throw new ApiException(ApiException.Kind.EMPTY, "'ids' is missing; give an array of token ids", "ids");
        }
        if (!ids.isArray()) {
            throw ApiException.invalid("ids", "'ids' must be an array of token ids, found " + Fields.kind(ids));
        }
        List<int[]> sequences = new ArrayList<>();
        if (!ids.isEmpty() && ids.get(0).isArray()) {
            if (ids.size() > options.maxClientBatchSize()) {
                throw ApiException.invalid("ids", "'ids' has " + ids.size() + " sequences, more than the "
                        + options.maxClientBatchSize() + " this server takes in one request (--max-client-batch-size)");
            }
            for (int i = 0; i < ids.size(); i++) {
                if (!ids.get(i).isArray()) {
                    throw ApiException.invalid("ids", "'ids[" + i + "]' must be an array of token ids, found "
                            + Fields.kind(ids.get(i)));
                }
                sequences.add(Fields.ids(ids.get(i), "ids[" + i + "]"));
            }
        } else {
            sequences.add(Fields.ids(ids, "ids"));
        }
        int vocab = nt.vocabSize();
        ArrayNode out = Fields.JSON.createArrayNode();
        for (int s = 0; s < sequences.size(); s++) {
            for (int id : sequences.get(s)) {
                if (id >= vocab) {
                    throw ApiException.invalid("ids", "token id " + id + " is outside the vocabulary [0, " + vocab
                            + ") of " + nt.name());
                }
            }
            out.add(nt.tokenizer().decode(sequences.get(s), skip));
        }
        return Reply.json(bytes(out));
    }

    Reply teiInfo() {
        ServedModel m = model(null);
        ObjectNode o = Fields.JSON.createObjectNode();
        o.put("model_id", m.name());
        o.putNull("model_sha");
        o.put("model_dtype", "float32");
        o.putObject("model_type").putObject("embedding").put("pooling", m.embedder().defaultPooling().toString());
        o.put("max_concurrent_requests", options.maxConcurrentRequests());
        o.put("max_input_length", m.maxInputTokens());
        o.put("max_batch_tokens", options.maxBatchTokens());
        o.putNull("max_batch_requests");
        o.put("max_client_batch_size", options.maxClientBatchSize());
        o.put("auto_truncate", options.autoTruncate());
        o.put("tokenization_workers", Runtime.getRuntime().availableProcessors());
        o.put("version", version);
        o.put("dynamic_batching", options.batching());
        o.put("max_body_bytes", options.maxBodyBytes());
        o.put("request_timeout_seconds", options.requestTimeout().toSeconds());
        ArrayNode all = o.putArray("models");
        for (ServedModel s : models.values()) {
            ObjectNode x = all.addObject();
            x.put("name", s.name());
            x.put("dimensions", s.embedder().dimensions());
            x.put("layers", s.embedder().files().config().num_hidden_layers());
            x.put("heads", s.embedder().files().config().num_attention_heads());
            x.put("pooling", s.embedder().defaultPooling().toString());
            x.put("normalize", s.embedder().files().normalize());
            x.put("max_input_length", s.maxInputTokens());
            x.put("tokenizer", tokenizerType(s.embedder().tokenizer()));
            x.putPOJO("prompts", s.embedder().files().prompts());
        }
        ArrayNode toks = o.putArray("tokenizers");
        for (Map.Entry<String, Tokenizer> t : tokenizers.entrySet()) {
            toks.addObject().put("name", t.getKey()).put("tokenizer", tokenizerType(t.getValue()));
        }
        o.put("max_inspect_tokens", options.maxInspectTokens());
        return Reply.json(bytes(o));
    }

    Reply health() {
        String l = loading;
        if (l != null) {
            throw new ApiException(ApiException.Kind.NOT_READY, "not ready: " + l);
        }
        ObjectNode o = Fields.JSON.createObjectNode();
        o.put("status", "ok");
        o.putPOJO("models", List.copyOf(models.keySet()));
        return Reply.json(bytes(o));
    }

    // ---- Ollama ----

    Reply ollamaEmbed(ObjectNode body) {
        long t0 = System.nanoTime();
        ServedModel m = model(Fields.string(body, "model"));
        boolean truncate = Fields.bool(body, "truncate", true); // Ollama truncates unless told not to
        EmbedOptions opts = EmbedOptions.DEFAULTS.withDimensions(Fields.integer(body, "dimensions", 1));
        List<Fields.Input> inputs = Fields.inputs(body, "input", options.maxClientBatchSize());
        Map<String, String> headers = new LinkedHashMap<>();
        List<Embedding> out = embed(m, inputs, opts, truncate, false, "input", headers);
        int promptTokens = tokens(out);
        return Reply.json(200, write(g -> {
            g.writeStartObject();
            g.writeStringField("model", m.name());
            g.writeArrayFieldStart("embeddings");
            for (Embedding e : out) {
                floats(g, e.vector());
            }
            g.writeEndArray();
            g.writeNumberField("total_duration", System.nanoTime() - t0);
            g.writeNumberField("load_duration", 0);
            g.writeNumberField("prompt_eval_count", promptTokens);
            g.writeEndObject();
        }), headers);
    }

    // ---- tongyeok's own ----

    Reply inspect(ObjectNode body) {
        ServedModel m = model(Fields.string(body, "model"));
        String text = Fields.string(body, "text");
        if (text == null || text.isEmpty()) {
            throw new ApiException(ApiException.Kind.EMPTY, "'text' is missing or empty; give one short text", "text");
        }
        boolean truncate = Fields.bool(body, "truncate", false);
        int limit = Math.min(options.maxInspectTokens(), m.maxInputTokens());
        EmbedOptions opts = EmbedOptions.DEFAULTS.withPrompt(prompt(m, body)).withMaxLength(limit);
        int tokens = m.embedder().tokenizer().countTokens(opts.prompt() + text);
        if (tokens > limit && !truncate) {
            throw ApiException.invalid("text", "'text' has " + tokens + " tokens; inspect takes at most " + limit
                    + " (--max-inspect-tokens) so that its matrices stay small; send \"truncate\": true to see "
                    + "the first " + limit);
        }
        Inspection in = m.embedder().inspect(text, opts);
        Encoding e = in.encoding();
        String[] kinds = kinds(e, m.embedder().tokenizer());
        return Reply.json(write(g -> {
            g.writeStartObject();
            g.writeStringField("model", m.name());
            g.writeStringField("text", opts.prompt() + text);
            g.writeNumberField("dimensions", m.embedder().dimensions());
            g.writeNumberField("layers", in.layers());
            g.writeNumberField("heads", in.heads());
            g.writeStringField("pooling", m.embedder().pooling(opts).toString());
            g.writeBooleanField("normalized", m.embedder().normalizes(opts));
            g.writeArrayFieldStart("tokens");
            for (int t = 0; t < e.length(); t++) {
                g.writeStartObject();
                g.writeNumberField("id", e.id(t));
                g.writeStringField("text", e.token(t));
                g.writeBooleanField("special", e.specialTokensMask()[t] == 1);
                g.writeNumberField("start", e.start(t));
                g.writeNumberField("stop", e.end(t));
                g.writeStringField("kind", kinds[t]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("original_tokens", in.originalTokens());
            g.writeBooleanField("truncated", in.truncated());
            g.writeFieldName("static");
            matrix(g, in.staticEmbeddings());
            g.writeArrayFieldStart("hidden");
            for (float[][] h : in.hiddenStates()) {
                matrix(g, h);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("attention");
            for (float[][][] layer : in.attentions()) {
                g.writeStartArray();
                for (float[][] head : layer) {
                    matrix(g, head);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeFieldName("vector");
            floats(g, in.vector());
            g.writeEndObject();
        }));
    }

    /** {@code POST /search}: {@code {"query","k","filter","hybrid"}} → {@code {"hits":[…]}}. */
    Reply search(ObjectNode body) {
        checkReady();
        SearchIndex si = search;
        if (si == null) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "this server has no search index (start it with "
                    + "tongyeok serve --index DIR)");
        }
        String query = Fields.string(body, "query");
        if (query == null || query.isBlank()) {
            throw new ApiException(ApiException.Kind.EMPTY, "'query' is missing or empty", "query");
        }
        int k = Fields.integer(body, "k", 1);
        if (k == 0) {
            k = 10;
        }
        if (k > SearchIndex.MAX_K) {
            throw ApiException.invalid("k", "'k' must be at most " + SearchIndex.MAX_K + ", found " + k);
        }
        boolean hybrid = Fields.bool(body, "hybrid", false);
        Map<String, String> filter = new LinkedHashMap<>();
        JsonNode f = body.get("filter");
        if (f != null && !f.isNull()) {
            if (!f.isObject()) {
                throw ApiException.invalid("filter", "'filter' must be an object of field: value, found " + Fields.kind(f));
            }
            for (Map.Entry<String, JsonNode> e : f.properties()) {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw ApiException.invalid("filter", "'filter." + e.getKey() + "' must be a string or a number, found "
                            + Fields.kind(e.getValue()));
                }
                filter.put(e.getKey(), e.getValue().asText());
            }
        }
        List<Hit> hits;
        try {
            hits = si.search(query, k, filter, hybrid);
        } catch (SearchException e) {
            throw ApiException.invalid("query", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Reply.json(write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("hits");
            for (Hit h : hits) {
                h.writeJson(g);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    // ---- writing ----

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = Fields.JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return Fields.JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void floats(JsonGenerator g, float[] v) throws IOException {
        g.writeStartArray();
        for (float x : v) {
            g.writeNumber(x);
        }
        g.writeEndArray();
    }

    private static void matrix(JsonGenerator g, float[][] m) throws IOException {
        g.writeStartArray();
        for (float[] row : m) {
            floats(g, row);
        }
        g.writeEndArray();
    }

    /** Little-endian float32 bytes in base64, as OpenAI's {@code encoding_format: "base64"}. */
    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    /** UTF-16 offsets of a text to UTF-8 byte offsets, as TEI's {@code /tokenize} reports them. */
    private static final class Utf8Offsets {
        private final int[] bytes; // bytes[i]: UTF-8 length of text[0, i)

        Utf8Offsets(String text) {
            bytes = new int[text.length() + 1];
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                int n = c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a pair: 4 bytes
                bytes[i + 1] = bytes[i] + n;
            }
        }

        int at(int utf16) {
            return bytes[utf16];
        }
    }
}
