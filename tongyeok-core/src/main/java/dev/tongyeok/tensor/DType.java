package dev.tongyeok.tensor;

/** The element types weights are stored in; compute is always F32. */
public enum DType {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary16. */
    F16(2),
    /** bfloat16: the upper half of a binary32. */
    BF16(2),
    /** Signed 8-bit integer (quantized weights). */
    I8(1),
    /** Unsigned 8-bit integer (quantized weights and zero points). */
    U8(1),
    /** Signed 32-bit integer. */
    I32(4),
    /** Signed 64-bit integer. */
    I64(8),
    /** IEEE 754 binary64. */
    F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
