package dev.tongyeok.resolve;

import dev.tongyeok.model.bert.BertFamily;
import dev.tongyeok.model.bert.BertConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.load.onnx.OnnxWeights;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The registry's facts about each built-in model agree with its own files. */
class BuiltinModelTest {
    static java.util.List<String> models() {
        return BuiltinModel.ALL.stream().map(BuiltinModel::name).toList();
    }

    @ParameterizedTest
    @MethodSource("models")
    void registryMatchesTheWeights(String name) throws Exception {
        BuiltinModel m = BuiltinModel.find(name).orElseThrow();
        assertTrue(m.available(), m.artifact() + " is a test dependency");
        var onnx = m.onnxFile();
        assertEquals(m.weightBytes(), Files.size(onnx));
        assertEquals(onnx, m.onnxFile(), "unpacked once, then reused");
        BertConfig c = new BertFamily().config(OnnxWeights.read(onnx));
        assertEquals(m.dimensions(), c.hidden_size());
        assertEquals(m.layers(), c.num_hidden_layers());
        assertTrue(m.maxSeqLength() <= c.max_position_embeddings());
        assertEquals("gelu", c.hidden_act());
        assertEquals(1e-12, c.layer_norm_eps(), 1e-18);
        assertEquals(c.vocab_size(), m.tokenizer().vocabSize());
    }
}
