package dev.tongyeok.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.load.onnx.OnnxException;
import dev.tongyeok.load.onnx.OnnxGraph;
import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways ONNX stores initializer values, in files written here byte by byte after onnx.proto:
 * raw_data, float_data, int64_data, and external_data in a side file; plus the element types
 * F16 and BF16, decoded against the JDK's own conversions.
 */
class OnnxFormatTest {
    @TempDir
    Path dir;

    static void varint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7fL) != 0) {
            o.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }

    static byte[] len(int field, byte[] content) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        varint(o, (long) field << 3 | 2);
        varint(o, content.length);
        o.writeBytes(content);
        return o.toByteArray();
    }

    static byte[] len(int field, String s) {
        return len(field, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] num(int field, long v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        varint(o, (long) field << 3);
        varint(o, v);
        return o.toByteArray();
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    // TensorProto: 1 dims, 2 data_type, 8 name, then the payload fields.
    static byte[] tensor(String name, int type, long[] dims, byte[]... payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (long d : dims) {
            o.writeBytes(num(1, d));
        }
        o.writeBytes(num(2, type));
        o.writeBytes(len(8, name));
        for (byte[] p : payload) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] model(byte[]... initializers) {
        ByteArrayOutputStream g = new ByteArrayOutputStream();
        g.writeBytes(len(1, cat(len(1, "x"), len(1, "w"), len(2, "y"), len(3, "/layer/MatMul"), len(4, "MatMul"))));
        g.writeBytes(len(2, "g"));
        for (byte[] t : initializers) {
            g.writeBytes(len(5, t));
        }
        return cat(num(1, 8), len(7, g.toByteArray()));
    }

    @Test
    void everyStorageOfInitializerValues() throws Exception {
        Files.write(dir.resolve("weights.bin"), cat(new byte[16], floats(5f, 6f, 7f, 8f)));
        ByteArrayOutputStream packedFloats = new ByteArrayOutputStream();
        packedFloats.writeBytes(floats(1.5f, -2.5f));
        ByteArrayOutputStream packedLongs = new ByteArrayOutputStream();
        varint(packedLongs, 7);
        varint(packedLongs, -3L);
        byte[] f16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3C00)
                .putShort(Float.floatToFloat16(-0.333f)).array();
        byte[] bf16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3F80)
                .putShort((short) (Float.floatToRawIntBits(3.140625f) >>> 16)).array();
        Path onnx = dir.resolve("model.onnx");
        Files.write(onnx, model(
                tensor("raw", 1, new long[] {2, 2}, len(9, floats(1f, 2f, 3f, 4f))),
                tensor("float_data", 1, new long[] {2}, len(4, packedFloats.toByteArray())),
                tensor("int64_data", 7, new long[] {2}, len(7, packedLongs.toByteArray())),
                tensor("external", 1, new long[] {4}, len(13, cat(len(1, "location"), len(2, "weights.bin"))),
                        len(13, cat(len(1, "offset"), len(2, "16"))), len(13, cat(len(1, "length"), len(2, "16"))),
                        num(14, 1)),
                tensor("half", 10, new long[] {2}, len(9, f16)),
                tensor("bfloat", 16, new long[] {2}, len(9, bf16))));
        OnnxGraph g = OnnxGraph.read(onnx);
        assertEquals(8, g.irVersion());
        assertEquals(1, g.nodes().size());
        assertEquals("MatMul", g.nodes().get(0).opType());
        assertArrayEquals(new float[] {1, 2, 3, 4}, g.initializers().get("raw").toFloatArray());
        assertArrayEquals(new long[] {2, 2}, g.initializers().get("raw").shape());
        assertArrayEquals(new float[] {1.5f, -2.5f}, g.initializers().get("float_data").toFloatArray());
        assertEquals(7, g.initializers().get("int64_data").getLong(0));
        assertEquals(-3, g.initializers().get("int64_data").getLong(1));
        assertArrayEquals(new float[] {5, 6, 7, 8}, g.initializers().get("external").toFloatArray());
        Tensor half = g.initializers().get("half");
        assertEquals(DType.F16, half.type());
        assertEquals(1f, half.getFloat(0));
        assertEquals(Float.float16ToFloat(Float.floatToFloat16(-0.333f)), half.getFloat(1));
        Tensor bfloat = g.initializers().get("bfloat");
        assertEquals(DType.BF16, bfloat.type());
        assertEquals(1f, bfloat.getFloat(0));
        assertEquals(3.140625f, bfloat.getFloat(1));
    }

    @Test
    void externalDataProblemsNameTheTensorAndFile() throws Exception {
        Path onnx = dir.resolve("m.onnx");
        Files.write(onnx, model(tensor("w", 1, new long[] {4},
                len(13, cat(len(1, "location"), len(2, "missing.bin"))), num(14, 1))));
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxGraph.read(onnx));
        assertTrue(e.getMessage().startsWith("m.onnx offset 0x") && e.getMessage().contains(
                "initializer w is stored in missing.bin, which does not exist next to m.onnx"), e.getMessage());

        Files.write(dir.resolve("short.bin"), new byte[8]);
        Files.write(onnx, model(tensor("w", 1, new long[] {4},
                len(13, cat(len(1, "location"), len(2, "short.bin"))), num(14, 1))));
        e = assertThrows(OnnxException.class, () -> OnnxGraph.read(onnx));
        assertTrue(e.getMessage().contains("initializer w: external data short.bin [0, +16) must hold 16 bytes within its 8"),
                e.getMessage());

        Files.write(onnx, model(tensor("w", 1, new long[] {3}, len(9, floats(1f, 2f)))));
        e = assertThrows(OnnxException.class, () -> OnnxGraph.read(onnx));
        assertTrue(e.getMessage().contains("initializer w: shape [3] of F32 needs 12 bytes, raw_data has 8"),
                e.getMessage());
    }
}
