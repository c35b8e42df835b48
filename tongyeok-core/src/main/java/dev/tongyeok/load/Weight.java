package dev.tongyeok.load;

import dev.tongyeok.tensor.Tensor;

/**
 * One checkpoint tensor as a weight file stores it.
 *
 * @param name the checkpoint name ({@code encoder.layer.0.attention.self.query.weight})
 * @param tensor the stored data
 * @param transposed true when a matrix is stored as the transpose of its checkpoint layout: a linear
 *     layer's weight as (in, out), as ONNX {@code MatMul} consumes it, rather than the checkpoint's
 *     (out, in); GPT-2's {@code Conv1D} weights as (out, in), as GGUF holds them, rather than (in, out)
 * @param scale for quantized weights: a scalar or one scale per output column, else null
 * @param zeroPoint for quantized weights: the matching zero point(s), else null
 * @param quantizedInput true when the file quantizes this layer's input on the fly (ONNX
 *     {@code DynamicQuantizeLinear}: uint8, one scale per tensor) before an integer matmul
 */
public record Weight(String name, Tensor tensor, boolean transposed, Tensor scale, Tensor zeroPoint,
        boolean quantizedInput) {

    /** A plain tensor in checkpoint layout. */
    public static Weight of(String name, Tensor tensor) {
        return new Weight(name, tensor, false, null, null, false);
    }

    /** Whether the stored values are integers to be dequantized with {@link #scale()} and {@link #zeroPoint()}. */
    public boolean quantized() {
        return scale != null;
    }

    /** The weight's dimensions in checkpoint layout: (out, in) for a linear layer, (in, out) for a Conv1D. */
    public long[] checkpointShape() {
        long[] s = tensor.shape();
        if (transposed && s.length == 2) {
            return new long[] {s[1], s[0]};
        }
        return s;
    }
}
