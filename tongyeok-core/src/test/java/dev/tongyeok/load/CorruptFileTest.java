package dev.tongyeok.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.load.onnx.OnnxException;
import dev.tongyeok.load.onnx.OnnxWeights;
import dev.tongyeok.load.safetensors.SafetensorsWeights;
import dev.tongyeok.resolve.BuiltinModel;
import dev.tongyeok.resolve.ModelSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated, corrupt and foreign files fail with one line naming the file and what was expected. */
class CorruptFileTest {
    @TempDir
    Path tmp;

    private Path prefixOf(Path file, long bytes, String name) throws Exception {
        Path out = tmp.resolve(name);
        try (FileChannel in = FileChannel.open(file); FileChannel o = FileChannel.open(out, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            in.transferTo(0, bytes, o);
        }
        return out;
    }

    @Test
    void truncatedOnnx() throws Exception {
        Path onnx = BuiltinModel.defaultModel().onnxFile();
        for (long cut : new long[] {1, 100, 4_000_000, Files.size(onnx) - 1}) {
            Path p = prefixOf(onnx, cut, "cut.onnx");
            OnnxException e = assertThrows(OnnxException.class, () -> OnnxWeights.read(p));
            assertTrue(e.getMessage().startsWith("cut.onnx"), e.getMessage());
            assertTrue(e.getMessage().contains("offset 0x") || e.getMessage().contains("no graph"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
    }

    @Test
    void foreignFilesAsOnnx() throws Exception {
        Path json = tmp.resolve("model.onnx");
        Files.writeString(json, "{\"this\": \"is json\"}\n");
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxWeights.read(json));
        assertTrue(e.getMessage().startsWith("model.onnx offset 0x"), e.getMessage());
        Path empty = tmp.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        e = assertThrows(OnnxException.class, () -> OnnxWeights.read(empty));
        assertEquals("empty.onnx: not an ONNX model (no graph found in 0 bytes)", e.getMessage());
    }

    @Test
    void safetensorsHeaderAndData() throws Exception {
        Path st = tmp.resolve("model.safetensors");
        SafetensorsWriter.write(st, Map.of("w", new SafetensorsWriter.Entry(new long[] {4, 4}, new float[16])));
        assertEquals(1, SafetensorsWeights.read(st).names().size());

        Path cut = prefixOf(st, Files.size(st) - 3, "cut.safetensors");
        ModelException e = assertThrows(ModelException.class, () -> SafetensorsWeights.read(cut));
        assertTrue(e.getMessage().startsWith("cut.safetensors: tensor w data_offsets [0, 64] lie outside"),
                e.getMessage());

        Path magic = tmp.resolve("magic.safetensors");
        Files.writeString(magic, "GGUF and then some bytes that are not a header");
        e = assertThrows(ModelException.class, () -> SafetensorsWeights.read(magic));
        assertTrue(e.getMessage().startsWith("magic.safetensors offset 0x0: header length"), e.getMessage());

        Path badJson = withHeader("bad.safetensors", "{\"w\": {\"dtype\": \"F32\", \"shape\": [2]");
        e = assertThrows(ModelException.class, () -> SafetensorsWeights.read(badJson));
        assertTrue(e.getMessage().startsWith("bad.safetensors offset 0x8: header is not valid JSON"), e.getMessage());

        Path shape = withHeader("shape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}");
        e = assertThrows(ModelException.class, () -> SafetensorsWeights.read(shape));
        assertEquals("shape.safetensors: tensor w shape [3] of F32 needs 12 bytes, data_offsets give 8", e.getMessage());
    }

    // A safetensors file with the given header text followed by 8 data bytes.
    private Path withHeader(String name, String header) throws Exception {
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putLong(0);
        Path p = tmp.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void unknownSpecSaysWhatWasTried() {
        ModelException e = assertThrows(ModelException.class, () -> ModelSpec.resolve("no-such-model"));
        assertTrue(e.getMessage().startsWith("model 'no-such-model' is neither a built-in model (all-minilm-l6-v2, "),
                e.getMessage());
        // Written as a path, it is a path: no list of built-in models, no Hub.
        ModelException path = assertThrows(ModelException.class, () -> ModelSpec.resolve("./nothere"));
        assertEquals("./nothere: no such file or directory", path.getMessage());
    }
}
