package dev.tongyeok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.model.DecoderModelsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on a GGUF decoder, unchanged: a tiny random Llama written as llama.cpp writes it. */
class DecoderCommandTest {
    @TempDir
    Path dir;

    @Test
    void embedStaticAndAttentionOnAGgufLlama() throws Exception {
        Path gguf = DecoderModelsTest.writeGguf(DecoderModelsTest.spec("llama"), true, dir);
        Path table = dir.resolve("table.txt");
        Cli.Run r = Cli.run("embed", "--model", gguf.toString(), "--output", table.toString(), "t3 t17 t42");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(table);
        assertTrue(lines.get(0).endsWith("-> 3 tokens × 32 dims (" + gguf + ", contextual: after layer 2 of 2)"), lines.get(0));
        assertTrue(lines.get(6).startsWith("sentence vector (last pooling, L2-normalized)"), lines.get(6));

        r = Cli.run("embed", "--model", gguf.toString(), "--static", "--output", table.toString(), "t3 t17 t42");
        assertEquals(0, r.code(), r.err());
        String text = Files.readString(table);
        assertTrue(text.contains("static: rows of the token embedding table"), text);
        assertTrue(!text.contains("sentence vector"), text);

        r = Cli.run("attention", "--model", gguf.toString(), "--layer", "1", "--head", "1", "--values", "t3 t17 t42");
        assertEquals(0, r.code(), r.err());
        // Causal: the first token sees only itself, the second nothing after it.
        String first = r.out().lines().filter(l -> l.matches("\\s+0 t3 .*")).findFirst().orElseThrow();
        assertTrue(first.contains(" 1.00  0.00  0.00"), r.out());
        String second = r.out().lines().filter(l -> l.matches("\\s+1 t17 .*")).findFirst().orElseThrow();
        assertTrue(second.matches(".* \\d\\.\\d\\d  \\d\\.\\d\\d  0\\.00 .*"), r.out());

        r = Cli.run("embed", "--model", dir.resolve("missing.gguf").toString(), "x");
        assertEquals(2, r.code());
    }
}
