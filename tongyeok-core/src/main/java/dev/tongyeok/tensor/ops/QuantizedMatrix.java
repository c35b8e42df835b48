package dev.tongyeok.tensor.ops;

import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * A weight matrix kept in its GGML blocks (Q8_0 or Q4_0) in the mapped file, (out, in) row by
 * row: the product decodes one output row at a time and takes its dot product with every input
 * row, so the weights cost their file size in memory, not four bytes a value.
 *
 * @param type Q8_0 or Q4_0
 * @param rows the outputs, OC
 * @param cols the inputs, C: a whole number of blocks
 * @param data {@code rows} rows of {@code cols / 32} blocks
 */
public record QuantizedMatrix(DType type, int rows, int cols, MemorySegment data) {
    /**
     * @throws IllegalArgumentException for another type, or sizes that do not match the data
     */
    public QuantizedMatrix {
        if (!supports(type)) {
            throw new IllegalArgumentException(type + " matrices are decoded to F32 instead (Q8_0 and Q4_0 are kept)");
        }
        if (cols % type.blockSize() != 0 || data.byteSize() != (long) rows * type.byteSize(cols)) {
            throw new IllegalArgumentException(rows + " × " + cols + " of " + type + " needs "
                    + (long) rows * type.byteSize(cols) + " bytes, found " + data.byteSize());
        }
    }

    /** Whether products run on {@code type}'s blocks directly. */
    public static boolean supports(DType type) {
        return type == DType.Q8_0 || type == DType.Q4_0;
    }

    /** A (out, in) tensor of Q8_0 or Q4_0 blocks, as its file holds it. */
    public static QuantizedMatrix of(Tensor t) {
        return new QuantizedMatrix(t.type(), (int) t.dim(0), (int) t.dim(1), t.data());
    }

    /** The bytes of one row. */
    public long rowBytes() {
        return type.byteSize(cols);
    }
}
