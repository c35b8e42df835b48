package dev.tongyeok.tensor.ops;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The reference twin of every kernel: plain loops in the order the javadoc of
 * {@link TensorOps} states. Used where the platform has no SIMD, by tests as the measure of the
 * vector kernels, and by {@link TieredOps} while the JIT has not compiled the vector kernels yet.
 *
 * <p>Built with {@code lanes} &gt; 1 it sums as {@link VectorOps} of that many lanes does (lane by
 * lane over whole vectors, the lanes by a fixed tree, then the tail in order), so every kernel,
 * reductions included, gives the vector kernels' bits.
 */
public final class ScalarOps implements TensorOps {
    private final int lanes;

    /** Sums in plain order, one value after the other. */
    public ScalarOps() {
        this(1);
    }

    /**
     * Sums as the vector kernels with {@code lanes} lanes do.
     *
     * @throws IllegalArgumentException unless lanes is a power of two
     */
    public ScalarOps(int lanes) {
        if (lanes < 1 || Integer.bitCount(lanes) != 1) {
            throw new IllegalArgumentException("lanes must be a power of two, got " + lanes);
        }
        this.lanes = lanes;
    }

    /** The lane count whose order of summation these kernels follow (1: plain order). */
    public int lanes() {
        return lanes;
    }

    /** The sum of lane accumulators by the tree of {@link VectorOps#sum}: v[i] += v[(i + step) mod L], step = L/2 … 1. */
    private float tree(float[] acc) {
        float[] v = acc.clone();
        float[] next = new float[lanes];
        for (int step = lanes / 2; step >= 1; step /= 2) {
            for (int i = 0; i < lanes; i++) {
                next[i] = v[i] + v[(i + step) % lanes];
            }
            float[] t = v;
            v = next;
            next = t;
        }
        return v[0];
    }
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public void matmulQuantized(float[] x, int T, QuantizedMatrix w, float[] bias, float[] out, int o0, int o1) {
        int C = w.cols();
        int OC = w.rows();
        float[] row = new float[C];
        float[] acc = new float[lanes];
        int whole = C - C % lanes;
        for (int o = o0; o < o1; o++) {
            dev.tongyeok.tensor.Dequantize.row(w.type(), w.data(), o * w.rowBytes(), row, 0, C);
            for (int t = 0; t < T; t++) {
                java.util.Arrays.fill(acc, 0f);
                int xo = t * C;
                for (int c = 0; c < whole; c++) {
                    acc[c % lanes] = Math.fma(row[c], x[xo + c], acc[c % lanes]);
                }
                float sum = tree(acc);
                for (int c = whole; c < C; c++) {
                    sum = Math.fma(row[c], x[xo + c], sum);
                }
                out[t * OC + o] = bias == null ? sum : sum + bias[o];
            }
        }
    }
    static final float SQRT2 = (float) Math.sqrt(2);
    static final float SQRT_2_PI = (float) Math.sqrt(2 / Math.PI);

    @Override
    public void matmul(float[] x, int T, PackedMatrix w, float[] bias, float[] out, int p0, int p1) {
        int C = w.rows();
        int OC = w.cols();
        for (int p = p0; p < p1; p++) {
            int o0 = p * PackedMatrix.PANEL;
            int width = Math.min(PackedMatrix.PANEL, OC - o0);
            columns(x, 0, T, C, w.data(), (long) o0 * C, width, OC, o0, 0, width, bias, out);
        }
    }

    /**
     * Rows [t0, t1) and columns [j0, j1) of one panel starting at float index {@code base} with rows
     * of {@code width} floats; panel column j is output column o0 + j.
     */
    static void columns(float[] x, int t0, int t1, int C, MemorySegment w, long base, int width, int OC, int o0, int j0,
            int j1, float[] bias, float[] out) {
        // Each output keeps one fused multiply-add per c in increasing order. The loops run over c
        // outside: the panel's row c is copied once into a heap array (one bulk copy instead of a
        // memory segment read per row of x and column: such reads cost a cold start, in the
        // interpreter and C1's code, several times the multiply-adds), then every row of x uses it.
        // An array per row, indexed as the weights are, runs ~40 % faster in C2's code than one
        // array with a row offset (2.0 -> 2.8 GMAC/s at 64 x 384 x 1536; still not vectorized).
        int n = j1 - j0;
        int rows = t1 - t0;
        float[][] acc = new float[rows][n];
        float[] wc = new float[n];
        for (int c = 0; c < C; c++) {
            MemorySegment.copy(w, F32, (base + (long) c * width + j0) * Float.BYTES, wc, 0, n);
            for (int r = 0; r < rows; r++) {
                float xc = x[(t0 + r) * C + c];
                float[] a = acc[r];
                for (int j = 0; j < n; j++) {
                    a[j] = Math.fma(xc, wc[j], a[j]);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            int t = t0 + r;
            for (int j = j0; j < j1; j++) {
                int o = o0 + j;
                out[t * OC + o] = acc[r][j - j0] + (bias == null ? 0f : bias[o]);
            }
        }
    }

    @Override
    public void gemm(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, int M,
            int K, int N) {
        for (int m = 0; m < M; m++) {
            for (int n = 0; n < N; n++) {
                float acc = 0;
                for (int k = 0; k < K; k++) {
                    acc = Math.fma(a[aOff + m * lda + k], b[bOff + k * ldb + n], acc);
                }
                c[cOff + m * ldc + n] = acc;
            }
        }
    }

    @Override
    public void add(float[] dst, int dOff, float[] src, int sOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    @Override
    public void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        float[] acc = new float[lanes];
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                float e = exp(x[off + i + l] - max);
                x[off + i + l] = e;
                acc[l] += e;
            }
        }
        float sum = tree(acc);
        for (; i < n; i++) {
            float e = exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        for (i = 0; i < n; i++) {
            x[off + i] /= sum;
        }
    }

    @Override
    public void layerNorm(float[] x, int off, int n, float[] gamma, float[] beta, float eps) {
        float[] acc = new float[lanes];
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                acc[l] += x[off + i + l];
            }
        }
        float sum = tree(acc);
        for (; i < n; i++) {
            sum += x[off + i];
        }
        float mean = sum / n;
        java.util.Arrays.fill(acc, 0);
        for (i = 0; i + lanes <= n; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                float d = x[off + i + l] - mean;
                acc[l] += d * d;
            }
        }
        float sq = tree(acc);
        for (; i < n; i++) {
            float d = x[off + i] - mean;
            sq += d * d;
        }
        float std = (float) Math.sqrt(sq / n + eps);
        for (i = 0; i < n; i++) {
            x[off + i] = (x[off + i] - mean) / std * gamma[i] + beta[i];
        }
    }

    /** Below this exp underflows to 0 (exp(−87) is near the smallest normal float). */
    static final float EXP_MIN = -87f;
    /** Above this exp is clamped (exp(88) is near the largest float). */
    static final float EXP_MAX = 88f;
    static final float LOG2E = 1.44269504088896341f;
    /** 1.5 · 2²³: adding and subtracting it rounds a float to an integer, half to even. */
    static final float ROUND = 12582912f;
    /** ln 2 split in two (Cephes): the high part has few bits, so k · LN2_HI is exact. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float[] EXP_POLY = {1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f, 1f, 1f};

    /**
     * e^x in float arithmetic only (fused multiply-adds, exact conversions), so that the vector twin
     * gives the same bits lane by lane and results do not depend on which JIT tier runs them:
     * x = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor polynomial of degree 7 (truncation error
     * below 1e-8 relative), times 2^k built in the exponent bits.
     */
    static float exp(float x) {
        if (x < EXP_MIN) {
            return 0;
        }
        x = Math.min(x, EXP_MAX);
        float kf = Math.fma(x, LOG2E, ROUND) - ROUND;
        float r = Math.fma(-kf, LN2_HI, x);
        r = Math.fma(-kf, LN2_LO, r);
        float p = EXP_POLY[0];
        for (int i = 1; i < EXP_POLY.length; i++) {
            p = Math.fma(p, r, EXP_POLY[i]);
        }
        return p * Float.intBitsToFloat(((int) kf + 127) << 23);
    }

    /** tanh(u) = sign(u) · (1 − e^(−2|u|)) / (1 + e^(−2|u|)), with {@link #exp}. */
    static float tanh(float u) {
        float t = exp(-2 * Math.abs(u));
        float v = (1 - t) / (1 + t);
        return u < 0 ? -v : v;
    }

    @Override
    public void gelu(float[] x, int off, int n) {
        for (int i = 0; i < n; i++) {
            x[off + i] = gelu(x[off + i]);
        }
    }

    /**
     * Exact GELU of one value, in the order of operations of the exported graphs (and of
     * {@code torch.nn.functional.gelu}): x · (erf(x / √2) + 1) · ½. erf comes from erfc by the
     * Chebyshev-fitted form of Numerical Recipes (§6.2, fractional error below 1.2e-7 everywhere).
     * Keeping the graph's order matters for int8 models, whose next layer rounds this output to
     * a quantization step: a different rounding here moves values across step boundaries.
     */
    static float gelu(float x) {
        float z = x / SQRT2;
        float ans = erfcPositive(Math.abs(z));
        float erf = z >= 0 ? 1 - ans : ans - 1;
        return x * (erf + 1) * 0.5f;
    }

    /** erfc(z) for z ≥ 0. */
    static float erfcPositive(float z) {
        float t = 1 / Math.fma(0.5f, z, 1);
        float p = poly(t);
        return t * exp(-z * z - 1.26551223f + p);
    }

    static float poly(float t) {
        float p = 0.17087277f;
        p = Math.fma(p, t, -0.82215223f);
        p = Math.fma(p, t, 1.48851587f);
        p = Math.fma(p, t, -1.13520398f);
        p = Math.fma(p, t, 0.27886807f);
        p = Math.fma(p, t, -0.18628806f);
        p = Math.fma(p, t, 0.09678418f);
        p = Math.fma(p, t, 0.37409196f);
        p = Math.fma(p, t, 1.00002368f);
        return p * t;
    }

    @Override
    public void geluTanh(float[] x, int off, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            x[off + i] = geluTanh(v);
        }
    }

    static float geluTanh(float v) {
        float inner = (v * v * v * 0.044715f + v) * SQRT_2_PI;
        return v * 0.5f * (tanh(inner) + 1);
    }

    @Override
    public void glu(Gate act, float[] gate, int gOff, float[] up, int uOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            float x = gate[gOff + i];
            float a = switch (act) {
                case SILU -> x / (1f + exp(-x));
                case GELU -> gelu(x);
                case GELU_TANH -> geluTanh(x);
                case RELU -> Math.max(0f, x);
            };
            out[oOff + i] = a * up[uOff + i];
        }
    }

    @Override
    public String name() {
        return lanes == 1 ? "scalar" : "scalar (" + lanes + " lanes)";
    }
}
