package dev.tongyeok.tensor.ops;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels: a vector body and a scalar tail, each the twin of {@link ScalarOps}.
 * The matrix product keeps ScalarOps' summation order exactly (one fused multiply-add per c,
 * lane by lane), so the two agree bitwise, as do the element-wise kernels (GELU, exp); reductions
 * (softmax's sum, LayerNorm's moments) sum lane-wise and differ from the scalar order by
 * rounding only.
 *
 * <p>Every kernel uses only operations with one IEEE result (add, mul, fma, div, sqrt, exact
 * conversions, lane moves): not {@code reduceLanes(ADD)}, whose order the API leaves open, nor
 * the {@code EXP}/{@code TANH} lanewise operators, whose intrinsics and Java fallbacks round
 * differently. So a result does not depend on which JIT tier computed it, and a text gets the same
 * bits alone, in a batch, early or late in a run.
 */
public final class VectorOps implements TensorOps {
    private static final ScalarOps SCALAR = new ScalarOps();
    static final VectorSpecies<Float> S = species(System.getProperty("tongyeok.vectorBits"));
    static final int L = S.length();
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED.withShape(S.vectorShape())
            .check(int.class);
    /** Rotations by L/2, L/4, …, 1 lanes: a fixed summation tree. */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] TREE = new VectorShuffle[Integer.numberOfTrailingZeros(L)];

    static {
        for (int i = 0, step = L / 2; step >= 1; i++, step /= 2) {
            TREE[i] = VectorShuffle.iota(S, step, 1, true);
        }
    }

    /**
     * The platform's preferred float vectors, or narrower ones when {@code bits} (the system
     * property {@code tongyeok.vectorBits}: 128, 256 or 512) asks for them, so that the tests run the
     * code paths of a 128-bit ARM or a 256-bit AVX2 machine here. A width the platform lacks or an
     * unusable value keeps the preferred width, with one line on standard error.
     */
    static VectorSpecies<Float> species(String bits) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (bits == null || bits.isBlank()) {
            return preferred;
        }
        try {
            int n = Integer.parseInt(bits.trim());
            if ((n == 128 || n == 256 || n == 512) && n <= preferred.vectorBitSize()) {
                return VectorSpecies.of(float.class, VectorShape.forBitSize(n));
            }
        } catch (NumberFormatException e) {
            // reported below, as any other unusable value
        }
        System.err.println("tongyeok: ignoring tongyeok.vectorBits=" + bits + " (expected 128, 256 or 512, at most this "
                + "platform's " + preferred.vectorBitSize() + "); using " + preferred.vectorBitSize() + "-bit vectors");
        return preferred;
    }

    /** The sum of the lanes in a fixed pairwise order. */
    static float sum(FloatVector v) {
        for (VectorShuffle<Float> s : TREE) {
            v = v.add(v.rearrange(s));
        }
        return v.lane(0);
    }

    /** {@link ScalarOps#exp} lane by lane, bit for bit. */
    static FloatVector exp(FloatVector x) {
        VectorMask<Float> under = x.lt(ScalarOps.EXP_MIN);
        x = x.min(ScalarOps.EXP_MAX);
        FloatVector round = FloatVector.broadcast(S, ScalarOps.ROUND);
        FloatVector kf = x.fma(FloatVector.broadcast(S, ScalarOps.LOG2E), round).sub(round);
        FloatVector nk = kf.neg();
        FloatVector r = nk.fma(FloatVector.broadcast(S, ScalarOps.LN2_HI), x);
        r = nk.fma(FloatVector.broadcast(S, ScalarOps.LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, ScalarOps.EXP_POLY[0]);
        for (int i = 1; i < ScalarOps.EXP_POLY.length; i++) {
            p = p.fma(r, FloatVector.broadcast(S, ScalarOps.EXP_POLY[i]));
        }
        IntVector k = (IntVector) kf.convertShape(VectorOperators.F2I, SI, 0);
        FloatVector scale = k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale).blend(0f, under);
    }
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Bytes in as many lanes as S has floats: 16 bytes for 512-bit floats, 8 for 256-bit; null otherwise. */
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final VectorSpecies<Byte> SB = L == 16 ? ByteVector.SPECIES_128 : L == 8 ? ByteVector.SPECIES_64 : null;

    @Override
    public void matmulQuantized(float[] x, int T, QuantizedMatrix w, float[] bias, float[] out, int o0, int o1) {
        int C = w.cols();
        int OC = w.rows();
        if (T == 1 && SB != null) {
            matrixVector(x, w, bias, out, o0, o1);
            return;
        }
        // Four output rows at a time: four independent FMA chains share each load of x.
        float[] rows = new float[4 * C];
        for (int o = o0; o < o1; o += 4) {
            int n = Math.min(4, o1 - o);
            for (int k = 0; k < n; k++) {
                decode(w, o + k, rows, k * C);
            }
            for (int t = 0; t < T; t++) {
                int xo = t * C;
                if (n == 4) {
                    FloatVector a0 = FloatVector.zero(S);
                    FloatVector a1 = a0;
                    FloatVector a2 = a0;
                    FloatVector a3 = a0;
                    int c = 0;
                    for (; c + L <= C; c += L) {
                        FloatVector xv = FloatVector.fromArray(S, x, xo + c);
                        a0 = FloatVector.fromArray(S, rows, c).fma(xv, a0);
                        a1 = FloatVector.fromArray(S, rows, C + c).fma(xv, a1);
                        a2 = FloatVector.fromArray(S, rows, 2 * C + c).fma(xv, a2);
                        a3 = FloatVector.fromArray(S, rows, 3 * C + c).fma(xv, a3);
                    }
                    finish(x, xo, rows, c, C, sum(a0), 0, bias, out, t * OC + o, o);
                    finish(x, xo, rows, c, C, sum(a1), 1, bias, out, t * OC + o + 1, o + 1);
                    finish(x, xo, rows, c, C, sum(a2), 2, bias, out, t * OC + o + 2, o + 2);
                    finish(x, xo, rows, c, C, sum(a3), 3, bias, out, t * OC + o + 3, o + 3);
                } else {
                    for (int k = 0; k < n; k++) {
                        FloatVector acc = FloatVector.zero(S);
                        int c = 0;
                        for (; c + L <= C; c += L) {
                            acc = FloatVector.fromArray(S, rows, k * C + c).fma(FloatVector.fromArray(S, x, xo + c), acc);
                        }
                        finish(x, xo, rows, c, C, sum(acc), k, bias, out, t * OC + o + k, o + k);
                    }
                }
            }
        }
    }

    /**
     * One input row: each block is decoded into registers and multiplied into the dot product at
     * once (the same products and sums as decoding the row first), four output rows at a time.
     */
    private static void matrixVector(float[] x, QuantizedMatrix w, float[] bias, float[] out, int o0, int o1) {
        int C = w.cols();
        int blocks = C / 32;
        long rb = w.rowBytes();
        int bb = w.type().blockBytes();
        boolean q8 = w.type() == dev.tongyeok.tensor.DType.Q8_0;
        MemorySegment seg = w.data();
        int o = o0;
        for (; o + 4 <= o1; o += 4) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            long base = o * rb;
            for (int b = 0; b < blocks; b++) {
                long at = base + (long) b * bb;
                if (q8) {
                    a0 = blockQ8(seg, at, x, b * 32, a0);
                    a1 = blockQ8(seg, at + rb, x, b * 32, a1);
                    a2 = blockQ8(seg, at + 2 * rb, x, b * 32, a2);
                    a3 = blockQ8(seg, at + 3 * rb, x, b * 32, a3);
                } else {
                    // Written out, not called: a call per block would not be inlined and would box the vectors.
                    FloatVector d0 = FloatVector.broadcast(S, Float.float16ToFloat(seg.get(I16, at)));
                    FloatVector d1 = FloatVector.broadcast(S, Float.float16ToFloat(seg.get(I16, at + rb)));
                    FloatVector d2 = FloatVector.broadcast(S, Float.float16ToFloat(seg.get(I16, at + 2 * rb)));
                    FloatVector d3 = FloatVector.broadcast(S, Float.float16ToFloat(seg.get(I16, at + 3 * rb)));
                    for (int shift = 0; shift <= 4; shift += 4) {
                        for (int k = 0; k < 16; k += L) {
                            FloatVector xv = FloatVector.fromArray(S, x, b * 32 + shift * 4 + k);
                            long q = at + 2 + k;
                            a0 = nibbles(seg, q, shift, d0).fma(xv, a0);
                            a1 = nibbles(seg, q + rb, shift, d1).fma(xv, a1);
                            a2 = nibbles(seg, q + 2 * rb, shift, d2).fma(xv, a2);
                            a3 = nibbles(seg, q + 3 * rb, shift, d3).fma(xv, a3);
                        }
                    }
                }
            }
            store(sum(a0), bias, out, o);
            store(sum(a1), bias, out, o + 1);
            store(sum(a2), bias, out, o + 2);
            store(sum(a3), bias, out, o + 3);
        }
        for (; o < o1; o++) {
            FloatVector acc = FloatVector.zero(S);
            for (int b = 0; b < blocks; b++) {
                long at = o * rb + (long) b * bb;
                acc = q8 ? blockQ8(seg, at, x, b * 32, acc) : blockQ4(seg, at, x, b * 32, acc);
            }
            store(sum(acc), bias, out, o);
        }
    }

    private static void store(float sum, float[] bias, float[] out, int o) {
        out[o] = bias == null ? sum : sum + bias[o];
    }

    // acc + (decoded Q8_0 block) · x[xo, xo + 32), lane by lane in order of the values.
    private static FloatVector blockQ8(MemorySegment seg, long at, float[] x, int xo, FloatVector acc) {
        FloatVector d = FloatVector.broadcast(S, Float.float16ToFloat(seg.get(I16, at)));
        for (int k = 0; k < 32; k += L) {
            ByteVector q = ByteVector.fromMemorySegment(SB, seg, at + 2 + k, LE);
            FloatVector wv = ((FloatVector) q.convertShape(VectorOperators.B2F, S, 0)).mul(d);
            acc = wv.fma(FloatVector.fromArray(S, x, xo + k), acc);
        }
        return acc;
    }

    // acc + (decoded Q4_0 block) · x[xo, xo + 32): the low nibbles (values 0..15), then the high ones.
    private static FloatVector blockQ4(MemorySegment seg, long at, float[] x, int xo, FloatVector acc) {
        FloatVector d = FloatVector.broadcast(S, Float.float16ToFloat(seg.get(I16, at)));
        for (int k = 0; k < 16; k += L) {
            acc = nibbles(seg, at + 2 + k, 0, d).fma(FloatVector.fromArray(S, x, xo + k), acc);
        }
        for (int k = 0; k < 16; k += L) {
            acc = nibbles(seg, at + 2 + k, 4, d).fma(FloatVector.fromArray(S, x, xo + 16 + k), acc);
        }
        return acc;
    }

    // (nibble − 8) · d for L bytes from at, the nibble at bit shift (0 or 4); in int lanes, as x86 has no byte shift.
    private static FloatVector nibbles(MemorySegment seg, long at, int shift, FloatVector d) {
        IntVector q = (IntVector) ByteVector.fromMemorySegment(SB, seg, at, LE).convertShape(VectorOperators.B2I, SI, 0);
        return ((FloatVector) q.lanewise(VectorOperators.ASHR, shift).and(0x0f).sub(8)
                .convertShape(VectorOperators.I2F, S, 0)).mul(d);
    }

    // The tail of one dot product in order, the bias, the store.
    private static void finish(float[] x, int xo, float[] rows, int c, int C, float sum, int k, float[] bias, float[] out,
            int at, int o) {
        for (; c < C; c++) {
            sum = Math.fma(rows[k * C + c], x[xo + c], sum);
        }
        out[at] = bias == null ? sum : sum + bias[o];
    }

    /** Row r of w in floats into dst[off, off + cols), exactly {@link dev.tongyeok.tensor.Dequantize}'s: q · d per value. */
    static void decode(QuantizedMatrix w, int r, float[] dst, int off) {
        if (SB == null) {
            dev.tongyeok.tensor.Dequantize.row(w.type(), w.data(), r * w.rowBytes(), dst, off, w.cols());
            return;
        }
        MemorySegment seg = w.data();
        long at = r * w.rowBytes();
        int blocks = w.cols() / 32;
        boolean q8 = w.type() == dev.tongyeok.tensor.DType.Q8_0;
        int bb = w.type().blockBytes();
        for (int b = 0; b < blocks; b++, at += bb) {
            FloatVector d = FloatVector.broadcast(S, Float.float16ToFloat(seg.get(I16, at)));
            int o = off + b * 32;
            if (q8) {
                // 32 signed bytes: q · d.
                for (int k = 0; k < 32; k += L) {
                    ByteVector q = ByteVector.fromMemorySegment(SB, seg, at + 2 + k, LE);
                    ((FloatVector) q.convertShape(VectorOperators.B2F, S, 0)).mul(d).intoArray(dst, o + k);
                }
            } else {
                // 16 bytes: value j in the low nibble of byte j, value j + 16 in its high nibble; (q − 8) · d.
                for (int k = 0; k < 16; k += L) {
                    nibbles(seg, at + 2 + k, 0, d).intoArray(dst, o + k);
                    nibbles(seg, at + 2 + k, 4, d).intoArray(dst, o + 16 + k);
                }
            }
        }
    }

    /** Rows per tile: a tile of x (at most 128 × C floats) stays in L2 while every panel streams past it. */
    static final int TILE_ROWS = 128;

    @Override
    public void matmul(float[] x, int T, PackedMatrix w, float[] bias, float[] out, int p0, int p1) {
        int C = w.rows();
        int OC = w.cols();
        MemorySegment seg = w.data();
        for (int t0 = 0; t0 < T; t0 += TILE_ROWS) {
            int t1 = Math.min(T, t0 + TILE_ROWS);
            for (int p = p0; p < p1; p++) {
                int o0 = p * PackedMatrix.PANEL;
                int width = Math.min(PackedMatrix.PANEL, OC - o0);
                long base = (long) o0 * C * 4;
                long stride = (long) width * 4;
                int j = 0;
                for (; j + 4 * L <= width; j += 4 * L) {
                    // The last block of rows may be short: it repeats its last row and stores only the real
                    // ones, so every row goes through the same kernel (one compiled loop, the same bits).
                    if (L == 16) {
                        for (int t = t0; t < t1; t += 6) {
                            block6x4(x, t, Math.min(6, t1 - t), C, seg, base + j * 4L, stride, OC, o0 + j, bias, out);
                        }
                    } else {
                        for (int t = t0; t < t1; t += 4) {
                            block4x4(x, t, Math.min(4, t1 - t), C, seg, base + j * 4L, stride, OC, o0 + j, bias, out);
                        }
                    }
                }
                for (; j + L <= width; j += L) {
                    for (int t = t0; t < t1; t++) {
                        block1x1(x, t, C, seg, base + j * 4L, stride, OC, o0 + j, bias, out);
                    }
                }
                if (j < width) {
                    ScalarOps.columns(x, t0, t1, C, seg, base / 4, width, OC, o0, j, width, bias, out);
                }
            }
        }
    }

    // 4 rows × 4 vectors of columns: 16 accumulators; per c, 4 loads of one contiguous panel row and 4 broadcasts.
    // rows < 4 repeats row t + rows − 1 and stores only the first rows.
    private static void block4x4(float[] x, int t, int rows, int C, MemorySegment w, long wp, long stride, int OC,
            int o, float[] bias, float[] out) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int x0 = t * C;
        int x1 = rows > 1 ? x0 + C : x0;
        int x2 = rows > 2 ? x1 + C : x1;
        int x3 = rows > 3 ? x2 + C : x2;
        for (int c = 0; c < C; c++, wp += stride) {
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
        // Stores written out here: handing vectors to a helper that the JIT declines to inline boxes
        // them on the heap and costs 20×.
        FloatVector b0 = FloatVector.zero(S), b1 = b0, b2 = b0, b3 = b0;
        if (bias != null) {
            b0 = FloatVector.fromArray(S, bias, o);
            b1 = FloatVector.fromArray(S, bias, o + L);
            b2 = FloatVector.fromArray(S, bias, o + 2 * L);
            b3 = FloatVector.fromArray(S, bias, o + 3 * L);
        }
        int r = t * OC + o;
        a00.add(b0).intoArray(out, r);
        a01.add(b1).intoArray(out, r + L);
        a02.add(b2).intoArray(out, r + 2 * L);
        a03.add(b3).intoArray(out, r + 3 * L);
        if (rows > 1) {
            r += OC;
            a10.add(b0).intoArray(out, r);
            a11.add(b1).intoArray(out, r + L);
            a12.add(b2).intoArray(out, r + 2 * L);
            a13.add(b3).intoArray(out, r + 3 * L);
        }
        if (rows > 2) {
            r += OC;
            a20.add(b0).intoArray(out, r);
            a21.add(b1).intoArray(out, r + L);
            a22.add(b2).intoArray(out, r + 2 * L);
            a23.add(b3).intoArray(out, r + 3 * L);
        }
        if (rows > 3) {
            r += OC;
            a30.add(b0).intoArray(out, r);
            a31.add(b1).intoArray(out, r + L);
            a32.add(b2).intoArray(out, r + 2 * L);
            a33.add(b3).intoArray(out, r + 3 * L);
        }
    }

    // 6 rows × 4 vectors of columns: 24 accumulators (AVX-512 has 32 registers); per c, 4 loads of one contiguous
    // panel row and 6 broadcasts. rows < 6 repeats row t + rows − 1 and stores only the first rows.
    private static void block6x4(float[] x, int t, int rows, int C, MemorySegment w, long wp, long stride, int OC,
            int o, float[] bias, float[] out) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        FloatVector a40 = a00, a41 = a00, a42 = a00, a43 = a00;
        FloatVector a50 = a00, a51 = a00, a52 = a00, a53 = a00;
        int x0 = t * C;
        int x1 = rows > 1 ? x0 + C : x0;
        int x2 = rows > 2 ? x1 + C : x1;
        int x3 = rows > 3 ? x2 + C : x2;
        int x4 = rows > 4 ? x3 + C : x3;
        int x5 = rows > 5 ? x4 + C : x4;
        for (int c = 0; c < C; c++, wp += stride) {
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
            b = FloatVector.broadcast(S, x[x4 + c]);
            a40 = w0.fma(b, a40);
            a41 = w1.fma(b, a41);
            a42 = w2.fma(b, a42);
            a43 = w3.fma(b, a43);
            b = FloatVector.broadcast(S, x[x5 + c]);
            a50 = w0.fma(b, a50);
            a51 = w1.fma(b, a51);
            a52 = w2.fma(b, a52);
            a53 = w3.fma(b, a53);
        }
        FloatVector b0 = FloatVector.zero(S), b1 = b0, b2 = b0, b3 = b0;
        if (bias != null) {
            b0 = FloatVector.fromArray(S, bias, o);
            b1 = FloatVector.fromArray(S, bias, o + L);
            b2 = FloatVector.fromArray(S, bias, o + 2 * L);
            b3 = FloatVector.fromArray(S, bias, o + 3 * L);
        }
        int r = t * OC + o;
        a00.add(b0).intoArray(out, r);
        a01.add(b1).intoArray(out, r + L);
        a02.add(b2).intoArray(out, r + 2 * L);
        a03.add(b3).intoArray(out, r + 3 * L);
        if (rows > 1) {
            r += OC;
            a10.add(b0).intoArray(out, r);
            a11.add(b1).intoArray(out, r + L);
            a12.add(b2).intoArray(out, r + 2 * L);
            a13.add(b3).intoArray(out, r + 3 * L);
        }
        if (rows > 2) {
            r += OC;
            a20.add(b0).intoArray(out, r);
            a21.add(b1).intoArray(out, r + L);
            a22.add(b2).intoArray(out, r + 2 * L);
            a23.add(b3).intoArray(out, r + 3 * L);
        }
        if (rows > 3) {
            r += OC;
            a30.add(b0).intoArray(out, r);
            a31.add(b1).intoArray(out, r + L);
            a32.add(b2).intoArray(out, r + 2 * L);
            a33.add(b3).intoArray(out, r + 3 * L);
        }
        if (rows > 4) {
            r += OC;
            a40.add(b0).intoArray(out, r);
            a41.add(b1).intoArray(out, r + L);
            a42.add(b2).intoArray(out, r + 2 * L);
            a43.add(b3).intoArray(out, r + 3 * L);
        }
        if (rows > 5) {
            r += OC;
            a50.add(b0).intoArray(out, r);
            a51.add(b1).intoArray(out, r + L);
            a52.add(b2).intoArray(out, r + 2 * L);
            a53.add(b3).intoArray(out, r + 3 * L);
        }
    }

    private static void block1x1(float[] x, int t, int C, MemorySegment w, long wp, long stride, int OC, int o,
            float[] bias, float[] out) {
        FloatVector a = FloatVector.zero(S);
        int x0 = t * C;
        for (int c = 0; c < C; c++, wp += stride) {
            a = FloatVector.fromMemorySegment(S, w, wp, LE).fma(FloatVector.broadcast(S, x[x0 + c]), a);
        }
        a.add(bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, o)).intoArray(out, t * OC + o);
    }

    @Override
    public void gemm(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, int M,
            int K, int N) {
        for (int m = 0; m < M; m += 4) {
            gemm4(a, aOff + m * lda, lda, Math.min(4, M - m), b, bOff, ldb, c, cOff + m * ldc, ldc, K, N);
        }
    }

    // Four rows of a at a time: 4 × 2 accumulators (eight independent FMA chains, enough to keep both
    // FMA ports busy through their latency) share each load of b. Each output is still its own chain
    // over k in increasing order, so the bits are those of one row at a time. rows < 4 (the last
    // block) repeats row rows − 1 and stores only the first rows, as the matrix kernel's blocks do.
    private static void gemm4(float[] a, int ar, int lda, int rows, float[] b, int bOff, int ldb, float[] c, int cr,
            int ldc, int K, int N) {
        int a1 = rows > 1 ? ar + lda : ar;
        int a2 = rows > 2 ? a1 + lda : a1;
        int a3 = rows > 3 ? a2 + lda : a2;
        int n = 0;
        for (; n + 2 * L <= N; n += 2 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
            FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            for (int k = 0, br = bOff + n; k < K; k++, br += ldb) {
                FloatVector b0 = FloatVector.fromArray(S, b, br);
                FloatVector b1 = FloatVector.fromArray(S, b, br + L);
                FloatVector av = FloatVector.broadcast(S, a[ar + k]);
                c00 = b0.fma(av, c00);
                c01 = b1.fma(av, c01);
                av = FloatVector.broadcast(S, a[a1 + k]);
                c10 = b0.fma(av, c10);
                c11 = b1.fma(av, c11);
                av = FloatVector.broadcast(S, a[a2 + k]);
                c20 = b0.fma(av, c20);
                c21 = b1.fma(av, c21);
                av = FloatVector.broadcast(S, a[a3 + k]);
                c30 = b0.fma(av, c30);
                c31 = b1.fma(av, c31);
            }
            int r = cr + n;
            c00.intoArray(c, r);
            c01.intoArray(c, r + L);
            if (rows > 1) {
                r += ldc;
                c10.intoArray(c, r);
                c11.intoArray(c, r + L);
            }
            if (rows > 2) {
                r += ldc;
                c20.intoArray(c, r);
                c21.intoArray(c, r + L);
            }
            if (rows > 3) {
                r += ldc;
                c30.intoArray(c, r);
                c31.intoArray(c, r + L);
            }
        }
        for (; n < N; n += L) {
            VectorMask<Float> in = S.indexInRange(n, N);
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
            for (int k = 0, br = bOff + n; k < K; k++, br += ldb) {
                FloatVector bv = FloatVector.fromArray(S, b, br, in);
                c0 = bv.fma(FloatVector.broadcast(S, a[ar + k]), c0);
                c1 = bv.fma(FloatVector.broadcast(S, a[a1 + k]), c1);
                c2 = bv.fma(FloatVector.broadcast(S, a[a2 + k]), c2);
                c3 = bv.fma(FloatVector.broadcast(S, a[a3 + k]), c3);
            }
            c0.intoArray(c, cr + n, in);
            if (rows > 1) {
                c1.intoArray(c, cr + ldc + n, in);
            }
            if (rows > 2) {
                c2.intoArray(c, cr + 2 * ldc + n, in);
            }
            if (rows > 3) {
                c3.intoArray(c, cr + 3 * ldc + n, in);
            }
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
        // The tail (rows of attention scores are short: 27 tokens leave 11) goes through masked
        // vectors where the result does not depend on the order: the maximum, each exponential
        // (lane-exact with the scalar one) and each division. Only its sum stays in order.
        int tail = i;
        VectorMask<Float> rest = S.indexInRange(tail, n);
        if (tail < n) {
            vmax = vmax.max(FloatVector.broadcast(S, Float.NEGATIVE_INFINITY).blend(FloatVector.fromArray(S, x, off + tail, rest), rest));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        FloatVector vm = FloatVector.broadcast(S, max);
        FloatVector vsum = FloatVector.zero(S);
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector e = exp(FloatVector.fromArray(S, x, off + i).sub(vm));
            e.intoArray(x, off + i);
            vsum = vsum.add(e);
        }
        float sum = sum(vsum);
        if (tail < n) {
            exp(FloatVector.fromArray(S, x, off + tail, rest).sub(vm)).intoArray(x, off + tail, rest);
            for (i = tail; i < n; i++) {
                sum += x[off + i];
            }
        }
        FloatVector vs = FloatVector.broadcast(S, sum);
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, off + i).div(vs).intoArray(x, off + i);
        }
        if (tail < n) {
            FloatVector.fromArray(S, x, off + tail, rest).div(vs).intoArray(x, off + tail, rest);
        }
    }

    @Override
    public void layerNorm(float[] x, int off, int n, float[] gamma, float[] beta, float eps) {
        int i = 0;
        FloatVector vs = FloatVector.zero(S);
        for (; i + L <= n; i += L) {
            vs = vs.add(FloatVector.fromArray(S, x, off + i));
        }
        float sum = sum(vs);
        for (; i < n; i++) {
            sum += x[off + i];
        }
        float mean = sum / n;
        FloatVector vm = FloatVector.broadcast(S, mean);
        FloatVector vq = FloatVector.zero(S);
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(vm);
            vq = vq.add(d.mul(d));
        }
        float sq = sum(vq);
        for (; i < n; i++) {
            float d = x[off + i] - mean;
            sq += d * d;
        }
        float std = (float) Math.sqrt(sq / n + eps);
        FloatVector vstd = FloatVector.broadcast(S, std);
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, off + i).sub(vm).div(vstd).mul(FloatVector.fromArray(S, gamma, i))
                    .add(FloatVector.fromArray(S, beta, i)).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] = (x[off + i] - mean) / std * gamma[i] + beta[i];
        }
    }

    @Override
    public void gelu(float[] x, int off, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            gelu(FloatVector.fromArray(S, x, off + i)).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] = ScalarOps.gelu(x[off + i]);
        }
    }

    // Exact GELU lane by lane, in ScalarOps.gelu's order of operations.
    private static FloatVector gelu(FloatVector v) {
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector z = v.div(ScalarOps.SQRT2);
        FloatVector az = z.abs();
        FloatVector t = one.div(half.fma(az, one));
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
        FloatVector ans = t.mul(exp(az.mul(az).neg().sub(1.26551223f).add(p)));
        FloatVector erf = one.sub(ans).blend(ans.sub(one), z.lt(0f));
        return v.mul(erf.add(one)).mul(half);
    }

    @Override
    public void geluTanh(float[] x, int off, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            geluTanh(FloatVector.fromArray(S, x, off + i)).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] = ScalarOps.geluTanh(x[off + i]);
        }
    }

    // GELU's tanh form lane by lane, in ScalarOps.geluTanh's order of operations.
    private static FloatVector geluTanh(FloatVector v) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector inner = v.mul(v).mul(v).mul(0.044715f).add(v).mul(ScalarOps.SQRT_2_PI);
        FloatVector t = exp(inner.abs().mul(-2f));
        FloatVector th = one.sub(t).div(one.add(t));
        th = th.blend(th.neg(), inner.lt(0f));
        return v.mul(0.5f).mul(th.add(one));
    }

    @Override
    public void glu(Gate act, float[] gate, int gOff, float[] up, int uOff, float[] out, int oOff, int n) {
        int i = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (; i + L <= n; i += L) {
            FloatVector x = FloatVector.fromArray(S, gate, gOff + i);
            FloatVector a = switch (act) {
                case SILU -> x.div(one.add(exp(x.neg())));
                case GELU -> gelu(x);
                case GELU_TANH -> geluTanh(x);
                case RELU -> x.max(0f);
            };
            a.mul(FloatVector.fromArray(S, up, uOff + i)).intoArray(out, oOff + i);
        }
        if (i < n) {
            SCALAR.glu(act, gate, gOff + i, up, uOff + i, out, oOff + i, n - i);
        }
    }

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + " bit)";
    }
}
