package dev.tongyeok.model.layer;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.Weight;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Tensor;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.PackedMatrix;
import dev.tongyeok.tensor.ops.QuantizedMatrix;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * {@code torch.nn.Linear}: y = x·Wᵀ + b. W is read once from the weight file, whatever its layout
 * (ONNX's (in, out), a checkpoint's (out, in)) and type (F32, F16, BF16, int8, GGML blocks), and
 * packed into column panels off the heap ({@link PackedMatrix}), the layout the matrix kernels
 * stream; GGML Q8_0 and Q4_0 weights stay in their blocks in the mapped file instead
 * ({@link QuantizedMatrix}), decoded row by row as the product needs them.
 *
 * <p>Dynamically quantized weights (onnxruntime's {@code MatMulInteger} after
 * {@code DynamicQuantizeLinear}) are computed the way onnxruntime computes them: the input is
 * quantized to uint8 with one scale per sequence, the integer product accumulates exactly (in
 * F32 while sums stay below 2²⁴), then it is multiplied by input scale × column scale and the bias
 * is added.
 */
public final class Linear {
    private final int in;
    private final int out;
    private final PackedMatrix weight; // (in, out); integers (q − zero point) when quantized; null for blocks
    private final QuantizedMatrix blocks; // (out, in) GGML Q8_0/Q4_0 blocks in the file, or null
    private final float[] bias; // (out) or null
    private final float[] columnScale; // (out) when quantized, else null

    private Linear(int in, int out, PackedMatrix weight, float[] bias, float[] columnScale) {
        this(in, out, weight, null, bias, columnScale);
    }

    private Linear(int in, int out, PackedMatrix weight, QuantizedMatrix blocks, float[] bias, float[] columnScale) {
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.blocks = blocks;
        this.bias = bias;
        this.columnScale = columnScale;
    }

    /**
     * The layer whose tensors are {@code prefix.weight} (checkpoint shape (out, in)) and {@code prefix.bias}.
     *
     * @throws ModelException when a tensor is missing or has another shape, naming the file and tensor
     */
    public static Linear load(WeightSource source, String prefix, int in, int out) {
        return load(source, prefix, in, out, false, null);
    }

    /**
     * As {@link #load(WeightSource, String, int, int)}, for checkpoints that lay the matrix out
     * otherwise: {@code conv1d} when its checkpoint shape is (in, out) (GPT-2's {@code Conv1D});
     * {@code outOrder}, when not null, says which checkpoint output row feeds each output (fused
     * weights whose rows are reordered). Weights of any stored type (F32, F16, BF16, GGML blocks)
     * are converted to F32 once.
     *
     * @throws ModelException when a tensor is missing or has another shape or type, naming the file and tensor
     */
    public static Linear load(WeightSource source, String prefix, int in, int out, boolean conv1d, int[] outOrder) {
        Weight w = source.get(prefix + ".weight", conv1d ? new long[] {in, out} : new long[] {out, in});
        float[] rawBias = source.find(prefix + ".bias").map(b -> vector(source, b, out)).orElse(null);
        float[] bias = rawBias == null || outOrder == null ? rawBias : reorder(rawBias, outOrder);
        Tensor t = w.tensor();
        // Whether the stored matrix is (in, out): ONNX's transposed linear weights, a Conv1D as its checkpoint holds it.
        boolean inOut = w.transposed() != conv1d;
        if (w.quantized()) {
            if (!w.quantizedInput() || conv1d || outOrder != null) {
                throw new ModelException(source.source() + ": tensor " + w.name()
                        + " is quantized without dynamic input quantization (not supported)");
            }
            float[] scale = perColumn(source, w, w.scale(), out, "scale");
            float[] zero = w.zeroPoint() == null ? new float[out] : perColumn(source, w, w.zeroPoint(), out, "zero point");
            PackedMatrix m = PackedMatrix.pack(in, out,
                    (c, o) -> t.getFloat(inOut ? (long) c * out + o : (long) o * in + c) - zero[o]);
            release(t);
            return new Linear(in, out, m, bias, scale);
        }
        DType type = t.type();
        if (type != DType.F32 && type != DType.F16 && type != DType.BF16 && !type.blockQuantized()) {
            throw new ModelException(source.source() + ": tensor " + w.name() + " has type " + type
                    + " (expected F32, F16, BF16 or GGML blocks)");
        }
        if (QuantizedMatrix.supports(type) && !inOut && outOrder == null) {
            // Q8_0 and Q4_0 stay in their blocks: the product decodes them row by row.
            return new Linear(in, out, null, QuantizedMatrix.of(t), bias, null);
        }
        if (type == DType.F32 && inOut && outOrder == null && t.data().byteSize() == (long) in * out * 4) {
            PackedMatrix m = PackedMatrix.packRowMajor(in, out, t.data());
            release(t);
            return new Linear(in, out, m, bias, null);
        }
        // Anything else is converted to F32 whole (GGML blocks decode block by block), then packed.
        float[] all = type == DType.F32 ? null : t.toFloatArray();
        PackedMatrix m = PackedMatrix.pack(in, out, (c, o) -> {
            int r = outOrder == null ? o : outOrder[o];
            long i = inOut ? (long) c * out + r : (long) r * in + c;
            return all != null ? all[(int) i] : t.getFloat(i);
        });
        release(t);
        return new Linear(in, out, m, bias, null);
    }

    // The packed copy is what products read: the mapped file's pages of this tensor are handed back
    // to the system (MADV_DONTNEED), or a process would hold each weight twice in its resident set
    // (MiniLM: 43 MB of a 90 MB file). A read of those bytes later finds them in the file again.
    // Only a hint: a system that refuses it (madvise failing) keeps the pages, and nothing else changes.
    private static void release(Tensor t) {
        if (t.data().isMapped()) {
            try {
                t.data().unload();
            } catch (Exception refused) {
                // the pages stay resident
            }
        }
    }

    /**
     * The layers side by side as one, [y₁ | y₂ | ...] = x·[W₁ | W₂ | ...]ᵀ + [b₁ | b₂ | ...], each output
     * computed exactly as its own layer computes it; or null when they cannot be joined (weights
     * kept in GGML blocks, an output width that is not whole panels but for the last, quantized
     * and plain layers or biased and unbiased ones mixed, different input widths). For Q, K and V:
     * one product instead of three.
     *
     * <pre>x: (T, in) -> y: (T, Σ outᵢ)</pre>
     */
    public static Linear fuse(Linear... parts) {
        boolean quantized = parts[0].columnScale != null;
        boolean biased = parts[0].bias != null;
        int out = 0;
        for (int i = 0; i < parts.length; i++) {
            Linear l = parts[i];
            if (l.weight == null || l.in != parts[0].in || (l.columnScale != null) != quantized
                    || (l.bias != null) != biased || i < parts.length - 1 && l.out % PackedMatrix.PANEL != 0) {
                return null;
            }
            out += l.out;
        }
        PackedMatrix[] weights = new PackedMatrix[parts.length];
        float[] bias = biased ? new float[out] : null;
        float[] scale = quantized ? new float[out] : null;
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            Linear l = parts[i];
            weights[i] = l.weight;
            if (l.bias != null) {
                System.arraycopy(l.bias, 0, bias, at, l.out);
            }
            if (quantized) {
                System.arraycopy(l.columnScale, 0, scale, at, l.out);
            }
            at += l.out;
        }
        return new Linear(parts[0].in, out, PackedMatrix.concat(weights), bias, scale);
    }

    private static float[] reorder(float[] v, int[] order) {
        float[] out = new float[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = v[order[i]];
        }
        return out;
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
        if (blocks != null) {
            Ops.matmulQuantized(ops, x, T, blocks, bias, y);
            return;
        }
        if (columnScale == null) {
            Ops.matmul(ops, x, T, weight, bias, y);
            return;
        }
        float[] q = new float[T * in];
        float[] rowScale = new float[T];
        for (int s = 0; s + 1 < seqStarts.length; s++) {
            quantize(x, seqStarts[s] * in, seqStarts[s + 1] * in, q, rowScale, seqStarts[s], seqStarts[s + 1]);
        }
        Ops.matmul(ops, q, T, weight, null, y);
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
