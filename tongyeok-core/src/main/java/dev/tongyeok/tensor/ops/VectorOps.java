package dev.tongyeok.tensor.ops;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels: a vector body and a scalar tail, each the twin of {@link ScalarOps}.
 * The matrix product keeps ScalarOps' summation order exactly (one fused multiply-add per c,
 * lane by lane), so the two agree bitwise; reductions (dot, softmax's sum, LayerNorm's moments)
 * sum lane-wise and differ from the scalar order by rounding only.
 */
public final class VectorOps implements TensorOps {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public void matmul(float[] x, int T, int C, MemorySegment w, int OC, float[] bias, float[] out, int o0, int o1) {
        int o = o0;
        for (; o + 4 * L <= o1; o += 4 * L) {
            int t = 0;
            for (; t + 4 <= T; t += 4) {
                block4x4(x, t, C, w, OC, o, bias, out);
            }
            for (; t < T; t++) {
                block1x4(x, t, C, w, OC, o, bias, out);
            }
        }
        for (; o + L <= o1; o += L) {
            for (int t = 0; t < T; t++) {
                block1x1(x, t, C, w, OC, o, bias, out);
            }
        }
        if (o < o1) {
            ScalarOps.matmulColumns(x, T, C, w, OC, bias, out, o, o1);
        }
    }

    // 4 rows × 4 vectors of columns: 16 accumulators, per c 4 loads of w and 4 broadcasts of x.
    private static void block4x4(float[] x, int t, int C, MemorySegment w, int OC, int o, float[] bias, float[] out) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int x0 = t * C, x1 = x0 + C, x2 = x1 + C, x3 = x2 + C;
        long rowBytes = (long) OC * 4;
        long wp = (long) o * 4;
        for (int c = 0; c < C; c++, wp += rowBytes) {
            FloatVector w0 = FloatVector.fromMemorySegment(S, w, wp, LE);
            FloatVector w1 = FloatVector.fromMemorySegment(S, w, wp + L * 4L, LE);
            FloatVector w2 = FloatVector.fromMemorySegment(S, w, wp + L * 8L, LE);
            FloatVector w3 = FloatVector.fromMemorySegment(S, w, wp + L * 12L, LE);
            FloatVector b = FloatVector.broadcast(S, x[x0 + c]);
            a00 = w0.fma(b, a00);
            a01 = w1.fma(b, a01);
            a02 = w2.fma(b, a02);
            a03 = w3.fma(b, a03);
            b = FloatVector.broadcast(S, x[x1 + c]);
            a10 = w0.fma(b, a10);
            a11 = w1.fma(b, a11);
            a12 = w2.fma(b, a12);
            a13 = w3.fma(b, a13);
            b = FloatVector.broadcast(S, x[x2 + c]);
            a20 = w0.fma(b, a20);
            a21 = w1.fma(b, a21);
            a22 = w2.fma(b, a22);
            a23 = w3.fma(b, a23);
            b = FloatVector.broadcast(S, x[x3 + c]);
            a30 = w0.fma(b, a30);
            a31 = w1.fma(b, a31);
            a32 = w2.fma(b, a32);
            a33 = w3.fma(b, a33);
        }
        store(a00, a01, a02, a03, bias, out, t * OC + o, o);
        store(a10, a11, a12, a13, bias, out, (t + 1) * OC + o, o);
        store(a20, a21, a22, a23, bias, out, (t + 2) * OC + o, o);
        store(a30, a31, a32, a33, bias, out, (t + 3) * OC + o, o);
    }

    private static void block1x4(float[] x, int t, int C, MemorySegment w, int OC, int o, float[] bias, float[] out) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int x0 = t * C;
        long rowBytes = (long) OC * 4;
        long wp = (long) o * 4;
        for (int c = 0; c < C; c++, wp += rowBytes) {
            FloatVector b = FloatVector.broadcast(S, x[x0 + c]);
            a0 = FloatVector.fromMemorySegment(S, w, wp, LE).fma(b, a0);
            a1 = FloatVector.fromMemorySegment(S, w, wp + L * 4L, LE).fma(b, a1);
            a2 = FloatVector.fromMemorySegment(S, w, wp + L * 8L, LE).fma(b, a2);
            a3 = FloatVector.fromMemorySegment(S, w, wp + L * 12L, LE).fma(b, a3);
        }
        store(a0, a1, a2, a3, bias, out, t * OC + o, o);
    }

    private static void block1x1(float[] x, int t, int C, MemorySegment w, int OC, int o, float[] bias, float[] out) {
        FloatVector a = FloatVector.zero(S);
        int x0 = t * C;
        long rowBytes = (long) OC * 4;
        long wp = (long) o * 4;
        for (int c = 0; c < C; c++, wp += rowBytes) {
            a = FloatVector.fromMemorySegment(S, w, wp, LE).fma(FloatVector.broadcast(S, x[x0 + c]), a);
        }
        if (bias != null) {
            a = a.add(FloatVector.fromArray(S, bias, o));
        }
        a.intoArray(out, t * OC + o);
    }

    private static void store(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3, float[] bias,
            float[] out, int at, int o) {
        if (bias != null) {
            a0 = a0.add(FloatVector.fromArray(S, bias, o));
            a1 = a1.add(FloatVector.fromArray(S, bias, o + L));
            a2 = a2.add(FloatVector.fromArray(S, bias, o + 2 * L));
            a3 = a3.add(FloatVector.fromArray(S, bias, o + 3 * L));
        }
        a0.intoArray(out, at);
        a1.intoArray(out, at + L);
        a2.intoArray(out, at + 2 * L);
        a3.intoArray(out, at + 3 * L);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; i + L <= n; i += L) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    @Override
    public void add(float[] dst, int dOff, float[] src, int sOff, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, dst, dOff + i).add(FloatVector.fromArray(S, src, sOff + i)).intoArray(dst, dOff + i);
        }
        for (; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    @Override
    public void softmax(float[] x, int off, int n) {
        int i = 0;
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (; i + L <= n; i += L) {
            vmax = vmax.max(FloatVector.fromArray(S, x, off + i));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        FloatVector vm = FloatVector.broadcast(S, max);
        FloatVector vsum = FloatVector.zero(S);
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, off + i).sub(vm).lanewise(VectorOperators.EXP);
            e.intoArray(x, off + i);
            vsum = vsum.add(e);
        }
        float sum = vsum.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        FloatVector vs = FloatVector.broadcast(S, sum);
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, off + i).div(vs).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] /= sum;
        }
    }

    @Override
    public void layerNorm(float[] x, int off, int n, float[] gamma, float[] beta, float eps) {
        int i = 0;
        FloatVector vs = FloatVector.zero(S);
        for (; i + L <= n; i += L) {
            vs = vs.add(FloatVector.fromArray(S, x, off + i));
        }
        float sum = vs.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += x[off + i];
        }
        float mean = sum / n;
        FloatVector vm = FloatVector.broadcast(S, mean);
        FloatVector vq = FloatVector.zero(S);
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(vm);
            vq = d.fma(d, vq);
        }
        float sq = vq.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float d = x[off + i] - mean;
            sq = Math.fma(d, d, sq);
        }
        float inv = (float) (1 / Math.sqrt(sq / n + eps));
        FloatVector vi = FloatVector.broadcast(S, inv);
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, off + i).sub(vm).mul(vi)
                    .fma(FloatVector.fromArray(S, gamma, i), FloatVector.fromArray(S, beta, i)).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] = Math.fma((x[off + i] - mean) * inv, gamma[i], beta[i]);
        }
    }

    @Override
    public void gelu(float[] x, int off, int n) {
        int i = 0;
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        for (; i + L <= n; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            FloatVector z = v.abs().mul(ScalarOps.SQRT1_2);
            FloatVector t = one.div(half.fma(z, one));
            FloatVector p = FloatVector.broadcast(S, 0.17087277f);
            p = p.fma(t, FloatVector.broadcast(S, -0.82215223f));
            p = p.fma(t, FloatVector.broadcast(S, 1.48851587f));
            p = p.fma(t, FloatVector.broadcast(S, -1.13520398f));
            p = p.fma(t, FloatVector.broadcast(S, 0.27886807f));
            p = p.fma(t, FloatVector.broadcast(S, -0.18628806f));
            p = p.fma(t, FloatVector.broadcast(S, 0.09678418f));
            p = p.fma(t, FloatVector.broadcast(S, 0.37409196f));
            p = p.fma(t, FloatVector.broadcast(S, 1.00002368f));
            p = p.mul(t);
            FloatVector ans = t.mul(z.mul(z).neg().sub(1.26551223f).add(p).lanewise(VectorOperators.EXP));
            FloatVector f = two.sub(ans).blend(ans, v.lt(0f));
            half.mul(v).mul(f).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] = ScalarOps.gelu(x[off + i]);
        }
    }

    @Override
    public void geluTanh(float[] x, int off, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            FloatVector inner = v.mul(v).mul(v).mul(0.044715f).add(v).mul(ScalarOps.SQRT_2_PI);
            v.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f)).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            float v = x[off + i];
            x[off + i] = 0.5f * v * (1 + (float) Math.tanh(ScalarOps.SQRT_2_PI * (v + 0.044715f * v * v * v)));
        }
    }

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + " bit)";
    }
}
