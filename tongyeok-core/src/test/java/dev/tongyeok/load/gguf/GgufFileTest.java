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
        assertTrue(message(bad).contains("tensor token_embd.weight needs bytes"), message(bad));

        Path iq = tmp.resolve("iq.gguf");
        new GgufWriter(3).tensor("w", 16, new long[] {1, 256}, new byte[66]).write(iq);
        assertTrue(message(iq).contains("tensor w has GGML type 16 (IQ2_XXS), not supported"), message(iq));

        Path rows = tmp.resolve("rows.gguf");
        new GgufWriter(3).tensor("w", 8, new long[] {2, 40}, new byte[2 * 34 * 2]).write(rows);
        assertTrue(message(rows).contains("rows of 40 values, not whole blocks of 32"), message(rows));
    }

    static String message(Path f) {
        return assertThrows(ModelException.class, () -> GgufFile.read(f)).getMessage();
    }
}
