package dev.tongyeok.tensor;

/**
 * The element types weights are stored in; compute is always F32.
 *
 * <p>Besides plain numbers, the block-quantized types of llama.cpp's GGML (as GGUF files hold
 * them): a row is cut into blocks of {@link #blockSize()} values, each stored in
 * {@link #blockBytes()} bytes with its own scale (and minimum); {@link Dequantize} turns them back
 * into floats. A quantized row's length must be a multiple of the block size.
 */
public enum DType {
    /** IEEE 754 binary32. */
    F32(1, 4),
    /** IEEE 754 binary16. */
    F16(1, 2),
    /** bfloat16: the upper half of a binary32. */
    BF16(1, 2),
    /** Signed 8-bit integer (quantized weights). */
    I8(1, 1),
    /** Unsigned 8-bit integer (quantized weights and zero points). */
    U8(1, 1),
    /** Signed 16-bit integer. */
    I16(1, 2),
    /** Signed 32-bit integer. */
    I32(1, 4),
    /** Signed 64-bit integer. */
    I64(1, 8),
    /** IEEE 754 binary64. */
    F64(1, 8),
    /** 32 values: an F16 scale d and 16 bytes of 4-bit q; x = (q − 8)·d. */
    Q4_0(32, 18),
    /** 32 values: F16 d and m, 16 bytes of 4-bit q; x = q·d + m. */
    Q4_1(32, 20),
    /** 32 values: F16 d, 4 bytes of fifth bits, 16 bytes of low nibbles; x = (q − 16)·d. */
    Q5_0(32, 22),
    /** 32 values: F16 d and m, 4 bytes of fifth bits, 16 bytes of low nibbles; x = q·d + m. */
    Q5_1(32, 24),
    /** 32 values: an F16 scale d and 32 signed bytes q; x = q·d. */
    Q8_0(32, 34),
    /** 256 values in 16 groups: 4-bit scales and mins, 2-bit q, F16 d and dmin. */
    Q2_K(256, 84),
    /** 256 values in 16 groups: high-bit mask, 2-bit low q, 6-bit scales, F16 d. */
    Q3_K(256, 110),
    /** 256 values in 8 groups: F16 d and dmin, 6-bit scales and mins, 4-bit q. */
    Q4_K(256, 144),
    /** 256 values in 8 groups: F16 d and dmin, 6-bit scales and mins, fifth bits, 4-bit q. */
    Q5_K(256, 176),
    /** 256 values in 16 groups: low 4 bits, high 2 bits, 8-bit scales, F16 d. */
    Q6_K(256, 210);

    private final int blockSize;
    private final int blockBytes;

    DType(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /**
     * Bytes per element.
     *
     * @throws IllegalStateException for block-quantized types, whose elements have no whole size
     */
    public int bytes() {
        if (blockSize != 1) {
            throw new IllegalStateException(this + " stores " + blockSize + " values in " + blockBytes
                    + " bytes; no whole bytes per element");
        }
        return blockBytes;
    }

    /** Values per block: 1 for plain numbers. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** Whether values are stored in blocks with their own scales. */
    public boolean blockQuantized() {
        return blockSize != 1;
    }

    /**
     * The bytes {@code count} values take.
     *
     * @throws IllegalArgumentException when a block type's count is not a whole number of blocks
     * @throws ArithmeticException when the size exceeds a long
     */
    public long byteSize(long count) {
        if (count % blockSize != 0) {
            throw new IllegalArgumentException(count + " values of " + this + " are not whole blocks of " + blockSize);
        }
        return Math.multiplyExact(count / blockSize, (long) blockBytes);
    }
}
