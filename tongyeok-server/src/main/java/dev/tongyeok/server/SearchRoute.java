package dev.tongyeok.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.search.Hit;
import dev.tongyeok.search.SearchException;
import dev.tongyeok.search.SearchIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tongyeok's own {@code POST /search} over the index {@code serve --index} opened: {@code {"query",
 * "k","filter","hybrid","rerank","candidates"}} → {@code {"hits":[…]}}. Without an index the route answers 404 and says
 * how to start one.
 */
final class SearchRoute implements RouteGroup {
    private final ServedModels served;
    private volatile SearchIndex index; // null without --index

    SearchRoute(ServedModels served) {
        this.served = served;
    }

    /** Serves {@code index} from now on (null: none). */
    void open(SearchIndex index) {
        this.index = index;
    }

    @Override
    public Map<String, Route> routes() {
        return Map.of("/search", Route.heavyPost(this::search));
    }

    /**
     * A {@code /search} body: {@code query}, {@code k} (default 10, at most {@link SearchIndex#MAX_K}),
     * {@code hybrid}, {@code filter}, {@code rerank} (a served cross-encoder's name) and {@code candidates}
     * (how many nearest chunks it reads, default 50).
     */
    record Request(String query, int k, boolean hybrid, Map<String, String> filter, String rerank, int candidates) {
        static Request parse(ObjectNode body) {
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
                    throw ApiException.invalid("filter", "'filter' must be an object of field: value, found "
                            + Fields.kind(f));
                }
                for (Map.Entry<String, JsonNode> e : f.properties()) {
                    if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                        throw ApiException.invalid("filter", "'filter." + e.getKey()
                                + "' must be a string or a number, found " + Fields.kind(e.getValue()));
                    }
                    filter.put(e.getKey(), e.getValue().asText());
                }
            }
            String rerank = Fields.string(body, "rerank");
            int candidates = Fields.integer(body, "candidates", 1);
            if (candidates == 0) {
                candidates = Math.max(k, 50);
            }
            if (rerank == null && body.has("candidates")) {
                throw ApiException.invalid("candidates", "'candidates' applies with 'rerank' only");
            }
            if (candidates < k || candidates > SearchIndex.MAX_K) {
                throw ApiException.invalid("candidates", "'candidates' must be between 'k' (" + k + ") and "
                        + SearchIndex.MAX_K + ", found " + candidates);
            }
            return new Request(query, k, hybrid, filter, rerank, candidates);
        }
    }

    Reply search(ObjectNode body) {
        served.checkReady();
        SearchIndex si = index;
        if (si == null) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "this server has no search index (start it with "
                    + "tongyeok serve --index DIR)");
        }
        Request req = Request.parse(body);
        List<Hit> hits;
        try {
            if (req.rerank() == null) {
                hits = si.search(req.query(), req.k(), req.filter(), req.hybrid());
            } else {
                ServedModel m = served.model(req.rerank());
                if (m.reranker() == null) {
                    throw ApiException.invalid("rerank", "'rerank': '" + m.name() + "' is an embedding model, not a "
                            + "cross-encoder");
                }
                hits = si.search(req.query(), req.k(), req.filter(), req.hybrid(), m.reranker(), req.candidates());
            }
        } catch (SearchException e) {
            throw ApiException.invalid("query", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Reply.json(JsonOut.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("hits");
            for (Hit h : hits) {
                h.writeJson(g);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }
}
