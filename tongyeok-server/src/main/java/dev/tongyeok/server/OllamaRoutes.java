package dev.tongyeok.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ollama's embedding API: {@code POST /api/embed}. */
final class OllamaRoutes implements RouteGroup {
    private final ServedModels served;
    private final EmbeddingPath path;
    private final ServerOptions options;

    OllamaRoutes(ServedModels served, EmbeddingPath path, ServerOptions options) {
        this.served = served;
        this.path = path;
        this.options = options;
    }

    @Override
    public Map<String, Route> routes() {
        return Map.of("/api/embed", Route.heavyPost(this::embed));
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
