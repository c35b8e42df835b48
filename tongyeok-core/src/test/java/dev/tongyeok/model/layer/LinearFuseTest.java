package dev.tongyeok.model.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tongyeok.load.Weight;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Tensor;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.PackedMatrix;
import dev.tongyeok.tensor.ops.ScalarOps;
import dev.tongyeok.tensor.ops.TensorOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Layers joined side by side ({@link Linear#fuse}, as Q, K and V are) give each output exactly
 * the bits of its own layer, in F32 and with dynamically quantized int8 weights, on the vector
 * kernels and on the scalar ones; layers that cannot be joined are refused.
 */
class LinearFuseTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int IN = 96;

    private final Random random = new Random(7);
    private final Map<String, Weight> weights = new HashMap<>();
    private final WeightSource source = new WeightSource() {
        @Override
        public String source() {
            return "test";
        }

        @Override
        public Set<String> names() {
            return weights.keySet();
        }

        @Override
        public Optional<Weight> find(String name) {
            return Optional.ofNullable(weights.get(name));
        }
    };

    @Test
    void fusedF32EqualsEachLayerBitForBit() {
        Linear[] parts = {f32("q", 128, true), f32("k", 128, true), f32("v", 100, true)};
        Linear fused = Linear.fuse(parts);
        assertNotNull(fused);
        assertEquals(356, fused.out());
        assertSame(parts, fused);
    }

    @Test
    void fusedWithoutBiasesEqualsEachLayer() {
        Linear[] parts = {f32("a", 64, false), f32("b", 192, false)};
        assertSame(parts, Linear.fuse(parts));
    }

    @Test
    void fusedQuantizedEqualsEachLayerBitForBit() {
        Linear[] parts = {int8("q", 64), int8("k", 64), int8("v", 64)};
        Linear fused = Linear.fuse(parts);
        assertNotNull(fused);
        assertSame(parts, fused);
    }

    @Test
    void refusesWhatCannotBeJoined() {
        assertNull(Linear.fuse(f32("a", 100, true), f32("b", 64, true)), "a partial panel before the last part");
        assertNull(Linear.fuse(f32("c", 64, true), f32("d", 64, false)), "bias and no bias");
        assertNull(Linear.fuse(f32("e", 64, true), int8("f", 64)), "F32 and quantized");
    }

    @Test
    void concatenatedPanelsKeepEveryValue() {
        PackedMatrix a = PackedMatrix.pack(IN, 128, (c, o) -> c * 1000 + o);
        PackedMatrix b = PackedMatrix.pack(IN, 70, (c, o) -> -(c * 1000 + o));
        PackedMatrix ab = PackedMatrix.concat(a, b);
        assertEquals(198, ab.cols());
        for (int c = 0; c < IN; c++) {
            for (int o = 0; o < 198; o++) {
                assertEquals(o < 128 ? a.get(c, o) : b.get(c, o - 128), ab.get(c, o), "c " + c + ", o " + o);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PackedMatrix.concat(b, a));
        assertThrows(IllegalArgumentException.class, () -> PackedMatrix.concat(a, PackedMatrix.pack(IN + 1, 64, (c, o) -> 0)));
    }

    // Each output of the fused layer against its own layer, for every row count up to 13 and two sequences.
    private void assertSame(Linear[] parts, Linear fused) {
        for (TensorOps ops : new TensorOps[] {Ops.get(), new ScalarOps()}) {
            for (int T = 1; T <= 13; T++) {
                float[] x = new float[T * IN];
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextFloat() * 4 - 2;
                }
                int[] starts = {0, T / 2, T};
                float[] all = new float[T * fused.out()];
                fused.forward(ops, x, T, starts, all);
                int at = 0;
                for (Linear part : parts) {
                    float[] y = new float[T * part.out()];
                    part.forward(ops, x, T, starts, y);
                    for (int t = 0; t < T; t++) {
                        float[] expected = java.util.Arrays.copyOfRange(y, t * part.out(), (t + 1) * part.out());
                        float[] actual = java.util.Arrays.copyOfRange(all, t * fused.out() + at, t * fused.out() + at + part.out());
                        assertArrayEquals(expected, actual, ops.name() + ", T " + T + ", row " + t + ", columns from " + at);
                    }
                    at += part.out();
                }
            }
        }
    }

    // An F32 layer in checkpoint layout (out, in), with or without bias.
    private Linear f32(String name, int out, boolean bias) {
        weights.put(name + ".weight", Weight.of(name + ".weight", floats(name + ".weight", new long[] {out, IN})));
        if (bias) {
            weights.put(name + ".bias", Weight.of(name + ".bias", floats(name + ".bias", new long[] {out})));
        }
        return Linear.load(source, name, IN, out);
    }

    // An int8 layer as ONNX Runtime's dynamic quantization stores it: (in, out) uint8, a scale and zero point per column.
    private Linear int8(String name, int out) {
        MemorySegment q = Arena.ofAuto().allocate((long) IN * out);
        for (long i = 0; i < q.byteSize(); i++) {
            q.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256));
        }
        MemorySegment zero = Arena.ofAuto().allocate(out);
        for (int o = 0; o < out; o++) {
            zero.set(ValueLayout.JAVA_BYTE, o, (byte) (100 + random.nextInt(56)));
        }
        Tensor scale = floats(name + ".scale", new long[] {out});
        Tensor w = new Tensor(name + ".weight", DType.U8, new long[] {IN, out}, q);
        weights.put(name + ".weight", new Weight(name + ".weight", w, true, scale,
                new Tensor(name + ".zero", DType.U8, new long[] {out}, zero), true));
        weights.put(name + ".bias", Weight.of(name + ".bias", floats(name + ".bias", new long[] {out})));
        return Linear.load(source, name, IN, out);
    }

    private Tensor floats(String name, long[] shape) {
        long n = Tensor.elementCount(shape);
        MemorySegment m = Arena.ofAuto().allocate(n * 4);
        for (long i = 0; i < n; i++) {
            m.setAtIndex(F32, i, (random.nextFloat() - 0.5f) / 8);
        }
        return new Tensor(name, DType.F32, shape, m);
    }
}
