package dev.tongyeok.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tiered kernels give the vector kernels' bits cold (scalar twin), for large products (vector
 * at once) and warm, so a result never depends on when in a process it was computed.
 */
class TieredOpsTest {
    final Random random = new Random(7);

    float[] randoms(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    /** One small layer: product, residual, LayerNorm, GELU, attention-like softmax and gemm. */
    float[] layer(TensorOps ops, float[] x, int T, PackedMatrix w, float[] bias, float[] gamma, float[] beta) {
        int C = w.rows();
        int OC = w.cols();
        float[] y = new float[T * OC];
        ops.matmul(x, T, w, bias, y, 0, w.panels());
        ops.add(y, 0, x, 0, Math.min(y.length, x.length));
        for (int t = 0; t < T; t++) {
            ops.layerNorm(y, t * OC, OC, gamma, beta, 1e-12f);
        }
        ops.gelu(y, 0, y.length);
        float[] p = new float[T * T];
        ops.gemm(y, 0, OC, x, 0, T, p, 0, T, T, Math.min(OC, C), T);
        for (int t = 0; t < T; t++) {
            ops.softmax(p, t * T, T);
        }
        float[] out = new float[y.length + p.length];
        System.arraycopy(y, 0, out, 0, y.length);
        System.arraycopy(p, 0, out, y.length, p.length);
        return out;
    }

    @Test
    void coldLargeAndWarmCallsGiveTheVectorKernelsBits() {
        VectorOps vector = new VectorOps();
        TieredOps tiered = new TieredOps(vector);
        int C = 384;
        float[] wv = randoms(C * C);
        PackedMatrix w = PackedMatrix.pack(C, C, (c, o) -> wv[c * C + o]);
        float[] bias = randoms(C);
        float[] gamma = randoms(C);
        float[] beta = randoms(C);
        // small (scalar twin while cold) and large (vector at once: T × C × C ≥ TieredOps.LARGE)
        int[] rows = {1, 5, 13, 70};
        float[][] cold = new float[rows.length][];
        float[][] inputs = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            inputs[i] = randoms(rows[i] * C);
            cold[i] = layer(tiered, inputs[i], rows[i], w, bias, gamma, beta);
            if (i == rows.length - 2) {
                // The large product that follows starts it (in the background, perhaps done at once in a
                // JVM whose kernels are already compiled): ask before it.
                assertFalse(tiered.warmUpStarted(), "a few small calls do not start the warm-up");
            }
        }
        tiered.warmUp();
        assertTrue(tiered.warm());
        for (int i = 0; i < rows.length; i++) {
            float[] ref = layer(vector, inputs[i], rows[i], w, bias, gamma, beta);
            assertArrayEquals(ref, cold[i], "cold, T=" + rows[i]);
            assertArrayEquals(ref, layer(tiered, inputs[i], rows[i], w, bias, gamma, beta), "warm, T=" + rows[i]);
        }
        assertEquals(vector.name(), tiered.name());
    }

    @Test
    void manySmallProductsStartTheBackgroundWarmUp() {
        TieredOps tiered = new TieredOps(new VectorOps());
        int C = 64;
        float[] wv = randoms(C * C);
        PackedMatrix w = PackedMatrix.pack(C, C, (c, o) -> wv[c * C + o]);
        float[] x = randoms(C);
        float[] y = new float[C];
        for (int i = 0; i < TieredOps.WARM_AFTER - 1; i++) {
            tiered.matmul(x, 1, w, null, y, 0, w.panels());
        }
        assertFalse(tiered.warmUpStarted(), "fewer than WARM_AFTER small products leave the kernels cold");
        tiered.matmul(x, 1, w, null, y, 0, w.panels());
        // The products themselves start it: warmUp() below would otherwise start it on this thread.
        assertTrue(tiered.warmUpStarted(), "the WARM_AFTER-th small product starts the background warm-up");
        tiered.warmUp(); // waits for the background thread
        assertTrue(tiered.warm());
    }
}
