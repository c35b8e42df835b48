package dev.tongyeok.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.tokenize.Fixtures;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark job's throughput in local[1] and local[2] on Brown sentences (JSON Lines in 4 files →
 * Parquet), next to the library embedding the same sentences in one JVM without Spark. Not a test:
 * run by {@code scripts/bench-spark [sentences] [rounds]}; prints a Markdown table.
 */
public final class SparkBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<String> sentences = Fixtures.brown(n);
        Path tmp = Files.createTempDirectory("tongyeok-spark-bench");
        try {
            Path in = Files.createDirectories(tmp.resolve("in"));
            ObjectMapper json = new ObjectMapper();
            int files = 4;
            for (int f = 0; f < files; f++) {
                try (BufferedWriter w = Files.newBufferedWriter(in.resolve("part-" + f + ".jsonl"))) {
                    for (int i = f; i < n; i += files) {
                        w.write(json.writeValueAsString(Map.of("id", i, "text", sentences.get(i))));
                        w.newLine();
                    }
                }
            }
            Embedder e = Embedder.load("all-minilm-l6-v2");
            e.embed(sentences.subList(0, 512), EmbedOptions.DEFAULTS); // warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i += 64) {
                e.embed(sentences.subList(i, Math.min(n, i + 64)), EmbedOptions.DEFAULTS);
            }
            double library = n / ((System.nanoTime() - t0) / 1e9);
            System.out.printf(Locale.ROOT, "%d Brown sentences, all-minilm-l6-v2, batch 64, %d cores%n%n", n,
                    Runtime.getRuntime().availableProcessors());
            System.out.println("| run | sentences/s (best of " + rounds + ") | × library |");
            System.out.println("|---|---:|---:|");
            System.out.printf(Locale.ROOT, "| library, no Spark | %.1f | 1.00 |%n", library);
            double one = 0;
            for (String master : List.of("local[1]", "local[2]")) {
                SparkSession spark = SparkSession.builder().master(master).appName("tongyeok bench")
                        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.sql.warehouse.dir", tmp.resolve("warehouse").toString()).getOrCreate();
                double best = 0;
                for (int r = 0; r < rounds; r++) {
                    Path out = tmp.resolve("out-" + master.charAt(6) + "-" + r);
                    long t = System.nanoTime();
                    EmbedJob.run(spark, EmbedJob.parse(new String[] {"--input", in.toString(), "--format", "json",
                            "--output", out.toString(), "--id-col", "id"}));
                    best = Math.max(best, n / ((System.nanoTime() - t) / 1e9));
                }
                spark.stop();
                if (one == 0) {
                    one = best;
                }
                System.out.printf(Locale.ROOT, "| Spark %s | %.1f | %.2f |%s%n", master, best, best / library,
                        master.equals("local[2]") ? String.format(Locale.ROOT, " (%.2f× local[1])", best / one) : "");
            }
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
