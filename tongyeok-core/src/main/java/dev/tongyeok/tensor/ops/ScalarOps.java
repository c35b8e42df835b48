package dev.tongyeok.tensor.ops;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The reference twin of every kernel: plain loops in the order the javadoc of
 * {@link TensorOps} states. Used where the platform has no SIMD, and by tests as the measure
 * of the vector kernels.
 */
public final class ScalarOps implements TensorOps {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final float SQRT1_2 = (float) (1 / Math.sqrt(2));
    static final float SQRT_2_PI = (float) Math.sqrt(2 / Math.PI);

    @Override
    public void matmul(float[] x, int T, int C, MemorySegment w, int OC, float[] bias, float[] out, int o0, int o1) {
        matmulColumns(x, T, C, w, OC, bias, out, o0, o1);
    }

    static void matmulColumns(float[] x, int T, int C, MemorySegment w, int OC, float[] bias, float[] out, int o0,
            int o1) {
        for (int t = 0; t < T; t++) {
            for (int o = o0; o < o1; o++) {
                float acc = 0;
                for (int c = 0; c < C; c++) {
                    acc = Math.fma(x[t * C + c], w.getAtIndex(F32, (long) c * OC + o), acc);
                }
                out[t * OC + o] = bias == null ? acc : acc + bias[o];
            }
        }
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
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
        float sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        for (int i = 0; i < n; i++) {
            x[off + i] /= sum;
        }
    }

    @Override
    public void layerNorm(float[] x, int off, int n, float[] gamma, float[] beta, float eps) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[off + i];
        }
        float mean = sum / n;
        float sq = 0;
        for (int i = 0; i < n; i++) {
            float d = x[off + i] - mean;
            sq = Math.fma(d, d, sq);
        }
        float inv = (float) (1 / Math.sqrt(sq / n + eps));
        for (int i = 0; i < n; i++) {
            x[off + i] = Math.fma((x[off + i] - mean) * inv, gamma[i], beta[i]);
        }
    }

    @Override
    public void gelu(float[] x, int off, int n) {
        for (int i = 0; i < n; i++) {
            x[off + i] = gelu(x[off + i]);
        }
    }

    /**
     * Exact GELU of one value. erfc by the Chebyshev-fitted form of Numerical Recipes (§6.2,
     * fractional error below 1.2e-7 everywhere); written as ½x·erfc(−x/√2) so that large negative
     * inputs keep their relative accuracy instead of cancelling in 1 + erf.
     */
    static float gelu(float x) {
        float z = Math.abs(x) * SQRT1_2;
        float ans = erfcPositive(z);
        return 0.5f * x * (x >= 0 ? 2 - ans : ans);
    }

    /** erfc(z) for z ≥ 0. */
    static float erfcPositive(float z) {
        float t = 1 / Math.fma(0.5f, z, 1);
        float p = poly(t);
        return t * (float) Math.exp(-z * z - 1.26551223f + p);
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
            x[off + i] = 0.5f * v * (1 + (float) Math.tanh(SQRT_2_PI * (v + 0.044715f * v * v * v)));
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
