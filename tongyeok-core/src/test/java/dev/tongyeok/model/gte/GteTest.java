package dev.tongyeok.model.gte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.embed.Embedder;
import dev.tongyeok.load.RandomTensors;
import dev.tongyeok.load.SafetensorsWriter;
import dev.tongyeok.load.safetensors.SafetensorsWeights;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.layer.Rope;
import dev.tongyeok.model.layer.RopeScaling;
import dev.tongyeok.model.mpnet.MpnetTest;
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
 * GTE's {@code NewModel}, which no engine here runs (llama.cpp has no such architecture), checked
 * step by step: the NTK-scaled rotary frequencies against values worked out by hand from the
 * published formula, and the whole model against a double-precision forward pass written here
 * from Alibaba-NLP's {@code NewModel}.
 */
public class GteTest {
    static final int V = 30522;
    static final int C = 64;
    static final int L = 2;
    static final int H = 4;
    static final int I = 80;
    static final double THETA = 500000;
    static final double FACTOR = 2;

    @TempDir
    Path tmp;

    @Test
    void ntkScaledFrequenciesAreThePublishedFormula() {
        // f_i = 1 / (θ·a)^(2i/D) / a^(2/D) (kexue.fm/archives/9706, (6)). D = 4, θ = 10000, a = 2, by hand:
        // f_0 = 1 / 2^(1/2) = 0.70710678…; f_1 = 1 / 20000^(1/2) / 2^(1/2) = 1 / 200.
        Rope ntk = Rope.of(4, 10000, new RopeScaling("ntk", 2, 0, 0, 0), null);
        assertEquals(1 / Math.sqrt(2), ntk.frequency(0), 1e-15);
        assertEquals(0.005, ntk.frequency(1), 1e-15);
        Rope plain = Rope.of(4, 10000, null, null);
        assertEquals(1, plain.frequency(0), 1e-15);
        assertEquals(0.01, plain.frequency(1), 1e-15);
    }

    static Map<String, float[][]> weights() {
        Random r = new Random(15);
        Map<String, float[][]> w = new LinkedHashMap<>();
        RandomTensors.put(w, "embeddings.word_embeddings.weight", r, 1.0, V, C);
        RandomTensors.norm(w, "embeddings.LayerNorm", r, C);
        for (int l = 0; l < L; l++) {
            String p = "encoder.layer." + l + ".";
            RandomTensors.put(w, p + "attention.qkv_proj.weight", r, 1 / Math.sqrt(C), 3 * C, C);
            RandomTensors.put(w, p + "attention.qkv_proj.bias", r, 0.1, 3 * C);
            RandomTensors.put(w, p + "attention.o_proj.weight", r, 1 / Math.sqrt(C), C, C);
            RandomTensors.put(w, p + "attention.o_proj.bias", r, 0.1, C);
            RandomTensors.norm(w, p + "attn_ln", r, C);
            RandomTensors.put(w, p + "mlp.up_gate_proj.weight", r, 1 / Math.sqrt(C), 2 * I, C);
            RandomTensors.put(w, p + "mlp.down_proj.weight", r, 1 / Math.sqrt(I), C, I);
            RandomTensors.put(w, p + "mlp.down_proj.bias", r, 0.1, C);
            RandomTensors.norm(w, p + "mlp_ln", r, C);
        }
        return w;
    }

    Path write(Map<String, float[][]> w) throws Exception {
        return write(tmp, w);
    }

    /** Writes the tiny model (safetensors; GTE has no GGUF) under {@code tmp}. */
    public static dev.tongyeok.embed.TinyModel writeModels(Path tmp) throws Exception {
        return new dev.tongyeok.embed.TinyModel("gte", write(tmp, weights()), null, "i love you so much.");
    }

    static Path write(Path tmp, Map<String, float[][]> w) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tiny-gte"));
        Map<String, SafetensorsWriter.Entry> t = new LinkedHashMap<>();
        w.forEach((k, v) -> {
            long[] s = new long[v[0].length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (long) v[0][i];
            }
            t.put(k, new SafetensorsWriter.Entry(s, v[1]));
        });
        SafetensorsWriter.write(dir.resolve("model.safetensors"), t);
        // As gte-base-en-v1.5's config.json spells it (smaller).
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["NewModel"], "model_type": "new", "attention_probs_dropout_prob": 0.0,
                 "classifier_dropout": null, "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": %d,
                 "initializer_range": 0.02, "intermediate_size": %d, "layer_norm_eps": 1e-12,
                 "layer_norm_type": "layer_norm", "logn_attention_clip1": false, "logn_attention_scale": false,
                 "max_position_embeddings": 8192, "num_attention_heads": %d, "num_hidden_layers": %d,
                 "pack_qkv": true, "pad_token_id": 0, "position_embedding_type": "rope",
                 "rope_scaling": {"factor": %s, "type": "ntk"}, "rope_theta": %s, "torch_dtype": "float32",
                 "type_vocab_size": 0, "unpad_inputs": false, "use_memory_efficient_attention": false,
                 "vocab_size": %d}
                """.formatted(C, I, H, L, FACTOR, THETA, V));
        Files.writeString(dir.resolve("tokenizer.json"), Fixtures.tokenizerJson("all-minilm-l6-v2"));
        return dir;
    }

    // ---------------------------------------------------------------- NewModel in double, from its definition

    static double[][] naive(Map<String, float[][]> w, int[] ids) {
        int T = ids.length;
        int D = C / H;
        double[][] x = new double[T][C];
        for (int t = 0; t < T; t++) {
            for (int c = 0; c < C; c++) {
                x[t][c] = w.get("embeddings.word_embeddings.weight")[1][ids[t] * C + c];
            }
        }
        x = MpnetTest.layerNorm(x, w, "embeddings.LayerNorm", 1e-12);
        double[] f = new double[D / 2];
        for (int i = 0; i < D / 2; i++) {
            f[i] = 1 / Math.pow(THETA * FACTOR, 2.0 * i / D) / Math.pow(FACTOR, 2.0 / D);
        }
        for (int l = 0; l < L; l++) {
            String p = "encoder.layer." + l + ".";
            double[][] qkv = MpnetTest.linear(x, w, p + "attention.qkv_proj", 3 * C);
            double[][] ctx = new double[T][C];
            for (int h = 0; h < H; h++) {
                double[][] q = new double[T][D];
                double[][] k = new double[T][D];
                for (int t = 0; t < T; t++) {
                    for (int i = 0; i < D / 2; i++) {
                        double a = t * f[i];
                        for (int part = 0; part < 2; part++) {
                            double[] src = qkv[t];
                            int o = part * C + h * D;
                            double x1 = src[o + i];
                            double x2 = src[o + i + D / 2];
                            double[] dst = part == 0 ? q[t] : k[t];
                            dst[i] = x1 * Math.cos(a) - x2 * Math.sin(a);
                            dst[i + D / 2] = x2 * Math.cos(a) + x1 * Math.sin(a);
                        }
                    }
                }
                for (int i = 0; i < T; i++) {
                    double[] s = new double[T];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < T; j++) {
                        for (int d = 0; d < D; d++) {
                            s[j] += q[i][d] * k[j][d];
                        }
                        s[j] /= Math.sqrt(D);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < T; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j < T; j++) {
                        for (int d = 0; d < D; d++) {
                            ctx[i][h * D + d] += s[j] / sum * qkv[j][2 * C + h * D + d];
                        }
                    }
                }
            }
            double[][] a = MpnetTest.linear(ctx, w, p + "attention.o_proj", C);
            for (int t = 0; t < T; t++) {
                for (int c = 0; c < C; c++) {
                    a[t][c] += x[t][c];
                }
            }
            x = MpnetTest.layerNorm(a, w, p + "attn_ln", 1e-12);
            double[][] ug = MpnetTest.linear(x, w, p + "mlp.up_gate_proj", 2 * I);
            double[][] g = new double[T][I];
            for (int t = 0; t < T; t++) {
                for (int i = 0; i < I; i++) {
                    double z = ug[t][I + i];
                    g[t][i] = ug[t][i] * 0.5 * z * (1 + MpnetTest.erf(z / Math.sqrt(2)));
                }
            }
            double[][] o = MpnetTest.linear(g, w, p + "mlp.down_proj", C);
            for (int t = 0; t < T; t++) {
                for (int c = 0; c < C; c++) {
                    o[t][c] += x[t][c];
                }
            }
            x = MpnetTest.layerNorm(o, w, p + "mlp_ln", 1e-12);
        }
        return x;
    }

    @Test
    void theModelIsNewModelsDefinition() throws Exception {
        Map<String, float[][]> w = weights();
        Path dir = write(w);
        Transformer ours = ModelFamilies.load(SafetensorsWeights.read(dir.resolve("model.safetensors")),
                ModelFamilies.readConfig(dir.resolve("config.json")));
        Random r = new Random(2);
        int[] lengths = {1, 7, 64, 300};
        int[][] seqs = new int[lengths.length][];
        int[][] types = new int[lengths.length][];
        for (int s = 0; s < seqs.length; s++) {
            seqs[s] = new int[lengths[s]];
            types[s] = new int[lengths[s]];
            for (int t = 0; t < lengths[s]; t++) {
                seqs[s][t] = 999 + r.nextInt(V - 999);
            }
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
        assertTrue(worst <= 1e-4, "max |Δ| against the double-precision NewModel " + worst);
        Embedder e = Embedder.load(dir.toString());
        assertEquals(Pooling.CLS, e.defaultPooling(), "GTE pools the first token unless its files say otherwise");
        assertEquals(C, e.embed("I love you so much.").length);
    }
}
