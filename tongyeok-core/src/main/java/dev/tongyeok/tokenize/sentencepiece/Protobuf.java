package dev.tongyeok.tokenize.sentencepiece;

import dev.tongyeok.tokenize.TokenizerException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The protobuf wire format, as much of it as a SentencePiece model uses: varints, 32- and 64-bit
 * fixed fields and length-delimited fields, read from one byte range. Every length is checked
 * against the bytes left, and every error names the file, the message and the byte offset.
 */
final class Protobuf {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH = 2;
    static final int FIXED32 = 5;

    private final byte[] bytes;
    private final int end;
    private final String source;
    private final String message;
    private int pos;
    private int field;
    private int wire;

    Protobuf(byte[] bytes, int start, int end, String source, String message) {
        this.bytes = bytes;
        this.pos = start;
        this.end = end;
        this.source = source;
        this.message = message;
    }

    /** Reads the next field's key; false at the end of the message. */
    boolean next() {
        if (pos >= end) {
            return false;
        }
        int at = pos;
        long key = varint();
        field = (int) (key >>> 3);
        wire = (int) (key & 7);
        if (field <= 0 || key >>> 3 > Integer.MAX_VALUE) {
            throw error(at, "field number " + (key >>> 3) + " is not valid");
        }
        if (wire != VARINT && wire != FIXED64 && wire != LENGTH && wire != FIXED32) {
            throw error(at, "field " + field + " has wire type " + wire + " (groups are not used by SentencePiece)");
        }
        return true;
    }

    int field() {
        return field;
    }

    long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw error(pos, "a varint runs past the end");
            }
            byte b = bytes[pos++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw error(pos, "a varint is longer than 10 bytes");
    }

    int int32() {
        expect(VARINT);
        return (int) varint();
    }

    boolean bool() {
        expect(VARINT);
        return varint() != 0;
    }

    float float32() {
        expect(FIXED32);
        if (end - pos < 4) {
            throw error(pos, "field " + field + " (a float) runs past the end");
        }
        int bits = (bytes[pos] & 0xff) | (bytes[pos + 1] & 0xff) << 8 | (bytes[pos + 2] & 0xff) << 16
                | (bytes[pos + 3] & 0xff) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    /** A length-delimited field as a message of its own. */
    Protobuf message(String name) {
        int start = lengthDelimited();
        return new Protobuf(bytes, start, pos, source, name);
    }

    byte[] bytes() {
        int start = lengthDelimited();
        return java.util.Arrays.copyOfRange(bytes, start, pos);
    }

    String string() {
        int start = lengthDelimited();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, start, pos - start)).toString();
        } catch (CharacterCodingException e) {
            throw error(start, "field " + field + " is not valid UTF-8");
        }
    }

    void skip() {
        switch (wire) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case FIXED32 -> advance(4);
            default -> lengthDelimited();
        }
    }

    /** The offset of the next byte to read, for messages that point at a field. */
    int offset() {
        return pos;
    }

    TokenizerException error(int at, String what) {
        return new TokenizerException(source + ": byte " + at + " (" + message + "): " + what);
    }

    private int lengthDelimited() {
        expect(LENGTH);
        int at = pos;
        long n = varint();
        if (n < 0 || n > end - pos) {
            throw error(at, "field " + field + " claims " + n + " bytes, the message has " + (end - pos) + " left");
        }
        int start = pos;
        pos += (int) n;
        return start;
    }

    private void advance(int n) {
        if (end - pos < n) {
            throw error(pos, "field " + field + " runs past the end");
        }
        pos += n;
    }

    private void expect(int w) {
        if (wire != w) {
            throw error(pos, "field " + field + " has wire type " + wire + ", expected " + w);
        }
    }
}
