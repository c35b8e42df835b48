package dev.tongyeok.server;

import static dev.tongyeok.server.Http.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongyeok.rerank.Reranker;
import dev.tongyeok.rerank.RerankerTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both rerank routes on a tiny cross-encoder served beside an embedding model: the library's scores and order, and the routes' errors. */
class RerankServerTest {
    @TempDir
    static Path dir;

    static Reranker lib;
    static EmbeddingServer server;
    static Http http;
    static final String QUERY = "what is a panda?";
    static final List<String> DOCS = List.of("The giant panda is a bear.", "Cats sleep a lot.", "주식 시장이 오늘 급락했다",
            "Pandas eat bamboo.", "@#%^&*()");

    @BeforeAll
    static void start() throws Exception {
        Path model = RerankerTest.writeModels(dir)[0];
        lib = Reranker.load(model.toString());
        server = EmbeddingServer.start(ServerOptions.DEFAULTS.withPort(0).withMaxClientBatchSize(64),
                List.of(new EmbeddingServer.ModelSource("ce", model.toString()),
                        EmbeddingServer.ModelSource.of("all-minilm-l6-v2")));
        server.awaitReady();
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void teiRerankGivesTheLibrarysScoresBestFirst() throws Exception {
        List<Reranker.Ranked> want = lib.rank(QUERY, DOCS, 0, false);
        JsonNode got = http.post("/rerank", map("model", "ce", "query", QUERY, "texts", DOCS, "return_text", true)).json();
        assertEquals(DOCS.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(want.get(i).index(), got.get(i).get("index").asInt());
            assertEquals(want.get(i).score(), got.get(i).get("score").floatValue());
            assertEquals(want.get(i).document(), got.get(i).get("text").asText());
        }
        float[] raw = lib.scores(QUERY, DOCS, true);
        JsonNode logits = http.post("/rerank", map("model", "ce", "query", QUERY, "texts", DOCS, "raw_scores", true)).json();
        for (JsonNode r : logits) {
            assertEquals(raw[r.get("index").asInt()], r.get("score").floatValue());
            assertFalse(r.has("text"));
        }
    }

    @Test
    void v1RerankInJinasAndCoheresShape() throws Exception {
        List<Reranker.Ranked> want = lib.rank(QUERY, DOCS, 2, false);
        List<Object> docs = new ArrayList<>(DOCS);
        docs.set(1, Map.of("text", DOCS.get(1)));
        JsonNode got = http.post("/v1/rerank", map("model", "ce", "query", QUERY, "documents", docs, "top_n", 2)).json();
        assertEquals("ce", got.get("model").asText());
        JsonNode results = got.get("results");
        assertEquals(2, results.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(want.get(i).index(), results.get(i).get("index").asInt());
            assertEquals(want.get(i).score(), results.get(i).get("relevance_score").floatValue());
            assertEquals(want.get(i).document(), results.get(i).get("document").get("text").asText());
        }
        int tokens = 0;
        for (var p : lib.pairs(QUERY, DOCS)) {
            tokens += p.encoding().length();
        }
        assertEquals(tokens, got.get("usage").get("total_tokens").asInt());
        JsonNode bare = http.post("/v1/rerank", map("model", "ce", "query", QUERY, "documents", DOCS,
                "return_documents", false)).json();
        assertEquals(DOCS.size(), bare.get("results").size());
        assertFalse(bare.get("results").get(0).has("document"));
    }

    @Test
    void badRequestsGetEachApisErrorShape() throws Exception {
        Http.Res noQuery = http.post("/rerank", map("model", "ce", "texts", DOCS));
        assertEquals(400, noQuery.status());
        assertEquals("empty", noQuery.json().get("error_type").asText());
        Http.Res noDocs = http.post("/v1/rerank", map("model", "ce", "query", QUERY, "documents", List.of()));
        assertEquals(400, noDocs.status());
        assertTrue(noDocs.json().get("error").get("message").asText().contains("'documents' is an empty array"));
        Http.Res tooMany = http.post("/rerank", map("model", "ce", "query", QUERY,
                "texts", Collections.nCopies(3000, "a document")));
        assertEquals(422, tooMany.status());
        assertTrue(tooMany.json().get("error").asText().contains("3000 documents, more than the 64"), tooMany.text());
        Http.Res notText = http.post("/v1/rerank", map("model", "ce", "query", QUERY, "documents", List.of(1, 2)));
        assertEquals(400, notText.status());
        assertTrue(notText.text().contains("'documents[0]' must be a string or {\\\"text\\\": string}"), notText.text());
        Http.Res embedder = http.post("/rerank", map("model", "all-minilm-l6-v2", "query", QUERY, "texts", DOCS));
        assertEquals(422, embedder.status());
        assertTrue(embedder.json().get("error").asText().contains("is an embedding model, not a reranker")
                && embedder.json().get("error").asText().contains("rerankers here: [ce]"), embedder.text());
        String longDoc = String.join(" ", Collections.nCopies(600, "panda"));
        Http.Res tooLong = http.post("/rerank", map("model", "ce", "query", QUERY, "texts", List.of(longDoc),
                "truncate", false));
        assertEquals(422, tooLong.status());
        assertTrue(tooLong.json().get("error").asText().contains("send \"truncate\": true"), tooLong.text());
        Http.Res cut = http.post("/rerank", map("model", "ce", "query", QUERY, "texts", List.of(longDoc), "truncate", true));
        assertEquals(200, cut.status());
        assertEquals("1", cut.headers().firstValue("X-Tongyeok-Truncated").orElseThrow());
        assertEquals(lib.scores(QUERY, List.of(longDoc), false)[0], cut.json().get(0).get("score").floatValue());
    }

    @Test
    void rerankersAreListed() throws Exception {
        JsonNode info = http.get("/info").json();
        assertEquals("LABEL_0", info.get("model_type").get("reranker").get("id2label").get("0").asText());
        assertEquals("reranker", info.get("models").get(0).get("kind").asText());
        assertEquals("embedding", info.get("models").get(1).get("kind").asText());
        List<String> ids = new ArrayList<>();
        http.get("/v1/models").json().get("data").forEach(m -> ids.add(m.get("id").asText()));
        assertEquals(List.of("ce", "all-minilm-l6-v2"), ids);
    }
}
