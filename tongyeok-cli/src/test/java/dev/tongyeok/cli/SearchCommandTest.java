package dev.tongyeok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.search.Hit;
import dev.tongyeok.search.SearchIndex;
import dev.tongyeok.tokenize.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tongyeok index} and {@code tongyeok search}: output shapes, bad input, a killed indexing run. */
class SearchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void searchThenRerankWithACrossEncoder(@TempDir Path tmp) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        StringBuilder jsonl = new StringBuilder();
        List<String> brown = dev.tongyeok.tokenize.Fixtures.brown(30);
        for (int i = 0; i < brown.size(); i++) {
            jsonl.append(JSON.writeValueAsString(Map.of("id", "s" + i, "text", brown.get(i)))).append('\n');
        }
        Files.writeString(docs.resolve("brown.jsonl"), jsonl);
        Path index = tmp.resolve("index");
        assertEquals(0, Cli.run("index", "--index", index.toString(), docs.toString()).code());
        Path model = dev.tongyeok.rerank.RerankerTest.writeModels(tmp.resolve("ce"))[0];
        String query = "what did the jury say?";
        Path out = tmp.resolve("reranked.jsonl");
        Cli.Run r = Cli.run("search", "--index", index.toString(), "--format", "jsonl", "-k", "3", "--rerank",
                model.toString(), "--candidates", "10", "--output", out.toString(), query);
        assertEquals(0, r.code(), r.err());
        // The 10 nearest chunks, ordered by the cross-encoder: its best 3, each with both scores.
        List<Hit> nearest;
        try (SearchIndex si = SearchIndex.open(index, null)) {
            nearest = si.search(query, 10, Map.of(), false);
        }
        List<String> texts = new ArrayList<>();
        nearest.forEach(h -> texts.add(h.text()));
        var order = dev.tongyeok.rerank.Reranker.load(model.toString()).rank(query, texts, 3, false);
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        for (int i = 0; i < 3; i++) {
            JsonNode h = JSON.readTree(lines.get(i));
            Hit want = nearest.get(order.get(i).index());
            assertEquals(i + 1, h.get("rank").asInt());
            assertEquals(want.id(), h.get("id").asText());
            assertEquals(want.score(), h.get("score").asDouble());
            assertEquals(order.get(i).score(), h.get("rerank_score").floatValue());
        }
        Cli.Run few = Cli.run("search", "--index", index.toString(), "-k", "20", "--candidates", "10", "--rerank",
                model.toString(), query);
        assertEquals(Main.BAD_INPUT, few.code());
        assertTrue(few.err().contains("--candidates 10 is fewer than -k 20"), few.err());
        Cli.Run notCe = Cli.run("search", "--index", index.toString(), "--rerank", "all-minilm-l6-v2", query);
        assertEquals(Main.BAD_INPUT, notCe.code());
        assertTrue(notCe.err().contains("--rerank all-minilm-l6-v2:") && notCe.err().contains("no classification head"),
                notCe.err());
    }

    @Test
    void indexThenSearchAsJsonLines(@TempDir Path tmp) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("faq.jsonl"), """
                {"id":"bread","text":"Sourdough bread needs a starter, flour, water and a long rise.","lang":"en"}
                {"id":"stew","text":"김치찌개는 김치와 돼지고기로 끓인다.","lang":"ko"}
                {"id":"tea","text":"Green tea is best steeped below boiling.","lang":"en"}
                """);
        Files.writeString(docs.resolve("cat.txt"), "The cat slept on the warm windowsill all afternoon.");
        Path index = tmp.resolve("index");
        Cli.Run built = Cli.run("index", "--index", index.toString(), docs.toString());
        assertEquals(0, built.code(), built.err());
        assertTrue(built.err().contains("2 files (2 new, 0 changed, 0 unchanged, 0 removed); 4 chunks embedded"),
                built.err());

        Path out = tmp.resolve("hits.jsonl");
        Cli.Run r = Cli.run("search", "--index", index.toString(), "--format", "jsonl", "-k", "2", "--output",
                out.toString(), "how", "do", "I", "bake", "bread?");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size());
        List<Hit> want;
        try (SearchIndex si = SearchIndex.open(index, null)) {
            want = si.search("how do I bake bread?", 2, Map.of(), false);
        }
        for (int i = 0; i < 2; i++) {
            JsonNode h = JSON.readTree(lines.get(i));
            List<String> fields = new ArrayList<>();
            h.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("rank", "score", "id", "source", "start", "end", "text"), fields);
            assertEquals(i + 1, h.get("rank").asInt());
            assertEquals(want.get(i).id(), h.get("id").asText());
            assertEquals(want.get(i).score(), h.get("score").asDouble());
            assertEquals(want.get(i).text(), h.get("text").asText());
        }
        assertEquals("bread", JSON.readTree(lines.get(0)).get("id").asText());
        assertEquals(docs.resolve("faq.jsonl").toAbsolutePath().toString(), JSON.readTree(lines.get(0)).get("source").asText());

        Path queries = tmp.resolve("queries.jsonl");
        Files.writeString(queries, "{\"query\":\"Korean stew\"}\n{\"text\":\"a sleeping pet\"}\n");
        Path out2 = tmp.resolve("many.jsonl");
        r = Cli.run("search", "--index", index.toString(), "--input", queries.toString(), "--format", "jsonl",
                "--filter", "lang=ko", "-k", "3", "--output", out2.toString());
        assertEquals(0, r.code(), r.err());
        List<String> per = Files.readAllLines(out2);
        assertEquals(2, per.size());
        JsonNode first = JSON.readTree(per.get(0));
        assertEquals("Korean stew", first.get("query").asText());
        assertEquals(1, first.get("hits").size(), "only the ko document passes the filter");
        assertEquals("stew", first.get("hits").get(0).get("id").asText());
        assertEquals("a sleeping pet", JSON.readTree(per.get(1)).get("query").asText());

        Path table = tmp.resolve("table.txt");
        r = Cli.run("search", "--index", index.toString(), "--hybrid", "--output", table.toString(), "sleepy", "cat");
        assertEquals(0, r.code(), r.err());
        String t = Files.readString(table);
        assertTrue(t.startsWith("  1  "), t);
        assertTrue(t.lines().toList().get(1).contains("The cat slept"), t);
    }

    @Test
    void badInputIsOneLineExitTwoAndTheIndexUntouched(@TempDir Path tmp) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "Rain falls on the plain.");
        Path index = tmp.resolve("index");
        assertEquals(0, Cli.run("index", "--index", index.toString(), docs.toString()).code());
        Map<String, Long> before = files(index);

        Files.writeString(docs.resolve("b.jsonl"), "{\"text\":\"ok\"}\n{\"text\": 42}\n");
        expectBad(Cli.run("index", "--index", index.toString(), docs.toString()),
                docs.resolve("b.jsonl").toAbsolutePath() + " line 2: \"text\" must be a string, found number");
        Files.delete(docs.resolve("b.jsonl"));
        expectBad(Cli.run("index", "--index", index.toString(), tmp.resolve("nope.txt").toString()),
                tmp.resolve("nope.txt").toAbsolutePath() + ": no such file or directory");
        expectBad(Cli.run("index", "--index", index.toString(), "--model", "all-minilm-l6-v2-q", docs.toString()),
                index.toAbsolutePath() + " was built with model all-minilm-l6-v2 (384 dims), not all-minilm-l6-v2-q "
                        + "(384 dims); use that model or a new index directory");
        assertEquals(before, files(index), "the index is untouched");

        expectBad(Cli.run("search", "--index", index.toString(), " "), "the query is empty: give QUERY or --input FILE");
        expectBad(Cli.run("search", "--index", tmp.resolve("none").toString(), "rain"),
                tmp.resolve("none").toAbsolutePath() + ": no index there (build one with tongyeok index --index "
                        + tmp.resolve("none") + " FILES)");
        Path queries = tmp.resolve("q.jsonl");
        Files.writeString(queries, "{\"query\":\"rain\"}\n{\"query\":\"\"}\n");
        expectBad(Cli.run("search", "--index", index.toString(), "--input", queries.toString()),
                queries + " line 2: the query is empty");
        expectBad(Cli.run("search", "--index", index.toString(), "--filter", "lang", "rain"),
                "--filter 'lang' must be FIELD=VALUE");
        assertEquals(before, files(index), "the index is untouched");
    }

    @Test
    void aKilledIndexingRunLeavesTheLastCommitSearchable(@TempDir Path tmp) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        List<String> sentences = Fixtures.brown(3000);
        for (int f = 0; f < 30; f++) {
            Files.writeString(docs.resolve(String.format("part%02d.txt", f)),
                    String.join("\n", sentences.subList(f * 100, f * 100 + 100)));
        }
        Path index = tmp.resolve("index");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "-Dtongyeok.cache=" + System.getProperty("tongyeok.cache"),
                "dev.tongyeok.cli.Main", "index", "--index", index.toString(), docs.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("index.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!committed(index)) {
                assertTrue(p.isAlive(), "indexing ended before its first commit: " + Files.readString(tmp.resolve("index.log")));
                assertTrue(System.nanoTime() < deadline, "no commit within 120 s");
                Thread.sleep(20);
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no close, mid-write
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, p.exitValue(), "killed by SIGKILL");
        } finally {
            p.destroyForcibly();
        }
        String log = Files.readString(tmp.resolve("index.log"));
        assertTrue(!log.contains("chunks in the index"), "the run was killed before it finished: " + log);

        Path out = tmp.resolve("hits.jsonl");
        Cli.Run r = Cli.run("search", "--index", index.toString(), "--format", "jsonl", "-k", "3", "--output",
                out.toString(), sentences.get(1));
        assertEquals(0, r.code(), r.err());
        assertEquals(3, Files.readAllLines(out).size());
        JsonNode top = JSON.readTree(Files.readAllLines(out).get(0));
        assertTrue(top.get("text").asText().contains(sentences.get(1)), top.toString()); // part00's first chunk
        assertTrue(top.get("source").asText().endsWith("part00.txt"), top.toString());

        Cli.Run rest = Cli.run("index", "--index", index.toString(), docs.toString());
        assertEquals(0, rest.code(), rest.err());
        assertTrue(rest.err().contains("30 files ("), rest.err());
        Cli.Run again = Cli.run("index", "--index", index.toString(), docs.toString());
        assertTrue(again.err().contains("30 files (0 new, 0 changed, 30 unchanged, 0 removed); 0 chunks embedded"),
                again.err());
    }

    /** Exit 2 and one line that says what and where (after any note that a built-in model was unpacked). */
    private static void expectBad(Cli.Run r, String message) {
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().strip().lines().filter(l -> !l.startsWith("tongyeok: unpacking ")).toList();
        assertEquals(List.of("tongyeok: " + message), lines);
    }

    private static boolean committed(Path index) throws IOException {
        if (!Files.isDirectory(index)) {
            return false;
        }
        try (Stream<Path> files = Files.list(index)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("segments_"));
        }
    }

    private static Map<String, Long> files(Path index) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(index)) {
            for (Iterator<Path> it = files.iterator(); it.hasNext();) {
                Path f = it.next();
                out.put(f.getFileName().toString(), Files.size(f));
            }
        }
        return out;
    }
}
