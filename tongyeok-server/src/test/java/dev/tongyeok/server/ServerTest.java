package dev.tongyeok.server;

import static dev.tongyeok.server.Http.floats;
import static dev.tongyeok.server.Http.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.embed.Inspection;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.tokenize.Encoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route against a running server on an ephemeral 127.0.0.1 port, with the JDK's HTTP client:
 * shapes, and values equal to the library's output for the same text.
 */
class ServerTest {
    static final List<String> TEXTS = List.of("I love you so much.", "안녕하세요 こんにちは 你好 @#%^&*()",
            "The stock market fell today.", "a");

    static EmbeddingServer server;
    static Http http;
    static Embedder minilm;
    static Embedder e5;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddingServer.start(ServerOptions.DEFAULTS.withPort(0).withMaxClientBatchSize(8)
                .withMaxBodyBytes(64_000).withMaxInspectTokens(32),
                List.of(EmbeddingServer.ModelSource.of("all-minilm-l6-v2"),
                        EmbeddingServer.ModelSource.parse("e5=e5-small-v2")));
        server.awaitReady();
        http = new Http(server.port());
        minilm = Embedder.load("all-minilm-l6-v2");
        e5 = Embedder.load("e5-small-v2");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<Embedding> lib(Embedder e, EmbedOptions o) {
        return e.embed(TEXTS, o);
    }

    @Test
    void teiEmbedEqualsLibrary() {
        List<Embedding> want = lib(minilm, EmbedOptions.DEFAULTS);
        JsonNode got = http.post("/embed", map("inputs", TEXTS)).json();
        assertEquals(TEXTS.size(), got.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertArrayEquals(want.get(i).vector(), floats(got.get(i)), "text " + i);
        }
        // One string, and the huggingface_hub client's shape with explicit nulls.
        JsonNode one = http.post("/embed", "{\"inputs\":\"I love you so much.\",\"normalize\":null,\"prompt_name\":null,"
                + "\"truncate\":null,\"truncation_direction\":null}").json();
        assertArrayEquals(want.get(0).vector(), floats(one.get(0)));
        // normalize=false, dimensions.
        JsonNode raw = http.post("/embed", map("inputs", TEXTS.get(0), "normalize", false)).json();
        assertArrayEquals(minilm.embed(TEXTS.subList(0, 1), EmbedOptions.DEFAULTS.withNormalize(false)).get(0).vector(),
                floats(raw.get(0)));
        JsonNode cut = http.post("/embed", map("inputs", TEXTS.get(0), "dimensions", 64)).json();
        assertArrayEquals(minilm.embed(TEXTS.subList(0, 1), EmbedOptions.DEFAULTS.withDimensions(64)).get(0).vector(),
                floats(cut.get(0)));
    }

    @Test
    void embedAllEqualsLibraryTokenVectors() {
        List<Embedding> want = lib(minilm, EmbedOptions.DEFAULTS.withPooling(Pooling.NONE).withNormalize(false));
        JsonNode got = http.post("/embed_all", map("inputs", TEXTS)).json();
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEquals(want.get(i).tokenVectors().length, got.get(i).size());
            for (int t = 0; t < got.get(i).size(); t++) {
                assertArrayEquals(want.get(i).tokenVectors()[t], floats(got.get(i).get(t)), "text " + i + " token " + t);
            }
        }
    }

    @Test
    void openAiFloatAndBase64() {
        List<Embedding> want = lib(minilm, EmbedOptions.DEFAULTS);
        Http.Res r = http.post("/v1/embeddings", map("input", TEXTS, "model", "all-minilm-l6-v2",
                "encoding_format", "float", "user", "someone"));
        assertEquals(200, r.status(), r.text());
        JsonNode j = r.json();
        assertEquals("list", j.get("object").asText());
        assertEquals("all-minilm-l6-v2", j.get("model").asText());
        int tokens = 0;
        for (int i = 0; i < TEXTS.size(); i++) {
            JsonNode d = j.get("data").get(i);
            assertEquals("embedding", d.get("object").asText());
            assertEquals(i, d.get("index").asInt());
            assertArrayEquals(want.get(i).vector(), floats(d.get("embedding")));
            tokens += want.get(i).encoding().length();
        }
        assertEquals(tokens, j.get("usage").get("prompt_tokens").asInt());
        assertEquals(tokens, j.get("usage").get("total_tokens").asInt());
        // The official Python client's own request: a list, base64, its headers.
        Http.Res b = http.post("/v1/embeddings", "{\"input\":[\"I love you so much.\"],\"model\":\"all-minilm-l6-v2\","
                + "\"encoding_format\":\"base64\"}", "User-Agent", "OpenAI/Python 1.109.1", "X-Stainless-Lang", "python",
                "Authorization", "Bearer unused");
        assertEquals(200, b.status(), b.text());
        byte[] bytes = Base64.getDecoder().decode(b.json().get("data").get(0).get("embedding").asText());
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        assertArrayEquals(want.get(0).vector(), v);
        // Token ids as input: the model's own ids, markers included, give the text's vector.
        int[] ids = minilm.tokenizer().encode(TEXTS.get(0)).ids();
        JsonNode byIds = http.post("/v1/embeddings", map("input", ids, "model", "all-minilm-l6-v2")).json();
        assertArrayEquals(want.get(0).vector(), floats(byIds.get("data").get(0).get("embedding")));
        JsonNode dims = http.post("/v1/embeddings", map("input", "x", "dimensions", 32)).json();
        assertEquals(32, dims.get("data").get(0).get("embedding").size());
        JsonNode models = http.get("/v1/models").json();
        assertEquals("all-minilm-l6-v2", models.get("data").get(0).get("id").asText());
        assertEquals("e5", models.get("data").get(1).get("id").asText());
    }

    @Test
    void ollamaEmbed() {
        List<Embedding> want = lib(minilm, EmbedOptions.DEFAULTS);
        JsonNode j = http.post("/api/embed", map("model", "all-minilm-l6-v2:latest", "input", TEXTS)).json();
        assertEquals("all-minilm-l6-v2", j.get("model").asText());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertArrayEquals(want.get(i).vector(), floats(j.get("embeddings").get(i)));
        }
        int tokens = want.stream().mapToInt(e -> e.encoding().length()).sum();
        assertEquals(tokens, j.get("prompt_eval_count").asInt());
        assertTrue(j.get("total_duration").asLong() > 0);
    }

    @Test
    void secondModelAndNamedPrompt() {
        List<Embedding> want = e5.embed(TEXTS, EmbedOptions.DEFAULTS.withPrompt("query: "));
        JsonNode j = http.post("/embed", map("model", "e5", "inputs", TEXTS, "prompt_name", "query")).json();
        for (int i = 0; i < TEXTS.size(); i++) {
            assertArrayEquals(want.get(i).vector(), floats(j.get(i)));
        }
        Http.Res bad = http.post("/embed", map("model", "e5", "inputs", "x", "prompt_name", "nope"));
        assertEquals(422, bad.status());
        assertTrue(bad.json().get("error").asText().contains("defined: "), bad.text());
    }

    @Test
    void tokenizeAndDecode() {
        JsonNode j = http.post("/tokenize", map("inputs", TEXTS)).json();
        for (int i = 0; i < TEXTS.size(); i++) {
            String text = TEXTS.get(i);
            Encoding e = minilm.tokenizer().encode(text);
            JsonNode toks = j.get(i);
            assertEquals(e.length(), toks.size());
            for (int t = 0; t < e.length(); t++) {
                JsonNode tok = toks.get(t);
                assertEquals(e.id(t), tok.get("id").asInt());
                boolean special = e.specialTokensMask()[t] == 1;
                assertEquals(special, tok.get("special").asBoolean());
                if (!special) { // UTF-8 byte offsets, as TEI gives them
                    int start = text.substring(0, e.start(t)).getBytes(StandardCharsets.UTF_8).length;
                    int stop = text.substring(0, e.end(t)).getBytes(StandardCharsets.UTF_8).length;
                    assertEquals(start, tok.get("start").asInt(), "text " + i + " token " + t);
                    assertEquals(stop, tok.get("stop").asInt());
                    assertEquals(text.substring(e.start(t), e.end(t)), tok.get("text").asText());
                }
            }
            JsonNode plain = http.post("/tokenize", map("inputs", text, "add_special_tokens", false)).json().get(0);
            assertEquals(e.length() - 2, plain.size());
            JsonNode decoded = http.post("/decode", map("ids", e.ids())).json();
            assertEquals(minilm.tokenizer().decode(e.ids(), true), decoded.get(0).asText());
        }
        JsonNode many = http.post("/decode", map("ids", List.of(new int[] {101, 7632, 102}, new int[] {2045}),
                "skip_special_tokens", false)).json();
        assertEquals(minilm.tokenizer().decode(new int[] {101, 7632, 102}, false), many.get(0).asText());
        assertEquals(2, many.size());
    }

    @Test
    void infoHealthInspectMetrics() {
        JsonNode info = http.get("/info").json();
        assertEquals("all-minilm-l6-v2", info.get("model_id").asText());
        assertEquals(256, info.get("max_input_length").asInt());
        assertEquals(8, info.get("max_client_batch_size").asInt());
        assertEquals(false, info.get("auto_truncate").asBoolean());
        assertEquals("mean", info.get("model_type").get("embedding").get("pooling").asText());
        assertEquals("float32", info.get("model_dtype").asText(), "the stored type of the weights");
        assertEquals("float32", info.get("models").get(0).get("dtype").asText());
        assertEquals("query: ", info.get("models").get(1).get("prompts").get("query").asText());
        Http.Res health = http.get("/health");
        assertEquals(200, health.status());
        assertEquals("ok", health.json().get("status").asText());

        String text = "I love you so much.";
        Inspection want = minilm.inspect(text, EmbedOptions.DEFAULTS);
        JsonNode in = http.post("/inspect", map("text", text)).json();
        int T = want.tokens();
        assertEquals(T, in.get("tokens").size());
        assertEquals("[CLS]", in.get("tokens").get(0).get("text").asText());
        assertEquals("love", in.get("tokens").get(2).get("text").asText());
        assertEquals(2, in.get("tokens").get(2).get("start").asInt()); // UTF-16 offsets, for browsers
        assertEquals(6, in.get("tokens").get(2).get("stop").asInt());
        assertEquals(6, in.get("layers").asInt());
        assertEquals(12, in.get("heads").asInt());
        for (int t = 0; t < T; t++) {
            assertArrayEquals(want.staticEmbeddings()[t], floats(in.get("static").get(t)));
        }
        assertEquals(want.hiddenStates().size(), in.get("hidden").size());
        for (int l = 0; l < want.hiddenStates().size(); l++) {
            for (int t = 0; t < T; t++) {
                assertArrayEquals(want.hiddenStates().get(l)[t], floats(in.get("hidden").get(l).get(t)));
            }
        }
        for (int l = 0; l < 6; l++) {
            for (int h = 0; h < 12; h++) {
                for (int t = 0; t < T; t++) {
                    assertArrayEquals(want.attentions()[l][h][t], floats(in.get("attention").get(l).get(h).get(t)));
                }
            }
        }
        assertArrayEquals(want.vector(), floats(in.get("vector")));
        Http.Res tooLong = http.post("/inspect", map("text", "word ".repeat(40)));
        assertEquals(422, tooLong.status());
        assertTrue(tooLong.json().get("error").asText().contains("at most 32"), tooLong.text());

        assertEquals(200, http.post("/embed", map("inputs", text)).status()); // at least one batch
        String metrics = http.get("/metrics").text();
        for (String name : List.of("tongyeok_http_requests_total{route=\"/inspect\",status=\"200\"}",
                "tongyeok_http_request_duration_seconds_bucket", "tongyeok_batch_inputs_bucket",
                "tongyeok_batch_tokens_bucket", "tongyeok_tokens_total{model=\"all-minilm-l6-v2\"}",
                "tongyeok_queue_inputs{model=\"all-minilm-l6-v2\"}", "tongyeok_requests_in_flight")) {
            assertTrue(metrics.contains(name), name + " missing from /metrics:\n" + metrics);
        }
    }

    @Test
    void truncationIsReported() {
        String longText = "word ".repeat(300); // 302 tokens with the markers
        Http.Res refused = http.post("/embed", map("inputs", List.of("short", longText)));
        assertEquals(422, refused.status());
        assertEquals("validation", refused.json().get("error_type").asText());
        assertTrue(refused.json().get("error").asText().contains("'inputs[1]' has 302 tokens"), refused.text());
        Http.Res openAi = http.post("/v1/embeddings", map("input", longText));
        assertEquals(400, openAi.status());
        assertEquals("input", openAi.json().get("error").get("param").asText());

        Http.Res cut = http.post("/embed", map("inputs", List.of("short", longText), "truncate", true));
        assertEquals(200, cut.status(), cut.text());
        assertEquals("1", cut.header("X-Tongyeok-Truncated-Count"));
        assertEquals("1", cut.header("X-Tongyeok-Truncated-Inputs"));
        assertEquals("302", cut.header("X-Tongyeok-Original-Tokens"));
        assertEquals("256", cut.header("X-Tongyeok-Kept-Tokens"));
        assertArrayEquals(minilm.embed(List.of(longText), EmbedOptions.DEFAULTS).get(0).vector(), floats(cut.json().get(1)));
        Http.Res left = http.post("/embed", map("inputs", longText + "end", "truncate", true,
                "truncation_direction", "Left"));
        assertEquals(200, left.status());
        Http.Res ollama = http.post("/api/embed", map("input", longText)); // Ollama truncates by default
        assertEquals(200, ollama.status());
        assertEquals("302", ollama.header("X-Tongyeok-Original-Tokens"));
        Http.Res none = http.post("/embed", map("inputs", "short"));
        assertNull(none.header("X-Tongyeok-Truncated-Count"));
    }

    @Test
    void badRequestsGetTheirStatusAndShape() {
        record Case(String path, String body, int status, String contains) {
        }
        List<Case> cases = List.of(
                new Case("/embed", "{\"inputs\": [\"a\",", 400, "line 1, column"),
                new Case("/embed", "", 400, "empty"),
                new Case("/embed", "[1,2]", 400, "JSON object"),
                new Case("/embed", "{\"inputs\": 5}", 422, "'inputs' must be a string or an array of strings, found a number"),
                new Case("/embed", "{\"inputs\": [\"a\", {}]}", 422, "'inputs[1]' must be a string or an array of token ids"),
                new Case("/embed", "{\"inputs\": \"a\", \"normalize\": \"yes\"}", 422, "'normalize' must be true or false"),
                new Case("/embed", "{\"inputs\": \"a\", \"dimensions\": 1000}", 422, "exceeds the model's 384"),
                new Case("/embed", "{\"inputs\": \"a\", \"dimensions\": -3}", 422, "'dimensions' must be an integer >= 1"),
                new Case("/embed", "{\"inputs\": \"a\", \"truncation_direction\": \"up\"}", 422, "truncation_direction"),
                new Case("/embed", "{}", 400, "'inputs' is missing"),
                new Case("/embed", "{\"inputs\": []}", 400, "empty array"),
                new Case("/embed", "{\"inputs\": [\"a\", \"\"]}", 400, "'inputs[1]' is an empty string"),
                new Case("/embed", "{\"inputs\": [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]}", 422,
                        "9 inputs, more than the 8"),
                new Case("/embed", "{\"inputs\": [[101, 99999]]}", 422, "outside the vocabulary"),
                new Case("/embed", "{\"inputs\": \"a\", \"model\": \"gpt-4\"}", 404, "model 'gpt-4' is not served"),
                new Case("/decode", "{\"ids\": \"x\"}", 422, "'ids' must be an array"),
                new Case("/v1/embeddings", "{\"input\": \"\"}", 400, "empty string"),
                new Case("/v1/embeddings", "{\"input\": \"a\", \"encoding_format\": \"int8\"}", 400, "encoding_format"),
                new Case("/v1/embeddings", "{\"input\": [\"a\", [1, -2]]}", 400, "token id"),
                new Case("/api/embed", "{\"input\": true}", 400, "'input' must be a string"));
        for (Case c : cases) {
            Http.Res r = http.post(c.path(), c.body());
            assertEquals(c.status(), r.status(), c + " -> " + r.text());
            JsonNode j = r.json();
            Api api = Api.of(c.path());
            String message = switch (api) {
                case OPENAI -> j.get("error").get("message").asText();
                case TEI -> j.get("error").asText();
                case OLLAMA -> j.get("error").asText();
            };
            assertTrue(message.contains(c.contains()), c + " -> " + message);
            if (api == Api.TEI) {
                assertNotNull(j.get("error_type"), r.text());
            }
            if (api == Api.OPENAI) {
                assertNotNull(j.get("error").get("type"), r.text());
                assertTrue(j.get("error").has("param") && j.get("error").has("code"), r.text());
            }
        }
        // Oversized bodies (the limit is 64,000 bytes): refused from the Content-Length, or once the
        // chunks pass the limit; the rest is read and dropped, so the reply arrives.
        Http.Res big = http.post("/embed", "{\"inputs\":\"" + "x".repeat(70_000) + "\"}");
        assertEquals(413, big.status());
        assertEquals("validation", big.json().get("error_type").asText());
        assertTrue(big.json().get("error").asText().contains("70013 bytes, more than the 64000"), big.text());
        for (int size : new int[] {64_001, 200_000}) {
            Http.Res chunked = http.postChunked("/embed", "{\"inputs\":\"" + "x".repeat(size - 13) + "\"}");
            assertEquals(413, chunked.status(), chunked.text());
            assertTrue(chunked.json().get("error").asText().contains("longer than the 64000 bytes"), chunked.text());
        }
        Http.Res fits = http.postChunked("/embed", "{\"inputs\":\"chunked but small\"}");
        assertEquals(200, fits.status(), fits.text());
        Http.Res route = http.get("/nowhere");
        assertEquals(404, route.status());
        assertTrue(route.json().get("error").asText().contains("no route GET /nowhere"));
        Http.Res method = http.get("/embed");
        assertEquals(405, method.status());
        assertEquals("POST, OPTIONS", method.header("Allow"));
        Http.Res method2 = http.method("DELETE", "/health");
        assertEquals(405, method2.status());
        // Still healthy and still right.
        assertEquals(200, http.get("/health").status());
        assertArrayEquals(minilm.embed(TEXTS.get(0)), floats(http.post("/embed", map("inputs", TEXTS.get(0))).json().get(0)));
        String metrics = http.get("/metrics").text();
        assertTrue(metrics.contains("tongyeok_http_requests_total{route=\"/embed\",status=\"422\"}"), metrics);
        assertTrue(metrics.contains("tongyeok_http_requests_total{route=\"other\",status=\"404\"}"), metrics);
    }
}
