package dev.tongyeok.load.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.gguf.GgufFile.ValueType;
import dev.tongyeok.load.gguf.GgufWriter.Arr;
import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The GGUF header: every metadata type, nested arrays, tensor infos, alignment, and broken files. */
class GgufFileTest {
    @TempDir
    Path tmp;

    static GgufWriter everyType(int version) {
        return new GgufWriter(version).put("u8", ValueType.UINT8, 200).put("i8", ValueType.INT8, -100)
                .put("u16", ValueType.UINT16, 60000).put("i16", ValueType.INT16, -30000)
                .put("u32", ValueType.UINT32, 4_000_000_000L).put("i32", ValueType.INT32, -2_000_000_000)
                .put("f32", ValueType.FLOAT32, 0.1f).put("bool", ValueType.BOOL, true)
                .put("str", ValueType.STRING, "안녕하세요 こんにちは")
                .put("u64", ValueType.UINT64, 1L << 40).put("i64", ValueType.INT64, -(1L << 50))
                .put("f64", ValueType.FLOAT64, Math.PI)
                .put("floats", ValueType.ARRAY, new Arr(ValueType.FLOAT32, List.of(1f, -2.5f)))
                .put("strings", ValueType.ARRAY, new Arr(ValueType.STRING, List.of("▁I", "▁love", "")))
                .put("u8s", ValueType.ARRAY, new Arr(ValueType.UINT8, List.of(255, 0)))
                .put("bools", ValueType.ARRAY, new Arr(ValueType.BOOL, List.of(true, false)))
                .put("nested", ValueType.ARRAY, new Arr(ValueType.ARRAY, List.of(
                        new Arr(ValueType.INT32, List.of(1, 2, 3)), new Arr(ValueType.STRING, List.of("x")))));
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {2, 3})
    void readsEveryMetadataTypeAndTensor(int version) throws Exception {
        Path f = tmp.resolve("all.gguf");
        float[] data = new float[6];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 1.5f;
        }
        everyType(version).alignment(64).f32Tensor("a", new long[] {2, 3}, data)
                .f32Tensor("b", new long[] {5}, new float[] {1, 2, 3, 4, 5})
                .q8Tensor("c", new long[] {2, 32}, new float[64]).write(f);
        GgufFile g = GgufFile.read(f);
        assertEquals(version, g.version());
        assertEquals(64, g.alignment());
        assertEquals(0, g.dataOffset() % 64);
        assertEquals(200L, g.integer("u8"));
        assertEquals(-100L, g.integer("i8"));
        assertEquals(60000L, g.integer("u16"));
        assertEquals(-30000L, g.integer("i16"));
        assertEquals(4_000_000_000L, g.integer("u32"));
        assertEquals(-2_000_000_000L, g.integer("i32"));
        assertEquals(0.1, g.number("f32"));
        assertTrue(g.bool("bool", false));
        assertEquals("안녕하세요 こんにちは", g.string("str"));
        assertEquals(1L << 40, g.integer("u64"));
        assertEquals(-(1L << 50), g.integer("i64"));
        assertEquals(Math.PI, g.number("f64"));
        assertArrayEquals(new float[] {1f, -2.5f}, g.floats("floats"));
        assertArrayEquals(new String[] {"▁I", "▁love", ""}, g.strings("strings"));
        assertArrayEquals(new int[] {255, 0}, g.ints("u8s"));
        GgufFile.Array bools = (GgufFile.Array) g.metadata().get("bools").value();
        assertArrayEquals(new boolean[] {true, false}, (boolean[]) bools.values());
        GgufFile.Array nested = (GgufFile.Array) g.metadata().get("nested").value();
        GgufFile.Array[] inner = (GgufFile.Array[]) nested.values();
        assertArrayEquals(new int[] {1, 2, 3}, (int[]) inner[0].values());
        assertArrayEquals(new String[] {"x"}, (String[]) inner[1].values());
        assertEquals(ValueType.UINT32, g.metadata().get("u32").type());

        Tensor a = g.tensors().get("a");
        assertArrayEquals(new long[] {2, 3}, a.shape(), "row-major shape: GGUF's (3, 2) reversed");
        assertArrayEquals(data, a.toFloatArray());
        assertEquals(5, g.tensors().get("b").elementCount());
        assertEquals(DType.Q8_0, g.tensors().get("c").type());
        assertEquals(0, g.tensorInfos().get("b").offset() % 64);
        ModelException e = assertThrows(ModelException.class, () -> g.string("u32"));
        assertTrue(e.getMessage().contains("u32 is UINT32, expected a string"), e.getMessage());
        assertTrue(assertThrows(ModelException.class, () -> g.integer("missing")).getMessage().contains("missing"));
    }

    @Test
    void brokenFilesNameTheOffsetAndTheTensor() throws Exception {
        Path f = tmp.resolve("ok.gguf");
        everyType(3).f32Tensor("token_embd.weight", new long[] {4, 8}, new float[32]).write(f);
        byte[] ok = Files.readAllBytes(f);

        Path bad = tmp.resolve("bad.gguf");
        byte[] magic = ok.clone();
        magic[0] = 'X';
        Files.write(bad, magic);
        assertTrue(message(bad).contains("offset 0x0: not a GGUF file"), message(bad));
        assertFalse(GgufFile.looksLikeGguf(bad));

        byte[] v1 = ok.clone();
        v1[4] = 1;
        Files.write(bad, v1);
        assertTrue(message(bad).contains("version 1 is not supported"), message(bad));

        Files.write(bad, Arrays.copyOf(ok, 40));
        assertTrue(message(bad).matches(".*offset 0x[0-9a-f]+: .*(ends in|beyond the end).*"), message(bad));

        Files.write(bad, Arrays.copyOf(ok, ok.length - 16));
        assertTrue(message(bad).matches(".*offset 0x[0-9a-f]+: tensor token_embd.weight needs 128 bytes .*beyond the end.*"),
                message(bad));

        Path iq = tmp.resolve("iq.gguf");
        new GgufWriter(3).tensor("w", 16, new long[] {1, 256}, new byte[66]).write(iq);
        assertTrue(message(iq).contains("tensor w has GGML type 16 (IQ2_XXS), not supported"), message(iq));

        Path rows = tmp.resolve("rows.gguf");
        new GgufWriter(3).tensor("w", 8, new long[] {2, 40}, new byte[2 * 34 * 2]).write(rows);
        assertTrue(message(rows).contains("rows of 40 values, not whole blocks of 32"), message(rows));
    }

    @Test
    void craftedHeadersAreRefusedBeforeAnythingIsAllocated() throws Exception {
        // Two tensors made to share bytes: the second's offset field rewritten to the first's.
        Path f = tmp.resolve("overlap.gguf");
        new GgufWriter(3).f32Tensor("first.weight", new long[] {16}, new float[16])
                .f32Tensor("second.weight", new long[] {8}, new float[8]).write(f);
        byte[] b = Files.readAllBytes(f);
        int field = indexOf(b, "second.weight") + "second.weight".length() + 4 + 8 + 4; // dims, shape, type
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(field, 32);
        Files.write(f, b);
        assertTrue(message(f).matches(".*offset 0x[0-9a-f]+: tensor second.weight starts at data offset 32, inside "
                + "tensor first.weight \\(data offsets 0 to 64\\)"), message(f));

        // A shape whose byte count overflows a long must not wrap around to a size that fits.
        Path big = tmp.resolve("overflow.gguf");
        new GgufWriter(3).tensor("w", 0, new long[] {1L << 40, 1L << 40}, new byte[32]).write(big);
        assertTrue(message(big).matches(".*offset 0x[0-9a-f]+: tensor w has shape \\[1099511627776, 1099511627776\\], "
                + "more bytes than any file holds"), message(big));

        // A UINT64 array of 2^30 elements in a 1 GiB sparse file: 8 GiB it cannot hold, refused from
        // its count (reading it would allocate 8 GiB first).
        Path arr = tmp.resolve("array.gguf");
        new GgufWriter(3).put("huge", ValueType.ARRAY, new Arr(ValueType.UINT64, List.of(1L, 2L))).write(arr);
        byte[] a = Files.readAllBytes(arr);
        int count = indexOf(a, "huge") + "huge".length() + 4 + 4; // value type, element type
        java.nio.ByteBuffer.wrap(a).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(count, 1L << 30);
        Files.write(arr, a);
        try (var ch = java.nio.channels.FileChannel.open(arr, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(1), (1L << 30) - 1); // the rest a hole of zeros
        }
        assertTrue(message(arr).contains("metadata huge claims 1073741824 elements, more than the file holds"),
                message(arr));

        // general.alignment: a power of two, stored as UINT32 as llama.cpp writes it.
        Path al = tmp.resolve("alignment.gguf");
        new GgufWriter(3).u32("general.alignment", 48).write(al);
        assertTrue(message(al).matches(".*offset 0x[0-9a-f]+: metadata general.alignment is 48 of type UINT32.*"),
                message(al));
        new GgufWriter(3).put("general.alignment", ValueType.UINT64, 32L).write(al);
        assertTrue(message(al).contains("general.alignment is 32 of type UINT64"), message(al));
    }

    static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(needle + " is not in the file");
    }

    static String message(Path f) {
        return assertThrows(ModelException.class, () -> GgufFile.read(f)).getMessage();
    }
}
