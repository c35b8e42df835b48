package dev.tongyeok.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ollama's API, as far as embedding goes: {@code POST /api/embed}; {@code POST /api/embeddings}, the
 * older route many clients still call ({@code prompt} → {@code {"embedding"}}, not normalized, as
 * Ollama gives it); {@code GET /api/tags} and {@code POST /api/show}, the served models in Ollama's
 * shapes; {@code GET /api/version}.
 */
final class OllamaRoutes implements RouteGroup {
    private final ServedModels served;
    private final EmbeddingPath path;
    private final ServerOptions options;

    private final String version;
    private final String started = java.time.Instant.now().toString();

    OllamaRoutes(ServedModels served, EmbeddingPath path, ServerOptions options, String version) {
        this.served = served;
        this.path = path;
        this.options = options;
        this.version = version;
    }

    @Override
    public Map<String, Route> routes() {
        Map<String, Route> r = new LinkedHashMap<>();
        r.put("/api/embed", Route.heavyPost(this::embed));
        r.put("/api/embeddings", Route.heavyPost(this::embeddings));
        r.put("/api/tags", Route.get(this::tags));
        r.put("/api/show", new Route(Route.Method.POST, false, this::show));
        r.put("/api/version", Route.get(this::version));
        return r;
    }

    /** {@code /api/embeddings}: one {@code prompt}'s vector, unnormalized; an empty prompt gives an empty vector, as in Ollama. */
    Reply embeddings(ObjectNode body) {
        ServedModel m = served.model(Fields.string(body, "model"));
        String prompt = Fields.string(body, "prompt");
        if (prompt == null) {
            throw new ApiException(ApiException.Kind.EMPTY, "'prompt' is missing; give the text to embed", "prompt");
        }
        List<Embedding> out = prompt.isEmpty() ? List.of()
                : path.embed(m, List.of(new Fields.Input(prompt, null)), EmbedOptions.DEFAULTS.withNormalize(false), true,
                        false, "prompt", new LinkedHashMap<>());
        return Reply.json(JsonOut.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("embedding");
            if (!out.isEmpty()) {
                for (float x : out.get(0).vector()) {
                    g.writeNumber(x);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    /** {@code /api/tags}: every served model, as Ollama lists its local ones. */
    Reply tags() {
        served.checkReady();
        return Reply.json(JsonOut.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("models");
            for (ServedModel m : served.models().values()) {
                g.writeStartObject();
                g.writeStringField("name", m.name());
                g.writeStringField("model", m.name());
                g.writeStringField("modified_at", started);
                g.writeNumberField("size", bytes(m));
                g.writeStringField("digest", "");
                details(g, m);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    /** {@code /api/show}: one served model's details and its architecture's sizes ({@code model_info}). */
    Reply show(ObjectNode body) {
        String name = Fields.string(body, "model");
        ServedModel m = served.model(name != null ? name : Fields.string(body, "name"));
        var cfg = m.embedder().files().config();
        String arch = cfg.architecture();
        return Reply.json(JsonOut.write(g -> {
            g.writeStartObject();
            g.writeStringField("license", "");
            g.writeStringField("modelfile", "# served by tongyeok\nFROM " + m.embedder().name() + "\n");
            g.writeStringField("parameters", "");
            g.writeStringField("template", "");
            g.writeStringField("system", "");
            details(g, m);
            g.writeObjectFieldStart("model_info");
            g.writeStringField("general.architecture", arch);
            g.writeNumberField("general.parameter_count", parameters(m));
            g.writeNumberField(arch + ".embedding_length", m.embedder().dimensions());
            g.writeNumberField(arch + ".block_count", cfg.num_hidden_layers());
            g.writeNumberField(arch + ".attention.head_count", cfg.num_attention_heads());
            g.writeNumberField(arch + ".context_length", cfg.max_position_embeddings());
            g.writeNumberField(arch + ".vocab_size", cfg.vocab_size());
            g.writeEndObject();
            g.writeArrayFieldStart("capabilities");
            g.writeString("embedding");
            g.writeEndArray();
            g.writeStringField("modified_at", started);
            g.writeEndObject();
        }));
    }

    Reply version() {
        return Reply.json(JsonOut.write(g -> {
            g.writeStartObject();
            g.writeStringField("version", version);
            g.writeEndObject();
        }));
    }

    // Ollama's "details": the weights' format and type, the family, the parameter count in its units.
    private static void details(com.fasterxml.jackson.core.JsonGenerator g, ServedModel m) throws java.io.IOException {
        String source = m.embedder().files().weights().source().toLowerCase(java.util.Locale.ROOT);
        String format = source.endsWith(".gguf") ? "gguf" : source.endsWith(".onnx") ? "onnx" : "safetensors";
        String family = m.embedder().files().config().architecture();
        g.writeObjectFieldStart("details");
        g.writeStringField("parent_model", "");
        g.writeStringField("format", format);
        g.writeStringField("family", family);
        g.writeArrayFieldStart("families");
        g.writeString(family);
        g.writeEndArray();
        g.writeStringField("parameter_size", parameterSize(parameters(m)));
        g.writeStringField("quantization_level", m.embedder().weightType());
        g.writeEndObject();
    }

    // Every tensor's elements, the way Ollama counts a model's parameters.
    private static long parameters(ServedModel m) {
        var w = m.embedder().files().weights();
        long n = 0;
        for (String name : w.names()) {
            n += w.get(name).tensor().elementCount();
        }
        return n;
    }

    private static long bytes(ServedModel m) {
        var w = m.embedder().files().weights();
        long n = 0;
        for (String name : w.names()) {
            n += w.get(name).tensor().data().byteSize();
        }
        return n;
    }

    // 22.7M, 1.2B: as Ollama writes parameter_size.
    static String parameterSize(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.1fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.1fM", n / 1e6);
        }
        return String.format(java.util.Locale.ROOT, "%.1fK", n / 1e3);
    }

    /** An {@code /api/embed} body after its {@code model}: {@code truncate} (on unless told not to, as Ollama does), {@code dimensions}, {@code input}. */
    record EmbedRequest(boolean truncate, int dimensions, List<Fields.Input> inputs) {
        static EmbedRequest parse(ObjectNode body, int maxInputs) {
            boolean truncate = Fields.bool(body, "truncate", true);
            int dimensions = Fields.integer(body, "dimensions", 1);
            return new EmbedRequest(truncate, dimensions, Fields.inputs(body, "input", maxInputs));
        }
    }

    Reply embed(ObjectNode body) {
        long t0 = System.nanoTime();
        ServedModel m = served.model(Fields.string(body, "model"));
        EmbedRequest req = EmbedRequest.parse(body, options.maxClientBatchSize());
        EmbedOptions opts = EmbedOptions.DEFAULTS.withDimensions(req.dimensions());
        Map<String, String> headers = new LinkedHashMap<>();
        List<Embedding> out = path.embed(m, req.inputs(), opts, req.truncate(), false, "input", headers);
        int promptTokens = EmbeddingPath.tokens(out);
        return Reply.json(200, JsonOut.write(g -> {
            g.writeStartObject();
            g.writeStringField("model", m.name());
            g.writeArrayFieldStart("embeddings");
            for (Embedding e : out) {
                JsonOut.floats(g, e.vector());
            }
            g.writeEndArray();
            g.writeNumberField("total_duration", System.nanoTime() - t0);
            g.writeNumberField("load_duration", 0);
            g.writeNumberField("prompt_eval_count", promptTokens);
            g.writeEndObject();
        }), headers);
    }
}
