package dev.tongyeok.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OpenAI's embeddings API: {@code POST /v1/embeddings} and {@code GET /v1/models}. */
final class OpenAiRoutes implements RouteGroup {
    private final ServedModels served;
    private final EmbeddingPath path;
    private final ServerOptions options;

    OpenAiRoutes(ServedModels served, EmbeddingPath path, ServerOptions options) {
        this.served = served;
        this.path = path;
        this.options = options;
    }

    @Override
    public Map<String, Route> routes() {
        Map<String, Route> r = new LinkedHashMap<>();
        r.put("/v1/embeddings", Route.heavyPost(this::embeddings));
        r.put("/v1/models", Route.get(this::models));
        return r;
    }

    /**
     * A {@code /v1/embeddings} body after its {@code model}: {@code input} (a string, strings, token ids or
     * arrays of them), {@code encoding_format} ({@code float} or {@code base64}), {@code dimensions};
     * {@code user} is type-checked and unused.
     */
    record EmbeddingsRequest(List<Fields.Input> inputs, boolean base64, int dimensions) {
        static EmbeddingsRequest parse(ObjectNode body, int maxInputs) {
            String format = Fields.string(body, "encoding_format");
            boolean base64 = format != null && format.equals("base64");
            if (format != null && !base64 && !format.equals("float")) {
                throw ApiException.invalid("encoding_format", "'encoding_format' must be \"float\" or \"base64\", found \""
                        + format + "\"");
            }
            Fields.string(body, "user");
            int dimensions = Fields.integer(body, "dimensions", 1);
            return new EmbeddingsRequest(Fields.inputs(body, "input", maxInputs), base64, dimensions);
        }
    }

    Reply embeddings(ObjectNode body) {
        ServedModel m = served.model(Fields.string(body, "model"));
        EmbeddingsRequest req = EmbeddingsRequest.parse(body, options.maxClientBatchSize());
        EmbedOptions opts = EmbedOptions.DEFAULTS.withDimensions(req.dimensions());
        Map<String, String> headers = new LinkedHashMap<>();
        List<Embedding> out = path.embed(m, req.inputs(), opts, options.autoTruncate(), false, "input", headers);
        int promptTokens = EmbeddingPath.tokens(out);
        return Reply.json(200, JsonOut.write(g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (int i = 0; i < out.size(); i++) {
                g.writeStartObject();
                g.writeStringField("object", "embedding");
                g.writeNumberField("index", i);
                g.writeFieldName("embedding");
                if (req.base64()) {
                    g.writeString(JsonOut.base64(out.get(i).vector()));
                } else {
                    JsonOut.floats(g, out.get(i).vector());
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

    Reply models() {
        served.checkReady();
        ObjectNode root = Fields.JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (ServedModel m : served.models().values()) {
            ObjectNode o = data.addObject();
            o.put("id", m.name());
            o.put("object", "model");
            o.put("created", 0);
            o.put("owned_by", "tongyeok");
        }
        return Reply.json(JsonOut.bytes(root));
    }
}
