package dev.tongyeok.model.layer;

/**
 * Rotary position embeddings as HF transformers applies them ({@code rotate_half}): in each head
 * of width D, the pair (x[i], x[i + D/2]) is rotated by the angle position · f_i, with
 * f_i = θ^(−2i/D), optionally scaled: linearly (all f_i / factor) or as Llama 3 does (low
 * frequencies / factor, high ones kept, the band between blended), NTK-aware (GTE's: θ · factor,
 * then f_i / factor^(2/D)), or by per-frequency factors
 * (llama.cpp's {@code rope_freqs}: f_i / factor_i).
 */
public final class Rope {
    private final int D;
    private final double[] freq; // (D/2)
    private float[] cos = new float[0]; // (positions, D/2), grown on demand
    private float[] sin = cos;

    private Rope(int D, double[] freq) {
        this.D = D;
        this.freq = freq;
    }

    /**
     * The rotation of heads of width {@code D} with base {@code theta}.
     *
     * @param scaling the frequencies' scaling, or null
     * @param freqFactors per-frequency divisors (D/2 values), or null
     * @throws IllegalArgumentException when freqFactors has another length
     */
    public static Rope of(int D, double theta, RopeScaling scaling, float[] freqFactors) {
        double[] f = new double[D / 2];
        RopeScaling s = scaling;
        boolean ntk = s != null && s.type().equals("ntk");
        for (int i = 0; i < D / 2; i++) {
            f[i] = 1.0 / Math.pow(ntk ? theta * s.factor() : theta, 2.0 * i / D);
            if (ntk) {
                f[i] /= Math.pow(s.factor(), 2.0 / D); // kexue.fm/archives/9706, (6)
            }
        }
        if (s != null && s.type().equals("linear")) {
            for (int i = 0; i < f.length; i++) {
                f[i] /= s.factor();
            }
        } else if (s != null && s.type().equals("llama3")) {
            double lowWavelen = s.original_max_position_embeddings() / s.low_freq_factor();
            double highWavelen = s.original_max_position_embeddings() / s.high_freq_factor();
            for (int i = 0; i < f.length; i++) {
                double wavelen = 2 * Math.PI / f[i];
                if (wavelen > lowWavelen) {
                    f[i] /= s.factor();
                } else if (wavelen >= highWavelen) {
                    double smooth = (s.original_max_position_embeddings() / wavelen - s.low_freq_factor())
                            / (s.high_freq_factor() - s.low_freq_factor());
                    f[i] = (1 - smooth) * f[i] / s.factor() + smooth * f[i];
                }
            }
        }
        if (freqFactors != null) {
            if (freqFactors.length != D / 2) {
                throw new IllegalArgumentException("rope frequency factors: " + freqFactors.length + " values for heads of "
                        + D + " (expected " + D / 2 + ")");
            }
            for (int i = 0; i < f.length; i++) {
                f[i] /= freqFactors[i];
            }
        }
        return new Rope(D, f);
    }

    /** f_i, the rotation per position of pair i (i < D/2), after scaling. */
    public double frequency(int i) {
        return freq[i];
    }

    /**
     * Rotates every head of every row in place: row t has position {@code positions[t]} and holds
     * {@code heads} heads of width D.
     *
     * <pre>x: (T, heads · D) -> (T, heads · D)</pre>
     */
    public void apply(float[] x, int T, int heads, int[] positions) {
        int half = D / 2;
        int max = 0;
        for (int t = 0; t < T; t++) {
            max = Math.max(max, positions[t] + 1);
        }
        float[][] table = table(max);
        float[] c = table[0];
        float[] s = table[1];
        for (int t = 0; t < T; t++) {
            int p = positions[t] * half;
            for (int h = 0; h < heads; h++) {
                int o = (t * heads + h) * D;
                for (int i = 0; i < half; i++) {
                    float x1 = x[o + i];
                    float x2 = x[o + i + half];
                    x[o + i] = x1 * c[p + i] - x2 * s[p + i];
                    x[o + i + half] = x2 * c[p + i] + x1 * s[p + i];
                }
            }
        }
    }

    // cos and sin of position · f_i for positions [0, n), computed once in double and kept.
    private synchronized float[][] table(int n) {
        int half = D / 2;
        if (cos.length < n * half) {
            int m = Math.max(n, 2 * cos.length / Math.max(1, half));
            float[] c = new float[m * half];
            float[] s = new float[m * half];
            for (int p = 0; p < m; p++) {
                for (int i = 0; i < half; i++) {
                    double a = p * freq[i];
                    c[p * half + i] = (float) Math.cos(a);
                    s[p * half + i] = (float) Math.sin(a);
                }
            }
            cos = c;
            sin = s;
        }
        return new float[][] {cos, sin};
    }
}
