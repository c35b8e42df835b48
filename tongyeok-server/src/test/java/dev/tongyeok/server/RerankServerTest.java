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
        assertEquals("1", cut.headers().firstValue("X-Tongyeok-Truncated-Count").orElseThrow());
        assertEquals("0", cut.headers().firstValue("X-Tongyeok-Truncated-Inputs").orElseThrow());
        assertEquals(lib.scores(QUERY, List.of(longDoc), false)[0], cut.json().get(0).get("score").floatValue());
    }

    @Test
    void inspectReadsThePairAndTheExplorerDrawsIt() throws Exception {
        String doc = DOCS.get(0);
        JsonNode in = http.post("/inspect", map("model", "ce", "text", QUERY, "pair", doc)).json();
        assertEquals(lib.scores(QUERY, List.of(doc), false)[0], in.get("score").floatValue(), 1e-6f);
        var pair = lib.pairs(QUERY, List.of(doc)).get(0).encoding();
        assertEquals(pair.length(), in.get("tokens").size());
        for (int t = 0; t < pair.length(); t++) {
            assertEquals(pair.id(t), in.get("tokens").get(t).get("id").asInt());
            assertEquals(pair.special(t) ? -1 : pair.sequenceId(t), in.get("tokens").get(t).get("sequence").asInt());
        }
        assertTrue(http.post("/inspect", map("model", "all-minilm-l6-v2", "text", QUERY, "pair", doc)).json()
                .get("score").isNull(), "an embedding model reads pairs too, without a score");

        org.openqa.selenium.chrome.ChromeDriver browser = Chromium.start(1280, 2400);
        try {
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(60));
            browser.get("http://127.0.0.1:" + server.port() + "/");
            var run = org.openqa.selenium.By.cssSelector("[data-testid=run]");
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable(run));
            new org.openqa.selenium.support.ui.Select(browser.findElement(org.openqa.selenium.By.cssSelector(
                    "[data-testid=model-select]"))).selectByValue("ce");
            var pairInput = browser.findElement(org.openqa.selenium.By.cssSelector("[data-testid=pair-input]"));
            assertTrue(pairInput.isDisplayed(), "a reranker shows the document box");
            var text = browser.findElement(org.openqa.selenium.By.cssSelector("[data-testid=text-input]"));
            text.clear();
            text.sendKeys(QUERY);
            pairInput.clear();
            pairInput.sendKeys(doc);
            browser.findElement(run).click();
            String score = String.format(java.util.Locale.ROOT, "%.4f", in.get("score").floatValue());
            var scoreLine = org.openqa.selenium.By.cssSelector("[data-testid=pair-score]");
            wait.until(d -> d.findElement(scoreLine).getText().contains("relevance score " + score));
            // A document token's chip shows the document's text, not the query's at the same offsets.
            int firstDoc = 0;
            while (in.get("tokens").get(firstDoc).get("sequence").asInt() != 1) {
                firstDoc++;
            }
            JsonNode docToken = in.get("tokens").get(firstDoc);
            String piece = String.valueOf(browser.executeScript("return document.querySelectorAll("
                    + "'[data-testid=token]')[arguments[0]].querySelector('.piece').textContent", firstDoc));
            assertEquals(doc.substring(docToken.get("start").asInt(), docToken.get("stop").asInt()), piece);
            // Each layer's share of query attention on document tokens, as /inspect's matrices give it.
            var rows = browser.findElements(org.openqa.selenium.By.cssSelector("[data-testid=pair-flow-layer]"));
            assertEquals(in.get("layers").asInt(), rows.size());
            for (int l = 0; l < rows.size(); l++) {
                double sum = 0;
                int n = 0;
                for (JsonNode head : in.get("attention").get(l)) {
                    for (int i = 0; i < head.size(); i++) {
                        if (in.get("tokens").get(i).get("sequence").asInt() != 0) {
                            continue;
                        }
                        n++;
                        for (int j = 0; j < head.get(i).size(); j++) {
                            if (in.get("tokens").get(j).get("sequence").asInt() == 1) {
                                sum += head.get(i).get(j).asDouble();
                            }
                        }
                    }
                }
                assertEquals(sum / n, Double.parseDouble(rows.get(l).getAttribute("data-query-to-document")), 1e-5,
                        "layer " + (l + 1));
            }
            new org.openqa.selenium.support.ui.Select(browser.findElement(org.openqa.selenium.By.cssSelector(
                    "[data-testid=model-select]"))).selectByValue("all-minilm-l6-v2");
            assertFalse(pairInput.isDisplayed(), "an embedding model hides it");
        } finally {
            browser.quit();
        }
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
