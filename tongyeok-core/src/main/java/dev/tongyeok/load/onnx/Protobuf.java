package dev.tongyeok.load.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A forward reader of the protobuf wire format over a memory segment: just enough to walk
 * ONNX's messages without generated classes. Length-delimited fields come back as slices of the
 * same segment, so tensor bytes are never copied.
 *
 * <p>Wire format (https://protobuf.dev/programming-guides/encoding/): each field is a varint key
 * {@code field_number << 3 | wire_type}; wire type 0 varint, 1 fixed 64-bit, 2 length-delimited,
 * 5 fixed 32-bit.
 */
final class Protobuf {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    private final MemorySegment seg;
    private final long base;
    private final String file;
    private long pos;
    private int tag;

    /**
     * @param seg the message's bytes
     * @param base the offset of {@code seg} in the file, for error messages
     * @param file the file's name, for error messages
     */
    Protobuf(MemorySegment seg, long base, String file) {
        this.seg = seg;
        this.base = base;
        this.file = file;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (pos >= seg.byteSize()) {
            return false;
        }
        long key = varint();
        tag = (int) key;
        if ((key >>> 3) == 0 || (tag & 7) == 3 || (tag & 7) == 4 || (tag & 7) > 5) {
            throw corrupt("invalid field key " + key);
        }
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    /** The reader's position inside its own message. */
    long offsetInSlice() {
        return pos;
    }

    /** The file offset of the reader. */
    long offset() {
        return base + pos;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= seg.byteSize()) {
                throw corrupt("truncated varint");
            }
            byte b = seg.get(ValueLayout.JAVA_BYTE, pos++);
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw corrupt("varint longer than 10 bytes");
    }

    float fixed32Float() {
        need(4);
        float f = seg.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), pos);
        pos += 4;
        return f;
    }

    /** A length-delimited field as a reader of its own. */
    Protobuf message() {
        long start = pos;
        MemorySegment s = bytes();
        return new Protobuf(s, base + start + (pos - start - s.byteSize()), file);
    }

    /** A length-delimited field's bytes, a slice of the underlying segment. */
    MemorySegment bytes() {
        long len = varint();
        if (len < 0) {
            throw corrupt("negative length");
        }
        need(len);
        MemorySegment s = seg.asSlice(pos, len);
        pos += len;
        return s;
    }

    /** The file offset where the last {@link #bytes()} slice began. */
    long sliceOffset(MemorySegment slice) {
        return base + (slice.address() - seg.address());
    }

    String string() {
        return new String(bytes().toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** Skips the current field's value. */
    void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> {
                need(8);
                pos += 8;
            }
            case LEN -> bytes();
            case FIXED32 -> {
                need(4);
                pos += 4;
            }
            default -> throw corrupt("wire type " + wireType());
        }
    }

    private void need(long n) {
        if (pos + n > seg.byteSize()) {
            throw corrupt("field needs " + n + " bytes, " + (seg.byteSize() - pos) + " left (file truncated?)");
        }
    }

    OnnxException corrupt(String what) {
        return new OnnxException(file + " offset 0x" + Long.toHexString(base + pos) + ": not a valid ONNX protobuf: "
                + what);
    }
}
