package dev.tongyeok.tokenize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Writes SentencePiece model files (the protobuf), as much of them as the tests need. */
public final class ModelProtoWriter {
    private ModelProtoWriter() {}

    /**
     * A Unigram model: the pieces with scores and types, {@code unk_id} and {@code bos_id}/{@code eos_id}
     * as given, the charsmap (or none) with SentencePiece's default whitespace switches.
     */
    public static void unigram(Path file, List<String> pieces, float[] scores, int[] types, int unk, int bos, int eos,
            byte[] charsmap) throws IOException {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        for (int i = 0; i < pieces.size(); i++) {
            m.writeBytes(piece(pieces.get(i), scores[i], types[i]));
        }
        ByteArrayOutputStream trainer = new ByteArrayOutputStream();
        key(trainer, 3, 0);
        varint(trainer, 1);
        for (int[] f : new int[][] {{40, unk}, {41, bos}, {42, eos}}) {
            key(trainer, f[0], 0);
            varint(trainer, f[1]);
        }
        bytesField(m, 2, trainer.toByteArray());
        ByteArrayOutputStream normalizer = new ByteArrayOutputStream();
        bytesField(normalizer, 1, "nmt_nfkc".getBytes(StandardCharsets.UTF_8));
        if (charsmap != null) {
            bytesField(normalizer, 2, charsmap);
        }
        bytesField(m, 3, normalizer.toByteArray());
        Files.write(file, m.toByteArray());
    }

    /** One {@code pieces} entry of a ModelProto, as a field of it. */
    public static byte[] piece(String text, float score, int type) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        bytesField(p, 1, text.getBytes(StandardCharsets.UTF_8));
        key(p, 2, 5);
        int bits = Float.floatToIntBits(score);
        for (int i = 0; i < 4; i++) {
            p.write(bits >>> (8 * i));
        }
        key(p, 3, 0);
        varint(p, type);
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        bytesField(m, 1, p.toByteArray());
        return m.toByteArray();
    }

    /** {@code model} with the normalizer_spec's boolean {@code field} set to {@code value} (others kept). */
    public static byte[] withNormalizerSwitch(byte[] model, int field, boolean value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] pos = {0};
        while (pos[0] < model.length) {
            int start = pos[0];
            long key = readVarint(model, pos);
            int f = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (wire != 2) {
                throw new IllegalStateException("unexpected wire type " + wire + " at " + start);
            }
            int n = (int) readVarint(model, pos);
            byte[] body = Arrays.copyOfRange(model, pos[0], pos[0] + n);
            pos[0] += n;
            if (f == 3) {
                ByteArrayOutputStream spec = new ByteArrayOutputStream();
                spec.writeBytes(body);
                key(spec, field, 0); // a later value of a field wins in protobuf
                varint(spec, value ? 1 : 0);
                bytesField(out, 3, spec.toByteArray());
            } else {
                out.write(model, start, pos[0] - start);
            }
        }
        return out.toByteArray();
    }

    private static long readVarint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return v;
            }
        }
    }

    private static void bytesField(ByteArrayOutputStream out, int field, byte[] body) {
        key(out, field, 2);
        varint(out, body.length);
        out.writeBytes(body);
    }

    private static void key(ByteArrayOutputStream out, int field, int wire) {
        varint(out, (long) field << 3 | wire);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }
}
