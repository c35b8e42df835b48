package dev.tongyeok.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.embed.EncodedInput;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.rerank.Reranker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reranking with a served cross-encoder, in the two shapes clients speak: text-embeddings-inference's
 * {@code POST /rerank} ({@code query}, {@code texts}, {@code raw_scores}, {@code return_text},
 * {@code truncate} → {@code [{"index","score","text"}]} best first) and Jina's and Cohere's
 * {@code POST /v1/rerank} ({@code model}, {@code query}, {@code documents} as strings or
 * {@code {"text"}} objects, {@code top_n}, {@code return_documents} → {@code {"model","results":
 * [{"index","relevance_score","document"}],"usage"}}). Pairs go through the model's batcher with
 * embedding requests; the limits and error shapes are those of each API's other routes.
 */
final class RerankRoutes implements RouteGroup {
    private final ServedModels served;
    private final EmbeddingPath path;
    private final ServerOptions options;

    RerankRoutes(ServedModels served, EmbeddingPath path, ServerOptions options) {
        this.served = served;
        this.path = path;
        this.options = options;
    }

    @Override
    public Map<String, Route> routes() {
        Map<String, Route> r = new LinkedHashMap<>();
        r.put("/rerank", Route.heavyPost(this::tei));
        r.put("/v1/rerank", Route.heavyPost(this::v1));
        return r;
    }

    /** TEI's {@code /rerank}. */
    Reply tei(ObjectNode body) {
        ServedModel m = reranker(Fields.string(body, "model"));
        String query = query(body);
        List<String> texts = documents(body, "texts");
        boolean raw = Fields.bool(body, "raw_scores", false);
        boolean returnText = Fields.bool(body, "return_text", false);
        boolean truncate = Fields.bool(body, "truncate", options.autoTruncate());
        Scored s = score(m, query, texts, raw, truncate, "texts");
        List<Reranker.Ranked> ranked = Reranker.ranked(texts, s.scores(), 0);
        return Reply.json(200, JsonOut.write(g -> {
            g.writeStartArray();
            for (Reranker.Ranked r : ranked) {
                g.writeStartObject();
                g.writeNumberField("index", r.index());
                g.writeNumberField("score", r.score());
                if (returnText) {
                    g.writeStringField("text", r.document());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }), s.headers());
    }

    /** Jina's and Cohere's {@code /v1/rerank}: documents cut to the model's limit as those services cut them. */
    Reply v1(ObjectNode body) {
        ServedModel m = reranker(Fields.string(body, "model"));
        String query = query(body);
        List<String> documents = documents(body, "documents");
        int top = Fields.integer(body, "top_n", 1);
        boolean returnDocuments = Fields.bool(body, "return_documents", true);
        Scored s = score(m, query, documents, false, true, "documents");
        List<Reranker.Ranked> ranked = Reranker.ranked(documents, s.scores(), top);
        return Reply.json(200, JsonOut.write(g -> {
            g.writeStartObject();
            g.writeStringField("model", m.name());
            g.writeArrayFieldStart("results");
            for (Reranker.Ranked r : ranked) {
                g.writeStartObject();
                g.writeNumberField("index", r.index());
                g.writeNumberField("relevance_score", r.score());
                if (returnDocuments) {
                    g.writeObjectFieldStart("document");
                    g.writeStringField("text", r.document());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("usage");
            g.writeNumberField("total_tokens", s.tokens());
            g.writeEndObject();
            g.writeEndObject();
        }), s.headers());
    }

    private ServedModel reranker(String name) {
        ServedModel m = served.model(name);
        if (m.reranker() == null) {
            List<String> rerankers = new ArrayList<>();
            served.models().values().stream().filter(x -> x.reranker() != null).forEach(x -> rerankers.add(x.name()));
            throw ApiException.invalid("model", "'" + m.name() + "' is an embedding model, not a reranker (it has no "
                    + "classification head); " + (rerankers.isEmpty() ? "this server serves no cross-encoder (serve one "
                    + "with --model, e.g. cross-encoder/ms-marco-MiniLM-L-6-v2)" : "rerankers here: " + rerankers));
        }
        return m;
    }

    private static String query(ObjectNode body) {
        String q = Fields.string(body, "query");
        if (q == null) {
            throw new ApiException(ApiException.Kind.EMPTY, "'query' is missing; give the text to rank the documents "
                    + "against", "query");
        }
        if (q.isEmpty()) {
            throw new ApiException(ApiException.Kind.EMPTY, "'query' is an empty string", "query");
        }
        return q;
    }

    // The documents: strings, or {"text": ...} objects (Jina's and Cohere's other form).
    private List<String> documents(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw new ApiException(ApiException.Kind.EMPTY, "'" + field + "' is missing; give an array of documents",
                    field);
        }
        if (!n.isArray()) {
            throw ApiException.invalid(field, "'" + field + "' must be an array of strings, found " + Fields.kind(n));
        }
        if (n.isEmpty()) {
            throw new ApiException(ApiException.Kind.EMPTY, "'" + field + "' is an empty array", field);
        }
        if (n.size() > options.maxClientBatchSize()) {
            throw ApiException.invalid(field, "'" + field + "' has " + n.size() + " documents, more than the "
                    + options.maxClientBatchSize() + " this server takes in one request (--max-client-batch-size)");
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode d = n.get(i);
            JsonNode t = d.isObject() ? d.get("text") : d;
            if (t == null || !t.isTextual()) {
                throw ApiException.invalid(field, "'" + field + "[" + i + "]' must be a string"
                        + (field.equals("documents") ? " or {\"text\": string}" : "") + ", found "
                        + (t == null ? "an object without \"text\"" : Fields.kind(t)));
            }
            out.add(t.textValue());
        }
        return out;
    }

    private record Scored(float[] scores, int tokens, Map<String, String> headers) {}

    private Scored score(ServedModel m, String query, List<String> documents, boolean raw, boolean truncate,
            String field) {
        Reranker r = m.reranker();
        List<EncodedInput> pairs = r.pairs(query, documents, m.maxInputTokens());
        for (int i = 0; i < pairs.size(); i++) {
            EncodedInput p = pairs.get(i);
            if (p.truncated() && !truncate) {
                throw ApiException.invalid(field, "'" + field + "[" + i + "]' with the query makes "
                        + p.originalTokens() + " tokens, more than the " + m.maxInputTokens() + " this server takes "
                        + "for " + m.name() + " (--max-input-tokens); send \"truncate\": true to cut the document");
            }
        }
        List<Embedding> rows = path.run(m, pairs);
        Map<String, String> headers = new LinkedHashMap<>();
        path.reportTruncation(m, rows, headers); // the same X-Tongyeok-Truncated-* headers as the embedding routes
        return new Scored(r.scoresOfRows(rows, raw), EmbeddingPath.tokens(rows), headers);
    }
}
