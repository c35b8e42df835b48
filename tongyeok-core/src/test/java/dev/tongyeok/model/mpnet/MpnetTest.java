package dev.tongyeok.model.mpnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.embed.Embedder;
import dev.tongyeok.load.RandomTensors;
import dev.tongyeok.load.SafetensorsWriter;
import dev.tongyeok.load.safetensors.SafetensorsWeights;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.registry.ModelFamilies;
import dev.tongyeok.tokenize.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MPNet, which no engine here runs (llama.cpp has no MPNet), checked step by step: the relative
 * buckets against values worked out by hand from the reference formula, and the whole model
 * against a double-precision forward pass written here from HF transformers' {@code MPNetModel}.
 */
public class MpnetTest {
    static final int V = 30522;
    static final int C = 48;
    static final int L = 2;
    static final int H = 4;
    static final int I = 96;
    static final int POSITIONS = 256;

    @TempDir
    Path tmp;

    @Test
    void bucketsAreTheReferenceFormulas() {
        // relative = key − query; 32 buckets, exact below 8, log-spaced to 128. By hand:
        // n = −relative; after the query (n < 0) add 16; |n| ≥ 8: 8 + ⌊ln(|n|/8)/ln 16 · 8⌋, at most 15.
        int[][] expected = {{0, 0}, {-1, 1}, {-7, 7}, {-8, 8}, {-11, 8}, {-12, 9}, {-16, 10}, {-32, 12}, {-64, 14},
            {-127, 15}, {-128, 15}, {-1000, 15}, {1, 17}, {7, 23}, {8, 24}, {12, 25}, {16, 26}, {128, 31}, {5000, 31}};
        for (int[] e : expected) {
            assertEquals(e[1], RelativePositions.bucket(e[0], 32, 128), "relative position " + e[0]);
        }
    }

    static Map<String, float[][]> weights() {
        Random r = new Random(30527);
        Map<String, float[][]> w = new LinkedHashMap<>();
        RandomTensors.put(w, "embeddings.word_embeddings.weight", r, 1.0, V, C);
        RandomTensors.put(w, "embeddings.position_embeddings.weight", r, 0.5, POSITIONS + 2, C);
        RandomTensors.norm(w, "embeddings.LayerNorm", r, C);
        RandomTensors.put(w, "encoder.relative_attention_bias.weight", r, 1.0, 32, H);
        for (int l = 0; l < L; l++) {
            String p = "encoder.layer." + l + ".";
            for (String m : new String[] {"q", "k", "v", "o"}) {
                RandomTensors.put(w, p + "attention.attn." + m + ".weight", r, 1 / Math.sqrt(C), C, C);
                RandomTensors.put(w, p + "attention.attn." + m + ".bias", r, 0.1, C);
            }
            RandomTensors.norm(w, p + "attention.LayerNorm", r, C);
            RandomTensors.put(w, p + "intermediate.dense.weight", r, 1 / Math.sqrt(C), I, C);
            RandomTensors.put(w, p + "intermediate.dense.bias", r, 0.1, I);
            RandomTensors.put(w, p + "output.dense.weight", r, 1 / Math.sqrt(I), C, I);
            RandomTensors.put(w, p + "output.dense.bias", r, 0.1, C);
            RandomTensors.norm(w, p + "output.LayerNorm", r, C);
        }
        return w;
    }

    Path write(Map<String, float[][]> w) throws Exception {
        return write(tmp, w);
    }

    /** Writes the tiny model (safetensors; MPNet has no GGUF) under {@code tmp}. */
    public static dev.tongyeok.embed.TinyModel writeModels(Path tmp) throws Exception {
        return new dev.tongyeok.embed.TinyModel("mpnet", write(tmp, weights()), null, "i love you so much.");
    }

    static Path write(Path tmp, Map<String, float[][]> w) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tiny-mpnet"));
        Map<String, SafetensorsWriter.Entry> t = new LinkedHashMap<>();
        w.forEach((k, v) -> {
            long[] s = new long[v[0].length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (long) v[0][i];
            }
            t.put(k, new SafetensorsWriter.Entry(s, v[1]));
        });
        SafetensorsWriter.write(dir.resolve("model.safetensors"), t);
        // As all-mpnet-base-v2's config.json spells it (smaller).
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["MPNetModel"], "model_type": "mpnet", "attention_probs_dropout_prob": 0.1,
                 "bos_token_id": 0, "eos_token_id": 2, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
                 "hidden_size": %d, "initializer_range": 0.02, "intermediate_size": %d, "layer_norm_eps": 1e-05,
                 "max_position_embeddings": %d, "num_attention_heads": %d, "num_hidden_layers": %d, "pad_token_id": 1,
                 "relative_attention_num_buckets": 32, "vocab_size": %d}
                """.formatted(C, I, POSITIONS + 2, H, L, V));
        Files.writeString(dir.resolve("tokenizer.json"), Fixtures.tokenizerJson("all-minilm-l6-v2"));
        return dir;
    }

    // ---------------------------------------------------------------- MPNetModel in double, from its definition

    static int bucketInDouble(int relative) {
        int n = -relative;
        int ret = n < 0 ? 16 : 0;
        n = Math.abs(n);
        return ret + (n < 8 ? n : Math.min(15, 8 + (int) (Math.log(n / 8.0) / Math.log(16) * 8)));
    }

    static double[][] naive(Map<String, float[][]> w, int[] ids) {
        int T = ids.length;
        double[][] x = new double[T][C];
        for (int t = 0; t < T; t++) {
            for (int c = 0; c < C; c++) {
                x[t][c] = w.get("embeddings.word_embeddings.weight")[1][ids[t] * C + c]
                        + w.get("embeddings.position_embeddings.weight")[1][(t + 2) * C + c];
            }
        }
        x = layerNorm(x, w, "embeddings.LayerNorm");
        float[] rel = w.get("encoder.relative_attention_bias.weight")[1];
        int D = C / H;
        for (int l = 0; l < L; l++) {
            String p = "encoder.layer." + l + ".";
            double[][] q = linear(x, w, p + "attention.attn.q", C);
            double[][] k = linear(x, w, p + "attention.attn.k", C);
            double[][] v = linear(x, w, p + "attention.attn.v", C);
            double[][] ctx = new double[T][C];
            for (int h = 0; h < H; h++) {
                for (int i = 0; i < T; i++) {
                    double[] s = new double[T];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < T; j++) {
                        for (int d = 0; d < D; d++) {
                            s[j] += q[i][h * D + d] * k[j][h * D + d];
                        }
                        s[j] = s[j] / Math.sqrt(D) + rel[bucketInDouble(j - i) * H + h];
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < T; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j < T; j++) {
                        for (int d = 0; d < D; d++) {
                            ctx[i][h * D + d] += s[j] / sum * v[j][h * D + d];
                        }
                    }
                }
            }
            double[][] a = linear(ctx, w, p + "attention.attn.o", C);
            for (int t = 0; t < T; t++) {
                for (int c = 0; c < C; c++) {
                    a[t][c] += x[t][c];
                }
            }
            x = layerNorm(a, w, p + "attention.LayerNorm");
            double[][] f = linear(x, w, p + "intermediate.dense", I);
            for (double[] row : f) {
                for (int i = 0; i < I; i++) {
                    row[i] = 0.5 * row[i] * (1 + erf(row[i] / Math.sqrt(2)));
                }
            }
            double[][] o = linear(f, w, p + "output.dense", C);
            for (int t = 0; t < T; t++) {
                for (int c = 0; c < C; c++) {
                    o[t][c] += x[t][c];
                }
            }
            x = layerNorm(o, w, p + "output.LayerNorm");
        }
        return x;
    }

    public static double[][] linear(double[][] x, Map<String, float[][]> w, String name, int out) {
        float[] m = w.get(name + ".weight")[1];
        float[] b = w.containsKey(name + ".bias") ? w.get(name + ".bias")[1] : new float[out];
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += m[o * in + i] * x[t][i];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    static double[][] layerNorm(double[][] x, Map<String, float[][]> w, String name) {
        return layerNorm(x, w, name, 1e-5);
    }

    public static double[][] layerNorm(double[][] x, Map<String, float[][]> w, String name, double eps) {
        float[] g = w.get(name + ".weight")[1];
        float[] b = w.get(name + ".bias")[1];
        int C = x[0].length;
        double[][] y = new double[x.length][C];
        for (int t = 0; t < x.length; t++) {
            double mean = 0;
            for (double v : x[t]) {
                mean += v / C;
            }
            double var = 0;
            for (double v : x[t]) {
                var += (v - mean) * (v - mean) / C;
            }
            for (int c = 0; c < C; c++) {
                y[t][c] = (x[t][c] - mean) / Math.sqrt(var + eps) * g[c] + b[c];
            }
        }
        return y;
    }

    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax > 5.9) {
            return Math.signum(x);
        }
        double sum = 0;
        double term = ax;
        for (int n = 0; n < 200; n++) {
            double add = term / (2 * n + 1);
            sum += add;
            term *= -ax * ax / (n + 1);
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return Math.signum(x) * 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void theModelIsMpnetModelsDefinition() throws Exception {
        Map<String, float[][]> w = weights();
        Path dir = write(w);
        Transformer ours = ModelFamilies.load(SafetensorsWeights.read(dir.resolve("model.safetensors")),
                ModelFamilies.readConfig(dir.resolve("config.json")));
        assertEquals(POSITIONS, ours.config().max_position_embeddings());
        // Sequences of up to 200 tokens: relative distances reach every bucket, log-spaced ones included.
        Random r = new Random(1);
        int[][] seqs = new int[4][];
        int[] lengths = {1, 9, 40, 200};
        for (int s = 0; s < seqs.length; s++) {
            seqs[s] = new int[lengths[s]];
            for (int t = 0; t < lengths[s]; t++) {
                seqs[s][t] = 999 + r.nextInt(V - 999);
            }
        }
        int[][] types = new int[seqs.length][];
        for (int s = 0; s < seqs.length; s++) {
            types[s] = new int[seqs[s].length];
        }
        float[] got = ours.forward(PackedBatch.of(seqs, types), Observer.NONE);
        int row = 0;
        double worst = 0;
        for (int[] seq : seqs) {
            double[][] want = naive(w, seq);
            for (int t = 0; t < seq.length; t++) {
                for (int c = 0; c < C; c++) {
                    worst = Math.max(worst, Math.abs(got[(row + t) * C + c] - want[t][c]));
                }
            }
            row += seq.length;
        }
        assertTrue(worst <= 1e-4, "max |Δ| against the double-precision MPNet " + worst);

        // Through the Embedder, with a WordPiece tokenizer: mean-pooled, normalized.
        Embedder e = Embedder.load(dir.toString());
        assertEquals(C, e.embed("I love you so much.").length);
    }
}
