package dev.tongyeok.model.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Inspection;
import dev.tongyeok.load.Weight;
import dev.tongyeok.load.WeightSource;
import org.junit.jupiter.api.Test;

/**
 * Attention probabilities of a real model against a naive double-precision implementation of
 * softmax(QKᵀ/√D) written here from the layer's input hidden state and its query/key weights.
 */
class AttentionTest {
    /** F32 projections of 384-wide rows and a float softmax against double: a few 1e-6 at most. */
    static final double TOLERANCE = 2e-5;

    @Test
    void probabilitiesMatchNaiveDoubleAttentionAndRowsSumToOne() throws Exception {
        Embedder e = Embedder.load("all-minilm-l6-v2");
        Inspection in = e.inspect("<<시작>> I love you so much. <<끝>>", EmbedOptions.DEFAULTS);
        WeightSource w = e.files().weights();
        int C = e.dimensions();
        int H = e.files().config().num_attention_heads();
        int D = C / H;
        int T = in.tokens();
        for (int layer : new int[] {0, 3, 5}) {
            float[][] x = in.hiddenStates().get(layer);
            double[][] q = project(x, w, "encoder.layer." + layer + ".attention.self.query", C);
            double[][] k = project(x, w, "encoder.layer." + layer + ".attention.self.key", C);
            for (int h = 0; h < H; h++) {
                float[][] probs = in.attentions()[layer][h];
                assertEquals(T, probs.length);
                for (int i = 0; i < T; i++) {
                    double[] s = new double[T];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < T; j++) {
                        for (int d = 0; d < D; d++) {
                            s[j] += q[i][h * D + d] * k[j][h * D + d];
                        }
                        s[j] /= Math.sqrt(D);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < T; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    double rowSum = 0;
                    for (int j = 0; j < T; j++) {
                        assertEquals(s[j] / sum, probs[i][j], TOLERANCE, "layer " + layer + " head " + h + " [" + i
                                + "," + j + "]");
                        rowSum += probs[i][j];
                    }
                    assertEquals(1.0, rowSum, 1e-5, "layer " + layer + " head " + h + " row " + i);
                }
            }
        }
    }

    // x (T, C) · Wᵀ + b in double, W read from the file in whatever layout it is stored.
    static double[][] project(float[][] x, WeightSource src, String prefix, int C) {
        Weight w = src.get(prefix + ".weight");
        float[] b = src.get(prefix + ".bias").tensor().toFloatArray();
        double[][] out = new double[x.length][C];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < C; o++) {
                double acc = b[o];
                for (int c = 0; c < C; c++) {
                    long at = w.transposed() ? (long) c * C + o : (long) o * C + c;
                    acc += x[t][c] * (double) w.tensor().getFloat(at);
                }
                out[t][o] = acc;
            }
        }
        return out;
    }
}
