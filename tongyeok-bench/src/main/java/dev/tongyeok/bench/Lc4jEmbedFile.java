package dev.tongyeok.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer of {@code tongyeok embed --input IN --output OUT} in the whole-process benchmark: a
 * plain Java program doing the same with LangChain4j's in-process all-MiniLM-L6-v2 — read JSON
 * Lines with a {@code text} field, {@code embedAll}, write one {@code {"vector": [...]}} line per
 * input.
 *
 * <p>Usage: {@code Lc4jEmbedFile IN OUT}
 */
public final class Lc4jEmbedFile {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<TextSegment> segments = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                segments.add(TextSegment.from(json.readTree(line).get("text").asText()));
            }
        }
        List<Embedding> vectors = new AllMiniLmL6V2EmbeddingModel().embedAll(segments).content();
        try (BufferedWriter w = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
            for (Embedding e : vectors) {
                w.write("{\"vector\":");
                w.write(json.writeValueAsString(e.vector()));
                w.write("}\n");
            }
        }
        System.exit(0);
    }
}
