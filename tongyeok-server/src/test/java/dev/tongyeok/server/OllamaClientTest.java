package dev.tongyeok.server;

import static dev.tongyeok.server.Http.floats;
import static dev.tongyeok.server.Http.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.oracle.NodeScript;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ollama's own JavaScript client (npm {@code ollama}) against {@code tongyeok serve}: {@code list},
 * {@code show}, {@code embeddings} (the older route), {@code embed} and {@code version} all answer,
 * with the library's vectors.
 */
class OllamaClientTest {
    @Test
    void ollamasClientListsShowsAndEmbeds() throws Exception {
        Embedder lib = Embedder.load("all-minilm-l6-v2");
        String text = "I love you so much.";
        try (EmbeddingServer server = EmbeddingServer.start(ServerOptions.DEFAULTS.withPort(0),
                List.of(EmbeddingServer.ModelSource.of("all-minilm-l6-v2")))) {
            server.awaitReady();
            ObjectNode job = Http.JSON.createObjectNode();
            job.put("host", "http://127.0.0.1:" + server.port());
            job.put("model", "all-minilm-l6-v2");
            job.put("prompt", text);
            JsonNode got = NodeScript.run("ollama-client.mjs", "ollama", job);

            JsonNode model = got.get("list").get("models").get(0);
            assertEquals("all-minilm-l6-v2", model.get("name").asText());
            assertEquals("bert", model.get("details").get("family").asText());
            assertEquals("onnx", model.get("details").get("format").asText());
            // The ONNX export holds no pooler: 22.6M parameters, where the model card counts 22.7M.
            assertEquals("22.6M", model.get("details").get("parameter_size").asText());
            assertTrue(model.get("size").asLong() > 80_000_000L, model.toString());

            JsonNode show = got.get("show");
            assertEquals(384, show.get("model_info").get("bert.embedding_length").asInt());
            assertEquals(6, show.get("model_info").get("bert.block_count").asInt());
            assertEquals("embedding", show.get("capabilities").get(0).asText());

            // The older route gives the vector as the model pools it, not normalized, as Ollama's does.
            float[] raw = lib.embed(List.of(text), EmbedOptions.DEFAULTS.withNormalize(false)).get(0).vector();
            assertArrayEquals(raw, floats(got.get("embeddings").get("embedding")));
            assertArrayEquals(lib.embed(text), floats(got.get("embed").get("embeddings").get(0)));
            assertTrue(got.get("version").get("version").isTextual());

            Http http = new Http(server.port());
            assertEquals(0, http.post("/api/embeddings", map("model", "all-minilm-l6-v2", "prompt", "")).json()
                    .get("embedding").size(), "an empty prompt, an empty vector");
            Http.Res noPrompt = http.post("/api/embeddings", map("model", "all-minilm-l6-v2"));
            assertEquals(400, noPrompt.status());
            assertEquals("'prompt' is missing; give the text to embed", noPrompt.json().get("error").asText());
            assertEquals(404, http.post("/api/show", map("model", "nothere")).status());
        }
    }
}
