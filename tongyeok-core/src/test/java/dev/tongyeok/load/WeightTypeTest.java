package dev.tongyeok.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.load.gguf.GgufLayout;
import dev.tongyeok.load.gguf.GgufWeights;
import dev.tongyeok.load.gguf.GgufWriter;
import dev.tongyeok.load.onnx.OnnxWeights;
import dev.tongyeok.resolve.BuiltinModel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code /info}'s {@code model_dtype} reports: the stored type of most of the matrices, per format. */
class WeightTypeTest {
    @TempDir
    Path tmp;

    @Test
    void onnxFloatAndInt8() throws Exception {
        assertEquals("float32", OnnxWeights.read(BuiltinModel.find("all-minilm-l6-v2").orElseThrow().onnxFile())
                .weightType());
        assertEquals("int8", OnnxWeights.read(BuiltinModel.find("all-minilm-l6-v2-q").orElseThrow().onnxFile())
                .weightType());
    }

    @Test
    void ggufCountsTheMatricesNotTheNorms() throws Exception {
        Path f = tmp.resolve("q8.gguf");
        new GgufWriter(3).q8Tensor("blk.0.ffn_up.weight", new long[] {64, 64}, new float[64 * 64])
                .q8Tensor("blk.0.ffn_down.weight", new long[] {64, 64}, new float[64 * 64])
                .f32Tensor("token_embd.weight", new long[] {16, 64}, new float[16 * 64])
                .f32Tensor("blk.0.attn_norm.weight", new long[] {64000}, new float[64000]).write(f);
        GgufWeights w = GgufWeights.of(GgufFile.read(f), GgufLayout.blocks("", Map.of(), Map.of()));
        assertEquals("Q8_0", w.weightType());
    }
}
