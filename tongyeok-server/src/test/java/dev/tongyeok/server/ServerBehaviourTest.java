package dev.tongyeok.server;

import static dev.tongyeok.server.Http.floats;
import static dev.tongyeok.server.Http.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.tokenize.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the server behaves under load, limits, keys, CORS, shutdown and real client libraries.
 */
class ServerBehaviourTest {
    static Embedder minilm;

    @BeforeAll
    static void load() throws Exception {
        minilm = Embedder.load("all-minilm-l6-v2");
    }

    static EmbeddingServer start(ServerOptions o) throws Exception {
        EmbeddingServer s = EmbeddingServer.start(o.withPort(0), List.of(EmbeddingServer.ModelSource.of("all-minilm-l6-v2")));
        s.awaitReady();
        return s;
    }

    /**
     * 64 clients, each sending requests of 1 to 5 inputs of mixed lengths (Brown sentences and whole
     * paragraphs): every request answered, every vector bit-identical to the library's sequential
     * result for the same text, whatever else shared its encoder pass.
     */
    @Test
    void sixtyFourClientsGetExactlyTheSequentialVectors() throws Exception {
        List<String> sentences = Fixtures.brown(400);
        List<String> texts = new ArrayList<>(sentences);
        for (int i = 0; i + 8 <= 160; i += 8) {
            texts.add(String.join(" ", sentences.subList(i, i + 8))); // paragraph-length
        }
        List<float[]> want = new ArrayList<>();
        for (String t : texts) {
            want.add(minilm.embed(List.of(t), EmbedOptions.DEFAULTS).get(0).vector());
        }
        try (EmbeddingServer s = start(ServerOptions.DEFAULTS.withAutoTruncate(true))) {
            Http http = new Http(s.port());
            int clients = 64;
            int requestsPerClient = 12;
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
                List<Future<Integer>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    done.add(pool.submit(() -> {
                        Random rnd = new Random(client);
                        int answered = 0;
                        for (int r = 0; r < requestsPerClient; r++) {
                            int n = 1 + rnd.nextInt(5);
                            List<Integer> picks = new ArrayList<>();
                            for (int k = 0; k < n; k++) {
                                picks.add(rnd.nextInt(texts.size()));
                            }
                            List<String> batch = picks.stream().map(texts::get).toList();
                            String path = rnd.nextBoolean() ? "/embed" : "/v1/embeddings";
                            Http.Res res = http.post(path, path.equals("/embed") ? map("inputs", batch) : map("input", batch));
                            if (res.status() != 200) {
                                failures.add(path + " -> " + res.status() + " " + res.text());
                                continue;
                            }
                            JsonNode j = res.json();
                            for (int k = 0; k < n; k++) {
                                JsonNode v = path.equals("/embed") ? j.get(k) : j.get("data").get(k).get("embedding");
                                if (!java.util.Arrays.equals(want.get(picks.get(k)), floats(v))) {
                                    failures.add("client " + client + " request " + r + " input " + k + " differs");
                                }
                            }
                            answered++;
                        }
                        return answered;
                    }));
                }
                int answered = 0;
                for (Future<Integer> f : done) {
                    answered += f.get();
                }
                assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
                assertEquals(clients * requestsPerClient, answered);
            }
            String metrics = http.get("/metrics").text();
            assertTrue(metrics.contains("tongyeok_http_requests_total{route=\"/embed\",status=\"200\"}"));
            assertTrue(metrics.contains("tongyeok_queue_inputs{model=\"all-minilm-l6-v2\"} 0"), metrics);
        }
    }

    @Test
    void apiKeyAndCors() throws Exception {
        try (EmbeddingServer s = start(ServerOptions.DEFAULTS.withApiKey("sekret")
                .withCorsOrigins(List.of("http://localhost:3000")))) {
            Http http = new Http(s.port());
            Http.Res missing = http.post("/v1/embeddings", map("input", "hi"));
            assertEquals(401, missing.status());
            assertEquals("authentication_error", missing.json().get("error").get("type").asText());
            assertEquals("Bearer", missing.header("WWW-Authenticate"));
            Http.Res wrong = http.post("/embed", map("inputs", "hi"), "Authorization", "Bearer nope");
            assertEquals(401, wrong.status());
            assertEquals("wrong API key", wrong.json().get("error").asText());
            assertEquals(401, http.get("/metrics").status());
            // The scheme in any case; one header only; unknown routes do not answer 404 without the key.
            assertEquals(200, http.post("/embed", map("inputs", "hi"), "Authorization", "bearer sekret").status());
            Http.Res two = http.post("/embed", map("inputs", "hi"), "Authorization", "Bearer sekret",
                    "Authorization", "Bearer nope");
            assertEquals(401, two.status());
            assertEquals("more than one Authorization header; send one", two.json().get("error").asText());
            assertEquals(401, http.get("/admin").status(), "no key: an unknown route is not told apart");
            assertEquals(404, http.get("/admin", "Authorization", "Bearer sekret").status());
            assertEquals(401, http.post("/embed", map("inputs", "hi"), "Authorization", "Basic sekret").status());
            assertEquals(200, http.get("/health").status()); // probes need no key
            Http.Res ok = http.post("/embed", map("inputs", "hi"), "Authorization", "Bearer sekret",
                    "Origin", "http://localhost:3000");
            assertEquals(200, ok.status());
            assertEquals("http://localhost:3000", ok.header("Access-Control-Allow-Origin"));
            Http.Res other = http.post("/embed", map("inputs", "hi"), "Authorization", "Bearer sekret",
                    "Origin", "http://evil.example");
            assertNull(other.header("Access-Control-Allow-Origin"));
            Http.Res preflight = http.method("OPTIONS", "/embed", "Origin", "http://localhost:3000",
                    "Access-Control-Request-Method", "POST");
            assertEquals(204, preflight.status());
            assertTrue(preflight.header("Access-Control-Allow-Headers").contains("Authorization"));
        }
        try (EmbeddingServer s = start(ServerOptions.DEFAULTS)) { // CORS off by default
            Http.Res r = new Http(s.port()).post("/embed", map("inputs", "hi"), "Origin", "http://localhost:3000");
            assertEquals(200, r.status());
            assertNull(r.header("Access-Control-Allow-Origin"));
        }
    }

    /** A long request holds the only slot; the next one gets 429 with Retry-After, then all is well. */
    @Test
    void overloadAnswers429AndTimeoutAnswers503() throws Exception {
        List<String> heavy = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            heavy.add(String.join(" ", Fixtures.brown(400).subList(i, i + 12)));
        }
        try (EmbeddingServer s = start(ServerOptions.DEFAULTS.withMaxConcurrentRequests(1).withAutoTruncate(true))) {
            Http http = new Http(s.port());
            try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
                Future<Http.Res> slow = pool.submit(() -> http.post("/embed", map("inputs", heavy)));
                // Wait for the state, not for a time: the heavy request holds the slot.
                awaitInFlight(http, slow);
                Http.Res busy = http.post("/embed", map("inputs", "hi"));
                assertEquals(429, busy.status(), busy.text());
                assertEquals("overloaded", busy.json().get("error_type").asText());
                assertEquals("1", busy.header("Retry-After"));
                assertEquals(200, slow.get().status());
            }
            assertEquals(200, http.post("/embed", map("inputs", "hi")).status());
        }
        try (EmbeddingServer s = start(ServerOptions.DEFAULTS.withRequestTimeout(Duration.ofMillis(1))
                .withAutoTruncate(true))) {
            Http http = new Http(s.port());
            Http.Res late = http.post("/v1/embeddings", map("input", heavy));
            assertEquals(503, late.status(), late.text());
            assertEquals("timeout", late.json().get("error").get("code").asText());
            assertEquals("1", late.header("Retry-After"));
            assertEquals(200, http.get("/health").status());
        }
    }

    /** close() (what SIGTERM runs) lets a request in flight finish, then stops listening. */
    @Test
    void shutdownDrainsRequestsInFlight() throws Exception {
        List<String> heavy = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            heavy.add(String.join(" ", Fixtures.brown(300).subList(i, i + 10)));
        }
        // A drain timeout no machine reaches: the request (60 × 256 tokens, seconds on a cold JVM) must
        // finish because close() waits for it, not because it was quick. With the default 30 s a
        // loaded 2-core machine sometimes cut it off (the test's own slowness, not the server's).
        EmbeddingServer s = start(ServerOptions.DEFAULTS.withAutoTruncate(true)
                .withDrainTimeout(Duration.ofMinutes(10)));
        Http http = new Http(s.port());
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<Http.Res> inFlight = pool.submit(() -> http.post("/embed", map("inputs", heavy)));
            awaitInFlight(http, inFlight);
            s.close();
            Http.Res r = inFlight.get();
            assertEquals(200, r.status(), r.text());
            assertEquals(heavy.size(), r.json().size());
        }
        assertThrows(AssertionError.class, () -> http.get("/health")); // connection refused
    }

    /** Waits until the server reports one request in flight; fails if it finished before being seen. */
    private static void awaitInFlight(Http http, Future<Http.Res> request) {
        while (!http.get("/metrics").text().contains("tongyeok_requests_in_flight 1.0")) {
            assertTrue(!request.isDone(), "the request finished before it was seen in flight");
            Thread.onSpinWait();
        }
    }

    /** A model that cannot load: /health says so with 503, awaitReady throws the reason. */
    @Test
    void notReadyUntilLoaded() throws Exception {
        EmbeddingServer s = EmbeddingServer.start(ServerOptions.DEFAULTS.withPort(0),
                List.of(EmbeddingServer.ModelSource.of("/no/such/model")));
        try {
            Exception e = assertThrows(Exception.class, s::awaitReady);
            assertTrue(String.valueOf(e.getMessage()).contains("/no/such/model"), e.toString());
            Http http = new Http(s.port());
            Http.Res health = http.get("/health");
            assertEquals(503, health.status());
            assertTrue(health.json().get("error").asText().contains("loading failed"), health.text());
            assertEquals(503, http.post("/embed", map("inputs", "hi")).status());
        } finally {
            s.close();
        }
    }

    /** LangChain4j's OpenAI and Ollama clients, pointed at tongyeok, get the library's vectors. */
    @Test
    void realClientLibraries() throws Exception {
        List<String> texts = List.of("I love you so much.", "안녕하세요", "The stock market fell today.");
        List<Embedding> want = minilm.embed(texts, EmbedOptions.DEFAULTS);
        try (EmbeddingServer s = start(ServerOptions.DEFAULTS.withApiKey("sekret"))) {
            OpenAiEmbeddingModel openAi = OpenAiEmbeddingModel.builder().baseUrl("http://127.0.0.1:" + s.port() + "/v1")
                    .apiKey("sekret").modelName("all-minilm-l6-v2").build();
            var got = openAi.embedAll(texts.stream().map(TextSegment::from).toList());
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(want.get(i).vector(), got.content().get(i).vector(), "openai client, text " + i);
            }
            int tokens = want.stream().mapToInt(e -> e.encoding().length()).sum();
            assertEquals(tokens, got.tokenUsage().inputTokenCount());
        }
        try (EmbeddingServer s = start(ServerOptions.DEFAULTS)) {
            OllamaEmbeddingModel ollama = OllamaEmbeddingModel.builder().baseUrl("http://127.0.0.1:" + s.port())
                    .modelName("all-minilm-l6-v2").build();
            var got = ollama.embedAll(texts.stream().map(TextSegment::from).toList());
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(want.get(i).vector(), got.content().get(i).vector(), "ollama client, text " + i);
            }
        }
    }
}
