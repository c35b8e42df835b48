package dev.tongyeok.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named, typed, shaped view over memory (usually a memory-mapped weight file). Row-major,
 * little-endian, no copy: reading an element reads the file.
 *
 * @param name the tensor's name in its file
 * @param type how elements are stored
 * @param shape dimensions, outermost first
 * @param data exactly {@code type.byteSize(elementCount())} bytes; for a block-quantized type the
 *     innermost dimension is a whole number of blocks
 */
public record Tensor(String name, DType type, long[] shape, MemorySegment data) {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * @throws IllegalArgumentException when {@code data} does not hold exactly the elements the shape asks for
     */
    public Tensor {
        shape = shape.clone();
        if (type.blockQuantized() && (shape.length == 0 || shape[shape.length - 1] % type.blockSize() != 0)) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " of " + type
                    + " has rows that are not whole blocks of " + type.blockSize());
        }
        long need = type.byteSize(elementCount(shape));
        if (data.byteSize() != need) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " of "
                    + type + " needs " + need + " bytes, found " + data.byteSize());
        }
    }

    /**
     * The product of {@code shape}.
     *
     * @throws ArithmeticException when the count exceeds a long
     */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d); // a crafted shape must not wrap around to a small size
        }
        return n;
    }

    /** The number of elements. */
    public long elementCount() {
        return elementCount(shape);
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Dimension {@code i}. */
    public long dim(int i) {
        return shape[i];
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The element at flat index {@code i}, converted to float (integers as their value). */
    public float getFloat(long i) {
        return switch (type) {
            case F32 -> data.getAtIndex(F32, i);
            case F16 -> Float.float16ToFloat(data.getAtIndex(I16, i));
            case BF16 -> Float.intBitsToFloat((data.getAtIndex(I16, i) & 0xffff) << 16);
            case I8 -> data.get(ValueLayout.JAVA_BYTE, i);
            case U8 -> data.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            case I16 -> data.getAtIndex(I16, i);
            case I32 -> data.getAtIndex(I32, i);
            case I64 -> data.getAtIndex(I64, i);
            case F64 -> (float) data.getAtIndex(F64, i);
            default -> {
                // One value of a block: decode its block.
                int bs = type.blockSize();
                float[] block = new float[bs];
                Dequantize.row(type, data, i / bs * type.blockBytes(), block, 0, bs);
                yield block[(int) (i % bs)];
            }
        };
    }

    /** The element at flat index {@code i} as a long; only for integer types. */
    public long getLong(long i) {
        return switch (type) {
            case I8 -> data.get(ValueLayout.JAVA_BYTE, i);
            case U8 -> data.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            case I16 -> data.getAtIndex(I16, i);
            case I32 -> data.getAtIndex(I32, i);
            case I64 -> data.getAtIndex(I64, i);
            default -> throw new IllegalStateException("tensor " + name + " holds " + type + ", not integers");
        };
    }

    /**
     * Row {@code r} of a matrix (the innermost dimension's values at outer index r), converted to F32
     * into {@code dst[off, off + width)}: one bulk copy for F32, block by block for quantized types.
     */
    public void row(long r, float[] dst, int off) {
        int width = (int) shape[shape.length - 1];
        if (type == DType.F32) {
            MemorySegment.copy(data, F32, r * width * 4, dst, off, width);
        } else if (type.blockQuantized()) {
            Dequantize.row(type, data, type.byteSize(r * width), dst, off, width);
        } else {
            long base = r * width;
            for (int i = 0; i < width; i++) {
                dst[off + i] = getFloat(base + i);
            }
        }
    }

    /** All elements converted to F32, in a new heap array (for small tensors: biases, norms, scales). */
    public float[] toFloatArray() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor " + name + " has " + n + " elements, too many for one array");
        }
        float[] out = new float[(int) n];
        if (type == DType.F32) {
            MemorySegment.copy(data, F32, 0, out, 0, out.length);
        } else if (type.blockQuantized()) {
            Dequantize.row(type, data, 0, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = getFloat(i);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.name.equals(name) && t.type == type && Arrays.equals(t.shape, shape)
                && t.data.equals(data);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
