package dev.tongyeok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.rerank.Reranker;
import dev.tongyeok.rerank.RerankerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tongyeok rerank} on a tiny random cross-encoder: the library's scores, in its order, and clear errors. */
class RerankCommandTest {
    @TempDir
    static Path dir;

    static Path model;
    static Path gguf;
    static final List<String> DOCS = List.of("The giant panda is a bear.", "Cats sleep a lot.", "주식 시장이 오늘 급락했다",
            "Pandas eat bamboo.");

    @BeforeAll
    static void write() throws Exception {
        Path[] m = RerankerTest.writeModels(dir);
        model = m[0];
        gguf = m[1];
    }

    @Test
    void ranksAsTheLibraryDoes() throws Exception {
        List<Reranker.Ranked> want = Reranker.load(model.toString()).rank("what is a panda?", DOCS, 0, false);
        List<String> args = new ArrayList<>(List.of("rerank", "--model", model.toString(), "--format", "jsonl",
                "what is a panda?"));
        args.addAll(DOCS);
        Cli.Run r = Cli.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(DOCS.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode n = new ObjectMapper().readTree(lines.get(i));
            assertEquals(i + 1, n.get("rank").asInt());
            assertEquals(want.get(i).index(), n.get("index").asInt());
            assertEquals(want.get(i).score(), n.get("score").floatValue());
            assertEquals(DOCS.get(want.get(i).index()), n.get("text").asText());
        }
        // The table, the top two, from --input, raw logits, from the GGUF file.
        Path input = dir.resolve("docs.jsonl");
        StringBuilder jsonl = new StringBuilder();
        for (String d : DOCS) {
            jsonl.append(new ObjectMapper().writeValueAsString(java.util.Map.of("text", d))).append('\n');
        }
        Files.writeString(input, jsonl);
        Cli.Run table = Cli.run("rerank", "--model", gguf.toString(), "--input", input.toString(), "--top", "2",
                "--raw-scores", "what is a panda?");
        assertEquals(0, table.code(), table.err());
        List<String> rows = table.out().lines().toList();
        assertTrue(rows.get(0).contains("against 4 documents") && rows.get(0).contains("logits"), rows.get(0));
        assertEquals(4, rows.size(), table.out());
        float[] logits = Reranker.load(gguf.toString()).scores("what is a panda?", DOCS, true);
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            best = logits[i] > logits[best] ? i : best;
        }
        assertTrue(rows.get(2).contains(String.format(java.util.Locale.ROOT, "%9.5f", logits[best]))
                && rows.get(2).contains("\"" + DOCS.get(best) + "\""), rows.get(2));
    }

    @Test
    void mistypedCommandsOptionsAndModelsGetASuggestion() {
        Cli.Run command = Cli.run("rernak", "q", "d");
        assertEquals(Main.BAD_INPUT, command.code());
        assertTrue(command.err().startsWith("tongyeok: 'rernak' is not a command; did you mean rerank?"), command.err());
        Cli.Run option = Cli.run("rerank", "--tpo", "3", "q", "d");
        assertEquals(Main.BAD_INPUT, option.code());
        assertTrue(option.err().startsWith("tongyeok: unknown option --tpo for tongyeok rerank; did you mean --top?"),
                option.err());
        Cli.Run missing = Cli.run("rerank");
        assertTrue(missing.err().startsWith("tongyeok: tongyeok rerank needs a QUERY argument"), missing.err());
        Cli.Run model = Cli.run("embed", "--model", "all-minilm-l6", "hi");
        assertTrue(model.err().contains("; did you mean all-minilm-l6-v2?"), model.err());
        assertEquals(1, model.err().lines().count(), model.err());
    }

    @Test
    void badUsageIsOneLine() throws Exception {
        Cli.Run noModel = Cli.run("rerank", "q", "d");
        assertEquals(Main.BAD_INPUT, noModel.code());
        assertTrue(noModel.err().startsWith("tongyeok: rerank needs a cross-encoder: --model"), noModel.err());
        Cli.Run embedder = Cli.run("rerank", "--model", "all-minilm-l6-v2", "q", "d");
        assertEquals(Main.BAD_INPUT, embedder.code());
        assertTrue(embedder.err().contains("no classification head") && embedder.err().lines().count() == 1,
                embedder.err());
        Cli.Run none = Cli.run("rerank", "--model", model.toString(), "q");
        assertEquals(Main.BAD_INPUT, none.code());
        assertTrue(none.err().contains("no documents to rank"), none.err());
        Cli.Run top = Cli.run("rerank", "--model", model.toString(), "--top", "0", "q", "d");
        assertEquals(Main.BAD_INPUT, top.code());
        assertTrue(top.err().contains("--top must be at least 1"), top.err());
    }
}
