package dev.tongyeok.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.embed.ModelParityTest;
import dev.tongyeok.load.BuiltinModel;
import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.Fixtures;
import dev.tongyeok.tokenize.Tokenizer;
import dev.tongyeok.tokenize.Truncation;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    interface Contender {
        String name();

        List<float[]> embed(List<String> texts) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean solo = rest.remove("--solo");
        int rounds = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 5;
        int n = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 2000;
        List<String> texts = Fixtures.brown(n);
        Embedder embedder = Embedder.load("all-minilm-l6-v2");
        List<Contender> all = new ArrayList<>();
        all.add(new Contender() {
            public String name() {
                return "tongyeok (" + embedder.model().ops().name() + ")";
            }

            public List<float[]> embed(List<String> t) {
                return embedder.embed(t, EmbedOptions.DEFAULTS).stream().map(Embedding::vector).toList();
            }
        });
        if (!solo) {
            all.add(ortBatched(embedder.tokenizer(), 32));
            all.add(langchain4j());
        }
        int tokens = 0;
        for (String t : texts) {
            tokens += embedder.tokenizer().withTruncation(Truncation.of(256)).encode(t).length();
        }
        System.err.printf(Locale.ROOT, "%d sentences, %d tokens (%.1f per sentence), %d cores%n", texts.size(), tokens,
                (double) tokens / texts.size(), Runtime.getRuntime().availableProcessors());
        // Agreement first: every contender's vectors against tongyeok's.
        List<float[]> ref = all.get(0).embed(texts);
        for (Contender c : all.subList(1, all.size())) {
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
        double ours = median(rates[0]);
        for (int c = 0; c < all.size(); c++) {
            double m = median(rates[c]);
            String ratio = c == 0 ? "" : ours >= m ? String.format(Locale.ROOT, "%.2f× faster", ours / m)
                    : String.format(Locale.ROOT, "%.2f× slower", m / ours);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %s |%n", all.get(c).name(), m, ratio);
        }
        System.exit(0);
    }

    static Contender ortBatched(Tokenizer tokenizer, int batch) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = env.createSession(BuiltinModel.defaultModel().onnxFile().toString(),
                new OrtSession.SessionOptions());
        Tokenizer cut = tokenizer.withTruncation(Truncation.of(256));
        return new Contender() {
            public String name() {
                return "ONNX Runtime " + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion() + " (batches of "
                        + batch + ", padded)";
            }

            public List<float[]> embed(List<String> texts) throws Exception {
                List<float[]> out = new ArrayList<>();
                for (int from = 0; from < texts.size(); from += batch) {
                    List<Encoding> encs = new ArrayList<>();
                    int T = 0;
                    for (String t : texts.subList(from, Math.min(texts.size(), from + batch))) {
                        Encoding e = cut.encode(t);
                        encs.add(e);
                        T = Math.max(T, e.length());
                    }
                    int B = encs.size();
                    long[] ids = new long[B * T];
                    long[] mask = new long[B * T];
                    long[] types = new long[B * T];
                    for (int b = 0; b < B; b++) {
                        Encoding e = encs.get(b);
                        for (int t = 0; t < e.length(); t++) {
                            ids[b * T + t] = e.id(t);
                            mask[b * T + t] = 1;
                        }
                    }
                    long[] shape = {B, T};
                    Map<String, OnnxTensor> in = new HashMap<>();
                    in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
                    in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
                    in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
                    try (OrtSession.Result r = session.run(in)) {
                        float[][][] h = (float[][][]) r.get(0).getValue();
                        for (int b = 0; b < B; b++) {
                            int len = encs.get(b).length();
                            float[] v = new float[h[b][0].length];
                            for (int t = 0; t < len; t++) {
                                for (int c = 0; c < v.length; c++) {
                                    v[c] += h[b][t][c];
                                }
                            }
                            double norm = 0;
                            for (int c = 0; c < v.length; c++) {
                                v[c] /= len;
                                norm += v[c] * v[c];
                            }
                            for (int c = 0; c < v.length; c++) {
                                v[c] /= (float) Math.sqrt(norm);
                            }
                            out.add(v);
                        }
                    } finally {
                        in.values().forEach(OnnxTensor::close);
                    }
                }
                return out;
            }
        };
    }

    static Contender langchain4j() {
        AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        return new Contender() {
            public String name() {
                return "LangChain4j AllMiniLmL6V2EmbeddingModel.embedAll";
            }

            public List<float[]> embed(List<String> texts) {
                List<TextSegment> segs = texts.stream().map(TextSegment::from).toList();
                return model.embedAll(segs).content().stream().map(e -> e.vector()).toList();
            }
        };
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
