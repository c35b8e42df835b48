package dev.tongyeok.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.tokenize.Fixtures;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search quality on the Brown corpus indexed sentence by sentence: HNSW against exact search over
 * the same vectors, and whether the first half of a sentence finds the sentence.
 */
class BrownSearchTest {
    /** Sentences indexed: a third of the corpus, so that the suite stays short on two cores. */
    static final int SENTENCES = 20_000;
    static final int QUERIES = 500;
    /** The bars. */
    static final double MIN_RECALL = 0.98;
    static final double MIN_FOUND = 0.90;

    @TempDir
    static Path tmp;
    static Embedder minilm;
    static SearchIndex index;
    static List<String> sentences;

    @BeforeAll
    static void build() throws Exception {
        minilm = Embedder.load("all-minilm-l6-v2");
        sentences = Fixtures.brown(SENTENCES);
        assertEquals(SENTENCES, sentences.size());
        Path jsonl = tmp.resolve("brown.jsonl");
        ObjectMapper json = new ObjectMapper();
        try (BufferedWriter w = Files.newBufferedWriter(jsonl)) {
            for (int i = 0; i < sentences.size(); i++) {
                w.write(json.writeValueAsString(Map.of("id", "s" + i, "text", sentences.get(i),
                        "part", i < SENTENCES / 2 ? "first" : "second")));
                w.newLine();
            }
        }
        Indexer.Report r = Indexer.open(tmp.resolve("index"), minilm, "all-minilm-l6-v2", Indexer.Options.DEFAULTS)
                .update(List.of(jsonl), (done, total, s) -> { });
        System.out.printf(Locale.ROOT, "Brown: %d sentences indexed in %.1f s (%.0f chunks/s)%n", r.chunks(),
                r.seconds(), r.chunks() / r.seconds());
        assertEquals(SENTENCES, r.chunks(), "one chunk per sentence");
        index = SearchIndex.open(tmp.resolve("index"), minilm);
    }

    @AfterAll
    static void close() throws Exception {
        if (index != null) {
            index.close();
        }
    }

    @Test
    void hnswRecallAndHalfSentenceQueries() throws Exception {
        // The exact side: every stored vector, scanned in full for each query.
        List<float[]> vectors = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(tmp.resolve("index")))) {
            for (LeafReaderContext leaf : r.leaves()) {
                FloatVectorValues v = leaf.reader().getFloatVectorValues(IndexLayout.VECTOR);
                StoredFields stored = leaf.reader().storedFields();
                KnnVectorValues.DocIndexIterator it = v.iterator();
                for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                    if (leaf.reader().getLiveDocs() != null && !leaf.reader().getLiveDocs().get(doc)) {
                        continue;
                    }
                    vectors.add(v.vectorValue(it.index()).clone());
                    ids.add(stored.document(doc).get(IndexLayout.ID));
                }
            }
        }
        assertEquals(SENTENCES, vectors.size());

        Random rnd = new Random(20261130);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            if (sentences.get(i).split(" ").length >= 6) {
                candidates.add(i);
            }
        }
        double recall = 0;
        int found = 0;
        int foundHybrid = 0;
        for (int q = 0; q < QUERIES; q++) {
            int target = candidates.get(rnd.nextInt(candidates.size()));
            String[] words = sentences.get(target).split(" ");
            String query = String.join(" ", Arrays.copyOf(words, words.length / 2));
            float[] qv = minilm.embed(List.of(query), EmbedOptions.DEFAULTS.withNormalize(true)).get(0).vector();
            Set<String> exact = exactTop(vectors, ids, qv, 10);
            List<Hit> hits = index.search(query, 10, Map.of(), false);
            int agree = 0;
            for (Hit h : hits) {
                agree += exact.contains(h.id()) ? 1 : 0;
            }
            recall += agree / 10.0;
            found += finds(hits, target) ? 1 : 0;
            foundHybrid += finds(index.search(query, 10, Map.of(), true), target) ? 1 : 0;
        }
        recall /= QUERIES;
        System.out.printf(Locale.ROOT, "Brown (%d sentences, %d half-sentence queries): HNSW recall@10 %.4f; "
                + "sentence in top 10: vector %.1f%%, hybrid %.1f%%%n", SENTENCES, QUERIES, recall,
                100.0 * found / QUERIES, 100.0 * foundHybrid / QUERIES);
        assertTrue(recall >= MIN_RECALL, "recall@10 " + recall);
        assertTrue(found >= MIN_FOUND * QUERIES, "found " + found + " of " + QUERIES);
        assertTrue(foundHybrid >= MIN_FOUND * QUERIES, "hybrid found " + foundHybrid + " of " + QUERIES);
    }

    @Test
    void filterKeepsToMetadata() throws Exception {
        String query = sentences.get(SENTENCES - 1);
        List<Hit> first = index.search(query, 10, Map.of("part", "first"), false);
        assertEquals(10, first.size());
        for (Hit h : first) {
            assertEquals("first", h.metadata().get("part"));
            assertTrue(Integer.parseInt(h.id().substring(1)) < SENTENCES / 2);
        }
        Hit self = index.search(query, 1, Map.of("part", "second"), false).get(0);
        assertEquals("s" + (SENTENCES - 1), self.id());
        assertEquals(1.0, self.score(), 1e-5, "a text's own chunk scores cosine 1");
        assertEquals(0, self.start());
        assertEquals(query.length(), self.end());
        assertEquals(List.of(), index.search(query, 5, Map.of("part", "third"), false));
        assertEquals("s42", index.search("anything", 3, Map.of("id", "s42"), true).get(0).id());
    }

    private static boolean finds(List<Hit> hits, int target) {
        for (Hit h : hits) {
            if (h.id().equals("s" + target) || h.text().equals(sentences.get(target))) {
                return true; // a duplicate sentence elsewhere in the corpus is the same sentence
            }
        }
        return false;
    }

    /** The ids of the k vectors with the largest dot product with q (unit vectors: cosine). */
    private static Set<String> exactTop(List<float[]> vectors, List<String> ids, float[] q, int k) {
        Integer[] order = new Integer[vectors.size()];
        double[] score = new double[vectors.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            double s = 0;
            float[] v = vectors.get(i);
            for (int c = 0; c < v.length; c++) {
                s += (double) v[c] * q[c];
            }
            score[i] = s;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        Set<String> out = new HashSet<>();
        for (int i = 0; i < k; i++) {
            out.add(ids.get(order[i]));
        }
        return out;
    }
}
