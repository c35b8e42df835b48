package dev.tongyeok.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.search.Hit;
import dev.tongyeok.search.Indexer;
import dev.tongyeok.search.SearchIndex;
import dev.tongyeok.tokenize.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /search} on a server started with a search index: the library's hits, in the API's shape. */
class SearchRouteTest {
    @Test
    void searchRerankedByAServedCrossEncoder(@TempDir Path tmp) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        StringBuilder jsonl = new StringBuilder();
        List<String> sentences = Fixtures.brown(60);
        for (int i = 0; i < sentences.size(); i++) {
            jsonl.append(Http.JSON.writeValueAsString(Map.of("id", "s" + i, "text", sentences.get(i)))).append('\n');
        }
        Files.writeString(docs.resolve("brown.jsonl"), jsonl);
        Path index = tmp.resolve("index");
        Embedder minilm = Embedder.load("all-minilm-l6-v2");
        Indexer.open(index, minilm, "all-minilm-l6-v2", Indexer.Options.DEFAULTS).update(List.of(docs), (d, t, s) -> { });
        Path ce = dev.tongyeok.rerank.RerankerTest.writeModels(tmp.resolve("ce"))[0];
        dev.tongyeok.rerank.Reranker reranker = dev.tongyeok.rerank.Reranker.load(ce.toString());
        try (EmbeddingServer server = EmbeddingServer.start(ServerOptions.DEFAULTS.withPort(0),
                List.of(EmbeddingServer.ModelSource.of("all-minilm-l6-v2"), new EmbeddingServer.ModelSource("ce",
                        ce.toString())), List.of(), index);
                SearchIndex lib = SearchIndex.open(index, minilm)) {
            server.awaitReady();
            Http http = new Http(server.port());
            String query = "the jury said the election was conducted well";
            JsonNode got = http.post("/search", Map.of("query", query, "k", 4, "rerank", "ce", "candidates", 20)).json()
                    .get("hits");
            List<Hit> want = lib.search(query, 4, Map.of(), false, reranker, 20);
            assertEquals(4, got.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(want.get(i).id(), got.get(i).get("id").asText());
                assertEquals(want.get(i).score(), got.get(i).get("score").asDouble(), 0.0);
                assertEquals(want.get(i).rerankScore(), got.get(i).get("rerank_score").asDouble(), 0.0);
            }
            Http.Res embedder = http.post("/search", Map.of("query", query, "rerank", "all-minilm-l6-v2"));
            assertEquals(422, embedder.status());
            assertTrue(embedder.json().get("error").asText().contains("not a cross-encoder"), embedder.text());
            Http.Res few = http.post("/search", Map.of("query", query, "k", 30, "rerank", "ce", "candidates", 10));
            assertEquals(422, few.status());
            assertTrue(few.json().get("error").asText().contains("'candidates' must be between 'k' (30)"), few.text());
        }
    }

    @Test
    void searchAnswersAsTheLibraryDoes(@TempDir Path tmp) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        List<String> sentences = Fixtures.brown(300);
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < sentences.size(); i++) {
            jsonl.append(Http.JSON.writeValueAsString(Map.of("id", "s" + i, "text", sentences.get(i),
                    "half", i < 150 ? "a" : "b"))).append('\n');
        }
        Files.writeString(docs.resolve("brown.jsonl"), jsonl);
        Path index = tmp.resolve("index");
        Embedder minilm = Embedder.load("all-minilm-l6-v2");
        Indexer.open(index, minilm, "all-minilm-l6-v2", Indexer.Options.DEFAULTS).update(List.of(docs), (d, t, s) -> { });

        try (EmbeddingServer server = EmbeddingServer.start(ServerOptions.DEFAULTS.withPort(0),
                List.of(EmbeddingServer.ModelSource.of("all-minilm-l6-v2")), List.of(), index);
                SearchIndex lib = SearchIndex.open(index, minilm)) {
            server.awaitReady();
            Http http = new Http(server.port());
            for (boolean hybrid : new boolean[] {false, true}) {
                String query = "the jury said the election was conducted well";
                JsonNode got = http.post("/search", Map.of("query", query, "k", 5, "hybrid", hybrid)).json().get("hits");
                List<Hit> want = lib.search(query, 5, Map.of(), hybrid);
                assertEquals(5, got.size());
                for (int i = 0; i < 5; i++) {
                    JsonNode h = got.get(i);
                    assertEquals(i + 1, h.get("rank").asInt());
                    assertEquals(want.get(i).id(), h.get("id").asText());
                    assertEquals(want.get(i).score(), h.get("score").asDouble(), 0.0);
                    assertEquals(want.get(i).source(), h.get("source").asText());
                    assertEquals(want.get(i).start(), h.get("start").asInt());
                    assertEquals(want.get(i).end(), h.get("end").asInt());
                    assertEquals(want.get(i).text(), h.get("text").asText());
                }
            }
            JsonNode filtered = http.post("/search", Map.of("query", sentences.get(200), "filter", Map.of("half", "b")))
                    .json().get("hits");
            assertEquals(10, filtered.size(), "k defaults to 10");
            assertEquals("s200", filtered.get(0).get("id").asText());
            for (JsonNode h : filtered) {
                assertTrue(Integer.parseInt(h.get("id").asText().substring(1)) >= 150);
            }

            Http.Res empty = http.post("/search", Map.of("query", " "));
            assertEquals(400, empty.status());
            assertEquals("'query' is missing or empty", empty.json().get("error").asText());
            Http.Res bigK = http.post("/search", Map.of("query", "x", "k", 5000));
            assertEquals(422, bigK.status());
            assertTrue(bigK.json().get("error").asText().contains("'k' must be at most 1000"));
            Http.Res badFilter = http.post("/search", Map.of("query", "x", "filter", List.of("half")));
            assertEquals(422, badFilter.status());
            assertTrue(badFilter.json().get("error").asText().contains("'filter' must be an object"));
        }

        try (EmbeddingServer plain = EmbeddingServer.start(ServerOptions.DEFAULTS.withPort(0),
                List.of(EmbeddingServer.ModelSource.of("all-minilm-l6-v2")))) {
            plain.awaitReady();
            Http.Res none = new Http(plain.port()).post("/search", Map.of("query", "x"));
            assertEquals(404, none.status());
            assertTrue(none.json().get("error").asText().contains("no search index"), none.text());
        }
    }
}
