package dev.tongyeok.bench;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.embed.ModelParityTest;
import dev.tongyeok.tokenize.Fixtures;
import dev.tongyeok.tokenize.Truncation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Sentence embedding throughput side by side, in one JVM: tongyeok, ONNX Runtime running the same
 * all-MiniLM-L6-v2 .onnx file in padded batches, and LangChain4j's
 * {@code AllMiniLmL6V2EmbeddingModel.embedAll} (ONNX Runtime underneath, one text at a time on its
 * own thread pool). Input: the first N sentences of the Brown corpus. Every contender produces
 * mean-pooled, L2-normalized vectors; the cosine against tongyeok's is checked before timing.
 *
 * <p>Usage: {@code EmbedBench [rounds] [sentences] [--solo]}; prints a Markdown table.
 */
public final class EmbedBench {
    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean solo = rest.remove("--solo");
        int rounds = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 5;
        int n = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 2000;
        List<String> texts = Fixtures.brown(n);
        Embedder embedder = Embedder.load("all-minilm-l6-v2");
        List<PerfBench.Contender> all = new ArrayList<>();
        all.add(new PerfBench.Contender() {
            public String name() {
                return "tongyeok (" + embedder.model().ops().name() + ")";
            }

            public List<float[]> embed(List<String> t) {
                return embedder.embed(t, EmbedOptions.DEFAULTS).stream().map(Embedding::vector).toList();
            }
        });
        if (!solo) {
            all.add(PerfBench.ortBatched(embedder.tokenizer(), 32, false));
            all.add(PerfBench.langchain4j());
        }
        int tokens = 0;
        for (String t : texts) {
            tokens += embedder.tokenizer().withTruncation(Truncation.of(256)).encode(t).length();
        }
        System.err.printf(Locale.ROOT, "%d sentences, %d tokens (%.1f per sentence), %d cores%n", texts.size(), tokens,
                (double) tokens / texts.size(), Runtime.getRuntime().availableProcessors());
        // Agreement first: every contender's vectors against tongyeok's.
        List<float[]> ref = all.get(0).embed(texts);
        for (PerfBench.Contender c : all.subList(1, all.size())) {
            List<float[]> v = c.embed(texts);
            double worst = 1;
            for (int i = 0; i < texts.size(); i++) {
                worst = Math.min(worst, ModelParityTest.cosine(ref.get(i), v.get(i)));
            }
            System.err.printf(Locale.ROOT, "%s: worst cosine against tongyeok %.6f%n", c.name(), worst);
        }
        double[][] rates = new double[all.size()][rounds];
        for (int r = -1; r < rounds; r++) {
            for (int c = 0; c < all.size(); c++) {
                long t0 = System.nanoTime();
                all.get(c).embed(texts);
                double secs = (System.nanoTime() - t0) / 1e9;
                if (r >= 0) {
                    rates[c][r] = texts.size() / secs;
                }
                System.err.printf(Locale.ROOT, "round %d %s: %.1f texts/s%n", r, all.get(c).name(), texts.size() / secs);
            }
        }
        System.out.println("| contender | texts/s (median of " + rounds + ") | tongyeok is |");
        System.out.println("|---|---:|---:|");
        double ours = PerfBench.median(rates[0]);
        for (int c = 0; c < all.size(); c++) {
            double m = PerfBench.median(rates[c]);
            String ratio = c == 0 ? "" : ours >= m ? String.format(Locale.ROOT, "%.2f× faster", ours / m)
                    : String.format(Locale.ROOT, "%.2f× slower", m / ours);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %s |%n", all.get(c).name(), m, ratio);
        }
        System.exit(0);
    }
}
