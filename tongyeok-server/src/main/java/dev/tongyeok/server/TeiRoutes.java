package dev.tongyeok.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HuggingFace text-embeddings-inference's API: {@code /embed}, {@code /embed_all},
 * {@code /tokenize}, {@code /decode}, {@code /info} and {@code /health}.
 */
final class TeiRoutes implements RouteGroup {
    private final ServedModels served;
    private final EmbeddingPath path;
    private final ServerOptions options;
    private final String version;

    TeiRoutes(ServedModels served, EmbeddingPath path, ServerOptions options, String version) {
        this.served = served;
        this.path = path;
        this.options = options;
        this.version = version;
    }

    @Override
    public Map<String, Route> routes() {
        Map<String, Route> r = new LinkedHashMap<>();
        r.put("/embed", Route.heavyPost(b -> embed(b, false)));
        r.put("/embed_all", Route.heavyPost(b -> embed(b, true)));
        r.put("/tokenize", Route.heavyPost(this::tokenize));
        r.put("/decode", new Route(Route.Method.POST, false, this::decode));
        r.put("/info", Route.get(this::info));
        r.put("/health", Route.get(this::health));
        return r;
    }

    /**
     * An {@code /embed} or {@code /embed_all} body for model {@code m}: {@code normalize},
     * {@code truncate}, {@code truncation_direction}, {@code prompt_name} (resolved to the prompt),
     * {@code dimensions}, {@code inputs}.
     */
    record EmbedRequest(boolean normalize, boolean truncate, boolean fromLeft, String prompt, int dimensions,
            List<Fields.Input> inputs) {
        static EmbedRequest parse(ObjectNode body, ServedModel m, ServerOptions options) {
            boolean normalize = Fields.bool(body, "normalize", true);
            boolean truncate = Fields.bool(body, "truncate", options.autoTruncate());
            boolean left = TeiRoutes.fromLeft(body);
            String prompt = EmbeddingPath.prompt(m, Fields.string(body, "prompt_name"));
            int dimensions = Fields.integer(body, "dimensions", 1);
            return new EmbedRequest(normalize, truncate, left, prompt, dimensions,
                    Fields.inputs(body, "inputs", options.maxClientBatchSize()));
        }
    }

    /** TEI's {@code truncation_direction}: {@code Right} (the default) or {@code Left}. */
    static boolean fromLeft(ObjectNode body) {
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

    /** {@code /embed}: sentence vectors; {@code /embed_all}: every token's raw hidden state. */
    Reply embed(ObjectNode body, boolean allTokens) {
        ServedModel m = served.model(Fields.string(body, "model"));
        EmbedRequest req = EmbedRequest.parse(body, m, options);
        EmbedOptions opts = EmbedOptions.DEFAULTS.withPrompt(req.prompt()).withDimensions(req.dimensions());
        opts = allTokens ? opts.withPooling(Pooling.NONE).withNormalize(false) : opts.withNormalize(req.normalize());
        Map<String, String> headers = new LinkedHashMap<>();
        List<Embedding> out = path.embed(m, req.inputs(), opts, req.truncate(), req.fromLeft(), "inputs", headers);
        return Reply.json(200, JsonOut.write(g -> {
            g.writeStartArray();
            for (Embedding e : out) {
                if (allTokens) {
                    JsonOut.matrix(g, e.tokenVectors());
                } else {
                    JsonOut.floats(g, e.vector());
                }
            }
            g.writeEndArray();
        }), headers);
    }

    Reply tokenize(ObjectNode body) {
        ServedModels.NamedTokenizer nt = served.tokenizer(Fields.string(body, "model"));
        boolean special = Fields.bool(body, "add_special_tokens", true);
        String promptName = Fields.string(body, "prompt_name");
        if (nt.model() == null && promptName != null) {
            throw ApiException.invalid("prompt_name", "'" + nt.name() + "' is served for tokenizing only and has no "
                    + "named prompts");
        }
        String named = nt.model() != null ? EmbeddingPath.prompt(nt.model(), promptName) : null;
        String prompt = named != null ? named : nt.model() != null ? nt.model().embedder().files().defaultPrompt() : "";
        List<Fields.Input> inputs = Fields.inputs(body, "inputs", options.maxClientBatchSize());
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).text() == null) {
                throw ApiException.invalid("inputs", "'inputs" + (inputs.size() > 1 ? "[" + i + "]" : "")
                        + "' must be a string to tokenize, found token ids");
            }
            texts.add(prompt + inputs.get(i).text());
        }
        Tokenizer tokenizer = nt.tokenizer();
        return Reply.json(JsonOut.write(g -> {
            g.writeStartArray();
            for (String text : texts) {
                Encoding e = tokenizer.encode(text, special);
                String[] kinds = TokenKinds.of(e, tokenizer);
                Utf8Offsets bytes = new Utf8Offsets(text);
                g.writeStartArray();
                for (int t = 0; t < e.length(); t++) {
                    boolean isSpecial = e.special(t);
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

    /** A {@code /decode} body after its {@code model}: {@code ids} (one sequence or several), {@code skip_special_tokens}. */
    record DecodeRequest(List<int[]> sequences, boolean skipSpecial) {
        static DecodeRequest parse(ObjectNode body, int maxSequences) {
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
                if (ids.size() > maxSequences) {
                    throw ApiException.invalid("ids", "'ids' has " + ids.size() + " sequences, more than the "
                            + maxSequences + " this server takes in one request (--max-client-batch-size)");
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
            return new DecodeRequest(sequences, skip);
        }
    }

    Reply decode(ObjectNode body) {
        ServedModels.NamedTokenizer nt = served.tokenizer(Fields.string(body, "model"));
        DecodeRequest req = DecodeRequest.parse(body, options.maxClientBatchSize());
        int vocab = nt.vocabSize();
        ArrayNode out = Fields.JSON.createArrayNode();
        for (int[] sequence : req.sequences()) {
            for (int id : sequence) {
                if (id >= vocab) {
                    throw ApiException.invalid("ids", "token id " + id + " is outside the vocabulary [0, " + vocab
                            + ") of " + nt.name());
                }
            }
            out.add(nt.tokenizer().decode(sequence, req.skipSpecial()));
        }
        return Reply.json(JsonOut.bytes(out));
    }

    Reply info() {
        ServedModel m = served.model(null);
        ObjectNode o = Fields.JSON.createObjectNode();
        o.put("model_id", m.name());
        o.putNull("model_sha");
        o.put("model_dtype", m.embedder().weightType());
        if (m.reranker() != null) {
            o.putObject("model_type").putObject("reranker").putObject("id2label").put("0", "LABEL_0");
        } else {
            o.putObject("model_type").putObject("embedding").put("pooling", m.embedder().defaultPooling().toString());
        }
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
        for (ServedModel s : served.models().values()) {
            ObjectNode x = all.addObject();
            x.put("name", s.name());
            x.put("kind", s.reranker() != null ? "reranker" : "embedding");
            x.put("dimensions", s.embedder().dimensions());
            x.put("layers", s.embedder().files().config().num_hidden_layers());
            x.put("heads", s.embedder().files().config().num_attention_heads());
            x.put("dtype", s.embedder().weightType());
            x.put("pooling", s.embedder().defaultPooling().toString());
            x.put("normalize", s.embedder().files().normalize());
            x.put("max_input_length", s.maxInputTokens());
            x.put("tokenizer", TokenKinds.tokenizerType(s.embedder().tokenizer()));
            x.putPOJO("prompts", s.embedder().files().prompts());
        }
        ArrayNode toks = o.putArray("tokenizers");
        for (Map.Entry<String, Tokenizer> t : served.tokenizers().entrySet()) {
            toks.addObject().put("name", t.getKey()).put("tokenizer", TokenKinds.tokenizerType(t.getValue()));
        }
        o.put("max_inspect_tokens", options.maxInspectTokens());
        return Reply.json(JsonOut.bytes(o));
    }

    Reply health() {
        served.checkReady();
        ObjectNode o = Fields.JSON.createObjectNode();
        o.put("status", "ok");
        o.putPOJO("models", List.copyOf(served.models().keySet()));
        return Reply.json(JsonOut.bytes(o));
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
