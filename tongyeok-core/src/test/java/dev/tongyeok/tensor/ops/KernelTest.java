package dev.tongyeok.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every Vector API kernel against its scalar twin, over sizes that exercise the vector body and the tail. */
class KernelTest {
    static final int[] SIZES = {1, 7, 8, 15, 16, 17, 33, 127, 384, 1023, 4097};
    /** Softmax: the same exponentials normalized by a sum taken in another order: ~√n ulps of 1, plus the division. */
    static double softmaxRel(int n) {
        return (2 * Math.sqrt(n) + 2) * Math.ulp(1f);
    }

    final VectorOps vector = new VectorOps();
    final ScalarOps scalar = new ScalarOps();
    /** The twin that sums as the vector kernels do: the same bits in every kernel. */
    final ScalarOps lanes = new ScalarOps(VectorOps.L);
    final Random random = new Random(42);

    @Test
    void vectorKernelsAreInUse() {
        assertTrue(VectorOps.L >= 4, "this machine has SIMD; the preferred species has " + VectorOps.L + " lanes");
        assertEquals(vector.name(), Ops.get().name());
        // Surefire runs these tests again at 128 and 256 bits: they must run at the width asked for.
        String bits = System.getProperty("tongyeok.vectorBits");
        if (bits != null) {
            assertEquals(Integer.parseInt(bits) / Float.SIZE, VectorOps.L, "tongyeok.vectorBits=" + bits);
        }
        System.out.println("kernels at " + VectorOps.L * Float.SIZE + " bits (" + VectorOps.L + " float lanes)");
    }

    @Test
    void unusableVectorWidthsKeepThePreferredOne() {
        int preferred = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        for (String bad : new String[] {"96", "1024", "wide", "64"}) {
            assertEquals(preferred, VectorOps.species(bad).vectorBitSize(), bad);
        }
        assertEquals(128, VectorOps.species("128").vectorBitSize());
        assertEquals(preferred, VectorOps.species(null).vectorBitSize());
    }

    float[] randoms(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * scale);
        }
        return a;
    }

    @Test
    void matmulIsBitwiseIdentical() {
        // Both keep one fused multiply-add per c in increasing order: no tolerance.
        for (int T : new int[] {1, 3, 4, 5, 9}) {
            for (int C : new int[] {1, 7, 33, 384}) {
                for (int OC : new int[] {1, 7, 16, 17, 64, 65, 127, 384}) {
                    float[] x = randoms(T * C, 1);
                    float[] wArr = randoms(C * OC, 0.1f);
                    PackedMatrix w = PackedMatrix.pack(C, OC, (c, o) -> wArr[c * OC + o]);
                    float[] bias = OC % 2 == 0 ? randoms(OC, 1) : null;
                    float[] a = new float[T * OC];
                    float[] b = new float[T * OC];
                    vector.matmul(x, T, w, bias, a, 0, w.panels());
                    scalar.matmul(x, T, w, bias, b, 0, w.panels());
                    assertArrayEquals(b, a, "T=" + T + " C=" + C + " OC=" + OC);
                    float[] p = new float[T * OC];
                    Ops.matmul(vector, x, T, w, bias, p);
                    assertArrayEquals(b, p, "parallel T=" + T + " C=" + C + " OC=" + OC);
                    // and the product itself, in double, against the unpacked matrix
                    for (int t = 0; t < T; t++) {
                        for (int o = 0; o < OC; o++) {
                            double ref = bias == null ? 0 : bias[o];
                            double mag = Math.abs(ref);
                            for (int c = 0; c < C; c++) {
                                ref += (double) x[t * C + c] * wArr[c * OC + o];
                                mag += Math.abs((double) x[t * C + c] * wArr[c * OC + o]);
                            }
                            assertEquals(ref, b[t * OC + o], (C + 2) * Math.ulp((float) mag));
                            assertEquals(wArr[(t % C) * OC + o], w.get(t % C, o));
                        }
                    }
                }
            }
        }
    }

    @Test
    void parallelMatmulOfLargeProductsIsBitwiseIdentical() {
        int T = 37;
        int C = 384;
        int OC = 1536;
        float[] x = randoms(T * C, 1);
        float[] wArr = randoms(C * OC, 0.05f);
        PackedMatrix w = PackedMatrix.pack(C, OC, (c, o) -> wArr[c * OC + o]);
        float[] a = new float[T * OC];
        float[] b = new float[T * OC];
        Ops.matmul(vector, x, T, w, null, a);
        scalar.matmul(x, T, w, null, b, 0, w.panels());
        assertArrayEquals(b, a);
    }

    @Test
    void gemmIsBitwiseIdentical() {
        // Attention's products on strided views (one head of a packed (T, C) matrix): a fused
        // multiply-add per k in increasing order in both, so no tolerance.
        for (int M : new int[] {1, 4, 5, 7, 33}) {
            for (int K : new int[] {1, 32, 37}) {
                for (int N : new int[] {1, 7, 16, 17, 32, 33, 127}) {
                    int lda = K + 3;
                    int ldb = N + 5;
                    int ldc = N + 2;
                    float[] a = randoms(2 + M * lda, 1);
                    float[] b = randoms(4 + K * ldb, 1);
                    float[] v = randoms(1 + M * ldc, 1);
                    float[] w = v.clone();
                    vector.gemm(a, 2, lda, b, 4, ldb, v, 1, ldc, M, K, N);
                    scalar.gemm(a, 2, lda, b, 4, ldb, w, 1, ldc, M, K, N);
                    assertArrayEquals(w, v, "M=" + M + " K=" + K + " N=" + N);
                    for (int m = 0; m < M; m++) {
                        for (int n = 0; n < N; n++) {
                            double ref = 0;
                            double mag = 0;
                            for (int k = 0; k < K; k++) {
                                ref += (double) a[2 + m * lda + k] * b[4 + k * ldb + n];
                                mag += Math.abs((double) a[2 + m * lda + k] * b[4 + k * ldb + n]);
                            }
                            assertEquals(ref, w[1 + m * ldc + n], (K + 1) * Math.ulp((float) mag));
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 33, 127, 384, 1023, 4097})
    void addIsBitwiseIdentical(int n) {
        float[] x = randoms(n + 2, 1);
        float[] y1 = randoms(n + 1, 1);
        float[] y2 = y1.clone();
        vector.add(y1, 1, x, 2, n);
        scalar.add(y2, 1, x, 2, n);
        assertArrayEquals(y2, y1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 33, 127, 384, 1023, 4097})
    void softmax(int n) {
        float[] a = randoms(n + 4, 3);
        float[] b = a.clone();
        float[] c = a.clone();
        vector.softmax(a, 4, n);
        scalar.softmax(b, 4, n);
        lanes.softmax(c, 4, n);
        assertArrayEquals(c, a, "lane-exact twin, n=" + n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(b[4 + i], a[4 + i], softmaxRel(n) * b[4 + i] + 1e-12, "n=" + n + " i=" + i);
            sum += a[4 + i];
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 33, 127, 384, 1023, 4097})
    void layerNorm(int n) {
        float[] a = randoms(n + 1, 2);
        for (int i = 0; i < a.length; i++) {
            a[i] += 0.5f;
        }
        float[] b = a.clone();
        float[] g = randoms(n, 1);
        float[] beta = randoms(n, 1);
        float[] c = a.clone();
        vector.layerNorm(a, 1, n, g, beta, 1e-12f);
        scalar.layerNorm(b, 1, n, g, beta, 1e-12f);
        lanes.layerNorm(c, 1, n, g, beta, 1e-12f);
        assertArrayEquals(c, a, "lane-exact twin, n=" + n);
        for (int i = 0; i < n; i++) {
            // mean and variance summed in another order: relative error of the normalized value ~ n ulps.
            assertEquals(b[1 + i], a[1 + i], 1e-6 * n * (Math.abs(g[i]) * 4 + 1) + 1e-6, "n=" + n + " i=" + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 33, 127, 384, 1023, 4097})
    void geluIsBitwiseIdentical(int n) {
        // Element-wise kernels run the same IEEE operations lane by lane: no tolerance.
        float[] a = randoms(n, 3);
        a[0] = n > 1 ? -40f : a[0];
        float[] b = a.clone();
        float[] c = a.clone();
        float[] d = a.clone();
        vector.gelu(a, 0, n);
        scalar.gelu(b, 0, n);
        vector.geluTanh(c, 0, n);
        scalar.geluTanh(d, 0, n);
        assertArrayEquals(b, a, "gelu n=" + n);
        assertArrayEquals(d, c, "gelu tanh n=" + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 33, 127, 384, 1023, 4097})
    void gatedLinearUnitsAreBitwiseIdentical(int n) {
        for (TensorOps.Gate act : TensorOps.Gate.values()) {
            // Offsets inside one fused row, as the models call it: gate at 3, up after it, out elsewhere.
            float[] fused = randoms(2 * n + 3, 4);
            fused[3] = n > 1 ? -90f : fused[3];
            float[] a = new float[n + 1];
            float[] b = new float[n + 1];
            vector.glu(act, fused, 3, fused, 3 + n, a, 1, n);
            scalar.glu(act, fused, 3, fused, 3 + n, b, 1, n);
            assertArrayEquals(b, a, act + " n=" + n);
            // In place over the gate, as the separate-matrix units call it.
            float[] g = java.util.Arrays.copyOfRange(fused, 3, 3 + n);
            vector.glu(act, g, 0, fused, 3 + n, g, 0, n);
            assertArrayEquals(java.util.Arrays.copyOfRange(b, 1, n + 1), g, act + " in place n=" + n);
            for (int i = 0; i < n; i++) {
                float x = fused[3 + i];
                double want = switch (act) {
                    case SILU -> x / (1 + Math.exp(-x));
                    case GELU -> Math.abs(x) > 5 ? Math.max(0, x) : x * 0.5 * (1 + erf(x / Math.sqrt(2)));
                    case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
                    case RELU -> Math.max(0, x);
                } * fused[3 + n + i];
                assertEquals(want, b[1 + i], 1e-5 * (Math.abs(want) + 1), act + " of " + x);
            }
        }
    }

    @Test
    void expMatchesMathExpAndItsVectorTwinBitwise() {
        float[] xs = new float[4096];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -90f + 180f * i / xs.length;
        }
        xs[0] = Float.NEGATIVE_INFINITY;
        float[] v = new float[xs.length];
        for (int i = 0; i + VectorOps.L <= xs.length; i += VectorOps.L) {
            VectorOps.exp(jdk.incubator.vector.FloatVector.fromArray(VectorOps.S, xs, i)).intoArray(v, i);
        }
        for (int i = 0; i < xs.length; i++) {
            float s = ScalarOps.exp(xs[i]);
            assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(v[i]), "x=" + xs[i]);
            double ref = Math.exp(xs[i]);
            if (xs[i] < ScalarOps.EXP_MIN) {
                assertEquals(0f, s);
            } else if (xs[i] <= ScalarOps.EXP_MAX) {
                // Degree-7 polynomial plus Horner rounding: within 2 ulps of the correctly rounded value.
                assertEquals(ref, s, 2 * Math.ulp((float) ref), "x=" + xs[i]);
            }
        }
    }

    @Test
    void sumOfLanesIsTheSum() {
        float[] a = new float[VectorOps.L];
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = i + 0.25f;
            ref += a[i];
        }
        assertEquals(ref, VectorOps.sum(jdk.incubator.vector.FloatVector.fromArray(VectorOps.S, a, 0)), 0);
    }

    @Test
    void geluMatchesErfInDoublePrecision() {
        for (double x = -5; x <= 5; x += 1.0 / 128) {
            double ref = 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            float got = ScalarOps.gelu((float) x);
            // Numerical Recipes' erfc has fractional error < 1.2e-7; the rest is float rounding.
            assertEquals(ref, got, 3e-7 * Math.max(1, Math.abs(x)), "x=" + x);
        }
    }

    /** erf by its Taylor series; for |z| <= 3.6 the largest term is ~3e4, so double keeps ~1e-11. */
    static double erf(double z) {
        double sum = 0;
        double term = z;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -z * z / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
