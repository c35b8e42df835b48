package dev.tongyeok.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.hub.HubCache;
import dev.tongyeok.hub.HubClient;
import dev.tongyeok.hub.HubStandIn;
import dev.tongyeok.load.onnx.OnnxWeights;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.model.bert.BertConfig;
import dev.tongyeok.model.bert.BertFamily;
import dev.tongyeok.resolve.BuiltinModel;
import dev.tongyeok.resolve.ModelSpec;
import dev.tongyeok.tokenize.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in model's ONNX weights written into safetensors (one file, and two shards with an
 * index, names prefixed {@code bert.} as task checkpoints store them) give output identical to
 * the ONNX path: the same numbers reach the same kernels.
 */
class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void sameWeightsInSafetensorsGiveIdenticalOutput() throws Exception {
        BuiltinModel m = BuiltinModel.defaultModel();
        OnnxWeights onnx = OnnxWeights.read(m.onnxFile());
        BertConfig config = new BertFamily().config(onnx);
        Map<String, SafetensorsWriter.Entry> tensors = SafetensorsWriter.checkpoint(onnx, "");
        tensors.remove("embeddings.position_ids");

        Path single = tmp.resolve("single");
        Files.createDirectories(single);
        SafetensorsWriter.write(single.resolve("model.safetensors"), tensors);
        writeModelFiles(single, config);

        Path sharded = tmp.resolve("sharded");
        Files.createDirectories(sharded);
        Map<String, SafetensorsWriter.Entry> a = new LinkedHashMap<>();
        Map<String, SafetensorsWriter.Entry> b = new LinkedHashMap<>();
        StringBuilder index = new StringBuilder("{\"metadata\":{},\"weight_map\":{");
        int i = 0;
        for (var e : tensors.entrySet()) {
            boolean first = i++ < tensors.size() / 2;
            (first ? a : b).put("bert." + e.getKey(), e.getValue());
            index.append(i == 1 ? "" : ",").append('"').append("bert.").append(e.getKey()).append("\":\"")
                    .append(first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors").append('"');
        }
        index.append("}}");
        SafetensorsWriter.write(sharded.resolve("model-00001-of-00002.safetensors"), a);
        SafetensorsWriter.write(sharded.resolve("model-00002-of-00002.safetensors"), b);
        Files.writeString(sharded.resolve("model.safetensors.index.json"), index);
        writeModelFiles(sharded, config);

        // The same files as a Hub snapshot in a local Hugging Face cache (files behind symlinks, as huggingface_hub makes them).
        Path hub = tmp.resolve("hub");
        Path repo = hub.resolve("models--test-org--mini");
        Path snap = repo.resolve("snapshots").resolve("0123abcd");
        Files.createDirectories(snap);
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), "0123abcd\n");
        try (var files = Files.walk(single)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path link = snap.resolve(single.relativize(f).toString());
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, f);
            }
        }
        // Offline: the cached model loads without a request, a missing one says so.
        ModelSpec.useHub(new HubClient(new HubCache(hub), "http://127.0.0.1:9", null, true, HubClient.Progress.NONE,
                n -> { }, 0));
        Embedder fromHub;
        try {
            fromHub = Embedder.load("test-org/mini");
            ModelException missing = assertThrows(ModelException.class, () -> Embedder.load("test-org/absent"));
            assertTrue(missing.getMessage().startsWith("test-org/absent is not in the Hugging Face cache ("
                    + hub.resolve("models--test-org--absent") + ") and HF_HUB_OFFLINE is set"), missing.getMessage());
        } finally {
            ModelSpec.useHub(null);
        }
        assertEquals("test-org/mini", fromHub.name());

        List<String> texts = new ArrayList<>(Fixtures.brown(20));
        texts.add("안녕하세요, こんにちは, Hello, 你好, @#%^&*()");
        EmbedOptions tokens = EmbedOptions.DEFAULTS.withPooling(Pooling.NONE).withNormalize(false);
        List<Embedding> ref = Embedder.load(m.name()).embed(texts, tokens);
        for (Path dir : new Path[] {single, sharded, snap}) {
            Embedder st = dir == snap ? fromHub : Embedder.load(dir.toString());
            assertEquals(dev.tongyeok.model.Pooling.MEAN, st.files().pooling());
            assertEquals(256, st.files().maxSeqLength());
            List<Embedding> got = st.embed(texts, tokens);
            for (int t = 0; t < texts.size(); t++) {
                assertArrayEquals(ref.get(t).encoding().ids(), got.get(t).encoding().ids());
                for (int r = 0; r < ref.get(t).tokenVectors().length; r++) {
                    assertArrayEquals(ref.get(t).tokenVectors()[r], got.get(t).tokenVectors()[r], dir + " text " + t);
                }
            }
        }
    }

    /**
     * F16 and BF16 checkpoints against ONNX Runtime on the fp32 file: the only difference is the
     * rounding of the weights (2⁻¹¹ and 2⁻⁸ relative), which bounds how far the vectors may drift.
     */
    @Test
    void halfPrecisionCheckpointsAgainstOnnxRuntime() throws Exception {
        BuiltinModel m = BuiltinModel.defaultModel();
        OnnxWeights onnx = OnnxWeights.read(m.onnxFile());
        Map<String, SafetensorsWriter.Entry> tensors = SafetensorsWriter.checkpoint(onnx, "");
        tensors.remove("embeddings.position_ids");
        List<String> texts = new ArrayList<>(Fixtures.brown(12));
        texts.add("안녕하세요, こんにちは, Hello, 你好, @#%^&*()");
        try (dev.tongyeok.embed.OrtOracle ort = new dev.tongyeok.embed.OrtOracle(m.onnxFile(), false)) {
            for (String dtype : new String[] {"F16", "BF16"}) {
                Path d = tmp.resolve(dtype);
                Files.createDirectories(d);
                SafetensorsWriter.write(d.resolve("model.safetensors"), tensors, dtype);
                writeModelFiles(d, new BertFamily().config(onnx));
                Embedder e = Embedder.load(d.toString());
                double worst = 1;
                for (Embedding got : e.embed(texts, EmbedOptions.DEFAULTS.withPooling(Pooling.NONE).withNormalize(false))) {
                    float[][] ref = ort.hidden(got.encoding().ids(), got.encoding().typeIds());
                    worst = Math.min(worst, dev.tongyeok.embed.ModelParityTest.cosine(
                            dev.tongyeok.embed.ModelParityTest.pool(ref, Pooling.MEAN),
                            dev.tongyeok.embed.ModelParityTest.pool(got.tokenVectors(), Pooling.MEAN)));
                }
                System.out.printf("%s checkpoint against ORT fp32: worst cosine %.6f%n", dtype, worst);
                assertTrue(worst >= (dtype.equals("F16") ? 0.9999 : 0.999), dtype + ": cosine " + worst);
            }
        }
    }

    private static void writeModelFiles(Path dir, BertConfig config) throws Exception {
        HubStandIn.sentenceTransformers(dir, "mean", config.toJson());
    }

    @Test
    void configDisagreeingWithTensorsNamesTensorAndExpectation() throws Exception {
        BuiltinModel m = BuiltinModel.defaultModel();
        OnnxWeights onnx = OnnxWeights.read(m.onnxFile());
        BertConfig c = new BertFamily().config(onnx);
        Path dir = tmp.resolve("wrong");
        Files.createDirectories(dir);
        Map<String, SafetensorsWriter.Entry> tensors = SafetensorsWriter.checkpoint(onnx, "");
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors);
        BertConfig wrong = new BertConfig(c.vocab_size(), c.hidden_size(), c.num_hidden_layers(),
                c.num_attention_heads(), 1024, c.hidden_act(), c.max_position_embeddings(), c.type_vocab_size(),
                c.layer_norm_eps());
        writeModelFiles(dir, wrong);
        ModelException e = assertThrows(ModelException.class, () -> Embedder.load(dir.toString()));
        assertEquals("model.safetensors: tensor encoder.layer.0.intermediate.dense.weight has shape [1536, 384], "
                + "config.json implies [1024, 384]", e.getMessage());

        tensors.remove("encoder.layer.3.output.LayerNorm.bias");
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors);
        writeModelFiles(dir, c);
        e = assertThrows(ModelException.class, () -> Embedder.load(dir.toString()));
        assertTrue(e.getMessage().contains("encoder.layer.3.output.LayerNorm.bias"), e.getMessage());
    }
}
