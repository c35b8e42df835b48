package dev.tongyeok.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.search.Indexer;
import dev.tongyeok.search.SearchIndex;
import dev.tongyeok.tokenize.Fixtures;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The search index at scale: Brown sentences indexed one per chunk (default 50,000), as
 * {@code tongyeok index} does it, with chunks/s next to the library's own embedding throughput on
 * the same sentences (the part of indexing that is not Lucene); then 1,000 half-sentence queries,
 * vector and hybrid, one at a time: p50 and p99 latency, and the share of it spent embedding the
 * query.
 *
 * <p>Usage: {@code SearchBench [chunks] [queries]}; prints a Markdown table.
 */
public final class SearchBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<String> sentences = Fixtures.brown(n);
        if (sentences.size() < n) {
            throw new IllegalStateException("the Brown corpus has " + sentences.size() + " sentences, fewer than " + n);
        }
        Embedder embedder = Embedder.load("all-minilm-l6-v2");
        Path tmp = Files.createTempDirectory("tongyeok-search-bench");
        try {
            // the library alone on the first 5,000 sentences (after a warm-up)
            EmbedOptions unit = EmbedOptions.DEFAULTS.withNormalize(true);
            embedder.embed(sentences.subList(0, 512), unit);
            int ref = Math.min(5000, n);
            long t0 = System.nanoTime();
            for (int i = 0; i < ref; i += 256) {
                embedder.embed(sentences.subList(i, Math.min(ref, i + 256)), unit);
            }
            double library = ref / ((System.nanoTime() - t0) / 1e9);

            Path jsonl = tmp.resolve("brown.jsonl");
            ObjectMapper json = new ObjectMapper();
            try (BufferedWriter w = Files.newBufferedWriter(jsonl)) {
                for (int i = 0; i < n; i++) {
                    w.write(json.writeValueAsString(Map.of("id", "s" + i, "text", sentences.get(i))));
                    w.newLine();
                }
            }
            Indexer.Report r = Indexer.open(tmp.resolve("index"), embedder, "all-minilm-l6-v2", Indexer.Options.DEFAULTS)
                    .update(List.of(jsonl), (d, t, s) -> { });
            double indexing = r.chunks() / r.seconds();
            long bytes;
            try (Stream<Path> files = Files.list(tmp.resolve("index"))) {
                bytes = files.mapToLong(f -> f.toFile().length()).sum();
            }

            Random rnd = new Random(7);
            List<String> qs = new ArrayList<>();
            for (int i = 0; i < queries; i++) {
                String[] words = sentences.get(rnd.nextInt(n)).split(" ");
                qs.add(String.join(" ", Arrays.copyOf(words, Math.max(1, words.length / 2))));
            }
            try (SearchIndex si = SearchIndex.open(tmp.resolve("index"), embedder)) {
                for (String q : qs.subList(0, Math.min(100, qs.size()))) { // warm-up
                    si.search(q, 10, Map.of(), true);
                }
                double[] embed = time(qs, q -> embedder.embed(List.of(q), unit));
                double[] vector = time(qs, q -> si.search(q, 10, Map.of(), false));
                double[] hybrid = time(qs, q -> si.search(q, 10, Map.of(), true));
                System.out.printf(Locale.ROOT, "%d Brown sentences, all-minilm-l6-v2, %d threads, index %.0f MB%n%n", n,
                        Runtime.getRuntime().availableProcessors(), bytes / 1e6);
                System.out.println("| what | result |");
                System.out.println("|---|---:|");
                System.out.printf(Locale.ROOT, "| library embedding alone (256 per call) | %.0f sentences/s |%n", library);
                System.out.printf(Locale.ROOT, "| indexing (chunk, embed, Lucene HNSW + BM25, commits) | %.0f chunks/s "
                        + "(%.2f× the library; %.1f s) |%n", indexing, indexing / library, r.seconds());
                row("query embedding alone", embed);
                row("vector search, k = 10", vector);
                row("hybrid search, k = 10", hybrid);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    interface Query {
        void run(String q) throws Exception;
    }

    private static double[] time(List<String> qs, Query f) throws Exception {
        double[] ms = new double[qs.size()];
        for (int i = 0; i < qs.size(); i++) {
            long t = System.nanoTime();
            f.run(qs.get(i));
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void row(String what, double[] ms) {
        System.out.printf(Locale.ROOT, "| %s | p50 %.2f ms, p99 %.2f ms |%n", what, ms[ms.length / 2],
                ms[(int) Math.ceil(ms.length * 0.99) - 1]);
    }
}
