package dev.tongyeok.server;

import static dev.tongyeok.server.Http.floats;
import static dev.tongyeok.server.Http.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Inspection;
import dev.tongyeok.model.DecoderModelsTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server, unchanged, on a GGUF decoder (a tiny random Qwen3 in Q8_0): embeddings and the explorer's /inspect. */
class DecoderServerTest {
    @TempDir
    Path dir;

    @Test
    void servesAGgufDecoderAsTheLibraryComputesIt() throws Exception {
        Path gguf = DecoderModelsTest.writeGguf(DecoderModelsTest.spec("qwen3"), true, dir);
        Embedder lib = Embedder.load(gguf.toString());
        List<String> texts = List.of("t3 t17 t42", "t1", "t8 t8 t63 t0");
        try (EmbeddingServer server = EmbeddingServer.start(ServerOptions.DEFAULTS.withPort(0),
                List.of(EmbeddingServer.ModelSource.parse("qwen=" + gguf)))) {
            server.awaitReady();
            Http http = new Http(server.port());
            JsonNode got = http.post("/v1/embeddings", map("input", texts, "model", "qwen")).json();
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(lib.embed(texts.get(i)), floats(got.get("data").get(i).get("embedding")), "text " + i);
            }
            Inspection want = lib.inspect("t3 t17 t42", EmbedOptions.DEFAULTS);
            JsonNode in = http.post("/inspect", map("text", "t3 t17 t42", "model", "qwen")).json();
            assertEquals(2, in.get("layers").asInt());
            assertEquals(4, in.get("heads").asInt());
            for (int h = 0; h < 4; h++) {
                for (int t = 0; t < 3; t++) {
                    float[] row = floats(in.get("attention").get(1).get(h).get(t));
                    assertArrayEquals(want.attentions()[1][h][t], row);
                    for (int j = t + 1; j < 3; j++) {
                        assertEquals(0f, row[j], "causal: token " + t + " does not see token " + j);
                    }
                }
            }
            assertArrayEquals(want.vector(), floats(in.get("vector")));
        }
    }
}
