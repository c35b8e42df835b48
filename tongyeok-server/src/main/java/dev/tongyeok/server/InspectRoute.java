package dev.tongyeok.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.EncodedInput;
import dev.tongyeok.embed.Inspection;
import dev.tongyeok.tokenize.Encoding;
import java.util.Map;

/**
 * tongyeok's own {@code POST /inspect}, what the explorer draws: one short text's tokens, static
 * rows, every layer's hidden states and every head's attention, and the sentence vector.
 */
final class InspectRoute implements RouteGroup {
    private final ServedModels served;
    private final ServerOptions options;

    InspectRoute(ServedModels served, ServerOptions options) {
        this.served = served;
        this.options = options;
    }

    @Override
    public Map<String, Route> routes() {
        return Map.of("/inspect", Route.heavyPost(this::inspect));
    }

    /**
     * An {@code /inspect} body for model {@code m}: {@code text}, {@code truncate}, {@code prompt_name}
     * (resolved), and {@code pair}: a second text read with the first as one pair, as a cross-encoder
     * reads a query and a document.
     */
    record Request(String text, boolean truncate, String prompt, String pair) {
        static Request parse(ObjectNode body, ServedModel m) {
            String text = Fields.string(body, "text");
            if (text == null || text.isEmpty()) {
                throw new ApiException(ApiException.Kind.EMPTY, "'text' is missing or empty; give one short text", "text");
            }
            boolean truncate = Fields.bool(body, "truncate", false);
            String pair = Fields.string(body, "pair");
            if (pair != null && pair.isEmpty()) {
                throw new ApiException(ApiException.Kind.EMPTY, "'pair' is an empty string; give the document to read "
                        + "with the text", "pair");
            }
            return new Request(text, truncate, EmbeddingPath.prompt(m, Fields.string(body, "prompt_name")), pair);
        }
    }

    Reply inspect(ObjectNode body) {
        ServedModel m = served.model(Fields.string(body, "model"));
        Request req = Request.parse(body, m);
        int limit = Math.min(options.maxInspectTokens(), m.maxInputTokens());
        EmbedOptions opts = EmbedOptions.DEFAULTS.withPrompt(req.prompt()).withMaxLength(limit);
        String input = m.embedder().prompt(opts) + req.text();
        int tokens = m.embedder().tokenizer().countTokens(input);
        if (tokens > limit && !req.truncate()) {
            throw ApiException.invalid("text", "'text' has " + tokens + " tokens; inspect takes at most " + limit
                    + " (--max-inspect-tokens) so that its matrices stay small; send \"truncate\": true to see "
                    + "the first " + limit);
        }
        Inspection in;
        Float score = null;
        if (req.pair() == null) {
            in = m.embedder().inspect(req.text(), opts);
        } else {
            EmbedOptions rows = dev.tongyeok.rerank.Reranker.rowOptions().withMaxLength(limit);
            EncodedInput pair = m.embedder().encodePair(req.text(), req.pair(), rows);
            if (pair.truncated() && !req.truncate()) {
                throw ApiException.invalid("pair", "the pair has " + pair.originalTokens() + " tokens; inspect takes at "
                        + "most " + limit + " (--max-inspect-tokens); send \"truncate\": true to cut the longer text");
            }
            in = m.embedder().inspect(pair);
            score = m.reranker() == null ? null : m.reranker().score(in.vector(), false);
        }
        Encoding e = in.encoding();
        Float pairScore = score;
        String[] kinds = TokenKinds.of(e, m.embedder().tokenizer());
        return Reply.json(JsonOut.write(g -> {
            g.writeStartObject();
            g.writeStringField("model", m.name());
            g.writeStringField("text", input);
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
                g.writeBooleanField("special", e.special(t));
                g.writeNumberField("start", e.start(t));
                g.writeNumberField("stop", e.end(t));
                g.writeStringField("kind", kinds[t]);
                if (req.pair() != null) {
                    // Which text of the pair the token comes from: 0 the first, 1 the second, -1 a marker.
                    g.writeNumberField("sequence", e.special(t) ? -1 : e.sequenceId(t));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("original_tokens", in.originalTokens());
            g.writeBooleanField("truncated", in.truncated());
            if (req.pair() != null) {
                g.writeStringField("pair", req.pair());
                if (pairScore == null) {
                    g.writeNullField("score");
                } else {
                    g.writeNumberField("score", pairScore);
                }
            }
            // One line when the model's vocabulary hardly covers the text (null when it does).
            String poor = dev.tongyeok.embed.Coverage.of(e, m.embedder().tokenizer().model().unknownToken())
                    .message(m.name());
            if (poor == null) {
                g.writeNullField("coverage");
            } else {
                g.writeStringField("coverage", poor);
            }
            g.writeFieldName("static");
            JsonOut.matrix(g, in.staticEmbeddings());
            g.writeArrayFieldStart("hidden");
            for (float[][] h : in.hiddenStates()) {
                JsonOut.matrix(g, h);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("attention");
            for (float[][][] layer : in.attentions()) {
                g.writeStartArray();
                for (float[][] head : layer) {
                    JsonOut.matrix(g, head);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeFieldName("vector");
            JsonOut.floats(g, in.vector());
            g.writeEndObject();
        }));
    }
}
