package dev.tongyeok.model.layer;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.Weight;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Tensor;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code torch.nn.Linear}: y = x·Wᵀ + b. The kernels want W as (in, out) F32: an ONNX export's
 * F32 weight already is, and is used in place from the mapped file; other layouts and types
 * (a checkpoint's (out, in), F16, BF16) are converted once into off-heap memory.
 *
 * <p>Dynamically quantized weights (onnxruntime's {@code MatMulInteger} after
 * {@code DynamicQuantizeLinear}) are computed the way onnxruntime computes them: the input is
 * quantized to uint8 with one scale per sequence, the integer product accumulates exactly (in
 * F32 while sums stay below 2²⁴), then it is multiplied by input scale × column scale and the bias
 * is added.
 */
public final class Linear {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int in;
    private final int out;
    private final MemorySegment weight; // (in, out), F32; integers (q − zero point) when quantized
    private final float[] bias; // (out) or null
    private final float[] columnScale; // (out) when quantized, else null

    private Linear(int in, int out, MemorySegment weight, float[] bias, float[] columnScale) {
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
        this.columnScale = columnScale;
    }

    /**
     * The layer whose tensors are {@code prefix.weight} (checkpoint shape (out, in)) and {@code prefix.bias}.
     *
     * @throws ModelException when a tensor is missing or has another shape, naming the file and tensor
     */
    public static Linear load(WeightSource source, String prefix, int in, int out) {
        Weight w = source.get(prefix + ".weight", out, in);
        float[] bias = source.find(prefix + ".bias").map(b -> vector(source, b, out)).orElse(null);
        if (w.quantized()) {
            if (!w.quantizedInput()) {
                throw new ModelException(source.source() + ": tensor " + w.name()
                        + " is quantized without dynamic input quantization (not supported)");
            }
            float[] scale = perColumn(source, w, w.scale(), out, "scale");
            float[] zero = w.zeroPoint() == null ? new float[out] : perColumn(source, w, w.zeroPoint(), out, "zero point");
            MemorySegment m = Arena.ofAuto().allocate((long) in * out * 4, 64);
            Tensor t = w.tensor();
            for (int c = 0; c < in; c++) {
                for (int o = 0; o < out; o++) {
                    long at = w.transposed() ? (long) c * out + o : (long) o * in + c;
                    m.setAtIndex(F32, (long) c * out + o, t.getFloat(at) - zero[o]);
                }
            }
            return new Linear(in, out, m, bias, scale);
        }
        Tensor t = w.tensor();
        if (t.type() == DType.F32 && w.transposed()) {
            return new Linear(in, out, t.data(), bias, null);
        }
        if (t.type() != DType.F32 && t.type() != DType.F16 && t.type() != DType.BF16) {
            throw new ModelException(source.source() + ": tensor " + w.name() + " has type " + t.type()
                    + " (expected F32, F16 or BF16)");
        }
        MemorySegment m = Arena.ofAuto().allocate((long) in * out * 4, 64);
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                long at = w.transposed() ? (long) c * out + o : (long) o * in + c;
                m.setAtIndex(F32, (long) c * out + o, t.getFloat(at));
            }
        }
        return new Linear(in, out, m, bias, null);
    }

    static float[] vector(WeightSource source, Weight w, int n) {
        if (w.tensor().elementCount() != n || w.tensor().rank() != 1) {
            throw new ModelException(source.source() + ": tensor " + w.name() + " has shape "
                    + java.util.Arrays.toString(w.tensor().shape()) + ", expected [" + n + "]");
        }
        return w.tensor().toFloatArray();
    }

    private static float[] perColumn(WeightSource source, Weight w, Tensor t, int out, String what) {
        float[] v = t.toFloatArray();
        if (v.length == 1) {
            float[] all = new float[out];
            java.util.Arrays.fill(all, v[0]);
            return all;
        }
        if (v.length != out) {
            throw new ModelException(source.source() + ": tensor " + w.name() + ": " + what + " has " + v.length
                    + " values, expected 1 or " + out);
        }
        return v;
    }

    /** Input width. */
    public int in() {
        return in;
    }

    /** Output width. */
    public int out() {
        return out;
    }

    /** Whether the input is quantized to uint8 before the product. */
    public boolean quantized() {
        return columnScale != null;
    }

    /**
     * y = x·Wᵀ + b for every row. {@code seqStarts} delimits the sequences of a packed batch
     * ({@code seqStarts[s]} is the first row of sequence s, the last entry is T): a quantized
     * layer picks one input scale per sequence, so that a text gives the same result alone and in
     * any batch.
     *
     * <pre>x: (T, in) -> y: (T, out)</pre>
     */
    public void forward(TensorOps ops, float[] x, int T, int[] seqStarts, float[] y) {
        if (columnScale == null) {
            Ops.matmul(ops, x, T, in, weight, out, bias, y);
            return;
        }
        float[] q = new float[T * in];
        float[] rowScale = new float[T];
        for (int s = 0; s + 1 < seqStarts.length; s++) {
            quantize(x, seqStarts[s] * in, seqStarts[s + 1] * in, q, rowScale, seqStarts[s], seqStarts[s + 1]);
        }
        Ops.matmul(ops, q, T, in, weight, out, null, y);
        for (int t = 0; t < T; t++) {
            float sa = rowScale[t];
            for (int o = 0; o < out; o++) {
                float v = y[t * out + o] * (sa * columnScale[o]);
                y[t * out + o] = bias == null ? v : bias[o] + v;
            }
        }
    }

    /**
     * onnxruntime's {@code DynamicQuantizeLinear} over x[from, to), written as the integers
     * (q − zero point) it feeds to the product: scale = (max(0, max) − min(0, min)) / 255,
     * zero point = round(−min / scale) clamped to [0, 255], q = clamp(round(x / scale) + zero point),
     * rounding half to even.
     */
    static void quantize(float[] x, int from, int to, float[] q, float[] rowScale, int row0, int row1) {
        float min = 0;
        float max = 0;
        for (int i = from; i < to; i++) {
            min = Math.min(min, x[i]);
            max = Math.max(max, x[i]);
        }
        float scale = (max - min) / 255f;
        float zp = 0;
        if (scale != 0) {
            zp = (float) Math.rint(Math.clamp(-min / scale, 0f, 255f));
        }
        for (int i = from; i < to; i++) {
            float v = scale == 0 ? zp : (float) Math.rint(x[i] / scale) + zp;
            q[i] = Math.clamp(v, 0f, 255f) - zp;
        }
        for (int r = row0; r < row1; r++) {
            rowScale[r] = scale;
        }
    }
}
