package dev.tongyeok.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.Weight;
import dev.tongyeok.load.gguf.GgufWriter;
import dev.tongyeok.load.onnx.OnnxWeights;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.resolve.BuiltinModel;
import dev.tongyeok.tensor.Tensor;
import dev.tongyeok.tokenize.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real all-MiniLM-L6-v2 weights written to a GGUF {@code bert} file as llama.cpp's converter
 * writes one (its tensor names, matrices as (out, in), the WordPiece vocabulary with ▁ marking word
 * starts), loaded with the file's own tokenizer, against the built-in ONNX model.
 */
public class GgufBertTest {
    @TempDir
    Path tmp;

    /** The GGUF name llama.cpp's converter gives a BertModel tensor, or null for one it does not write. */
    public static String ggufName(String hf) {
        String n = hf.replaceFirst("^encoder\\.layer\\.(\\d+)\\.", "blk.$1.");
        String[][] map = {{"embeddings.word_embeddings", "token_embd"}, {"embeddings.position_embeddings", "position_embd"},
            {"embeddings.token_type_embeddings", "token_types"}, {"embeddings.LayerNorm", "token_embd_norm"},
            {"attention.self.query", "attn_q"}, {"attention.self.key", "attn_k"}, {"attention.self.value", "attn_v"},
            {"attention.output.dense", "attn_output"}, {"attention.output.LayerNorm", "attn_output_norm"},
            {"intermediate.dense", "ffn_up"}, {"output.dense", "ffn_down"}, {"output.LayerNorm", "layer_output_norm"}};
        for (String[] m : map) {
            if (n.contains(m[0] + ".")) {
                return n.replace(m[0] + ".", m[1] + ".");
            }
        }
        return null;
    }

    /**
     * The built-in all-MiniLM-L6-v2 as llama.cpp's converter writes a BERT GGUF: its tensors under
     * GGUF names, F32 or (matrices) Q8_0, and its WordPiece vocabulary in the metadata.
     */
    public static void writeMiniLm(Path file, boolean q8) throws Exception {
        writeMiniLm(file, q8, 1);
    }

    /**
     * As {@link #writeMiniLm(Path, boolean)}, in {@code parts} files as gguf-split cuts a model
     * ({@code NAME-00001-of-0000N.gguf} beside {@code file}) when parts is more than 1.
     */
    public static void writeMiniLm(Path file, boolean q8, int parts) throws Exception {
        OnnxWeights onnx = OnnxWeights.read(BuiltinModel.find("all-minilm-l6-v2").orElseThrow().onnxFile());
        GgufWriter g = new GgufWriter(3).string("general.architecture", "bert").u32("bert.context_length", 512)
                .u32("bert.embedding_length", 384).u32("bert.feed_forward_length", 1536).u32("bert.block_count", 6)
                .u32("bert.attention.head_count", 12).f32("bert.attention.layer_norm_epsilon", 1e-12f)
                .bool("bert.attention.causal", false).u32("bert.pooling_type", 1);
        int written = 0;
        for (String name : onnx.names()) {
            String gg = ggufName(name);
            if (gg == null) {
                continue;
            }
            Weight w = onnx.get(name);
            Tensor t = w.tensor();
            long[] shape = w.checkpointShape();
            float[] v = new float[(int) t.elementCount()];
            if (shape.length == 2 && w.transposed()) {
                int out = (int) shape[0];
                int in = (int) shape[1];
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        v[o * in + i] = t.getFloat((long) i * out + o);
                    }
                }
            } else {
                v = t.toFloatArray();
            }
            if (q8 && shape.length == 2 && !gg.startsWith("token_types") && !gg.startsWith("position")) {
                g.q8Tensor(gg, shape, v);
            } else {
                g.f32Tensor(gg, shape, v);
            }
            written++;
        }
        assertEquals(5 + 6 * 16, written, "every BERT tensor found its GGUF name");
        wordPieceVocabulary(g);
        if (parts > 1) {
            g.writeSplit(file, parts);
        } else {
            g.write(file);
        }
    }



    /**
     * all-MiniLM-L6-v2's WordPiece vocabulary as llama.cpp's converter stores it in GGUF metadata:
     * ▁word, piece (was ##piece), [SPECIAL], with token types and the special ids.
     */
    public static void wordPieceVocabulary(GgufWriter g) throws Exception {
        // The WordPiece vocabulary as llama.cpp stores it: ▁word, piece (was ##piece), [SPECIAL].
        JsonNode tok = new ObjectMapper().readTree(Fixtures.tokenizerJson("all-minilm-l6-v2"));
        Map<Integer, String> byId = new HashMap<>();
        tok.get("model").get("vocab").properties().forEach(e -> byId.put(e.getValue().asInt(), e.getKey()));
        Set<String> specials = Set.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (int id = 0; id < byId.size(); id++) {
            String t = byId.get(id);
            tokens.add(t.startsWith("[") && t.endsWith("]") ? t : t.startsWith("##") ? t.substring(2) : "\u2581" + t);
            types.add(specials.contains(t) ? 3 : 1);
        }
        g.string("tokenizer.ggml.model", "bert").strings("tokenizer.ggml.tokens", tokens)
                .ints("tokenizer.ggml.token_type", types).u32("tokenizer.ggml.token_type_count", 2)
                .u32("tokenizer.ggml.unknown_token_id", 100).u32("tokenizer.ggml.seperator_token_id", 102)
                .u32("tokenizer.ggml.cls_token_id", 101).u32("tokenizer.ggml.padding_token_id", 0)
                // gguf-py's vocab.py copies the BertNormalizer's lowercase (strip_accents is null: not written).
                .bool("tokenizer.ggml.normalizer.lowercase", true);
    }

    @Test
    void miniLmFromGgufEmbedsAsFromOnnx() throws Exception {
        Path file = tmp.resolve("all-minilm-l6-v2-f32.gguf");
        writeMiniLm(file, false);
        Embedder fromOnnx = Embedder.load("all-minilm-l6-v2");
        Embedder fromGguf = Embedder.load(file.toString());
        assertEquals(384, fromGguf.dimensions());
        assertEquals(Pooling.MEAN, fromGguf.defaultPooling());
        List<String> texts = new ArrayList<>(Fixtures.brown(200));
        texts.addAll(Arrays.asList("I love you so much.", "안녕하세요", "こんにちは", "你好", "@#%^&*()", "Café naïve"));
        List<Embedding> a = fromOnnx.embed(texts, EmbedOptions.DEFAULTS);
        List<Embedding> b = fromGguf.embed(texts, EmbedOptions.DEFAULTS);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(a.get(i).encoding().ids(), b.get(i).encoding().ids(), "tokens of " + texts.get(i));
            assertArrayEquals(a.get(i).vector(), b.get(i).vector(), 0f, "vector of " + texts.get(i));
        }
    }

    @Test
    void aSplitModelReadsAsOne() throws Exception {
        Path whole = tmp.resolve("whole.gguf");
        writeMiniLm(whole, false);
        writeMiniLm(tmp.resolve("split.gguf"), false, 3);
        Path first = tmp.resolve("split-00001-of-00003.gguf");
        Embedder a = Embedder.load(whole.toString());
        Embedder b = Embedder.load(first.toString());
        assertEquals(a.files().weights().names(), b.files().weights().names());
        for (String text : List.of("I love you so much.", "안녕하세요")) {
            assertArrayEquals(a.embed(text), b.embed(text), 0f, text);
        }
        ModelException part = assertThrows(ModelException.class,
                () -> Embedder.load(tmp.resolve("split-00002-of-00003.gguf").toString()));
        assertTrue(part.getMessage().contains("part 2 of a model split into 3 files; give its first part"),
                part.getMessage());
        java.nio.file.Files.delete(tmp.resolve("split-00003-of-00003.gguf"));
        ModelException missing = assertThrows(ModelException.class, () -> Embedder.load(first.toString()));
        assertTrue(missing.getMessage().endsWith("part 3 of 3, split-00003-of-00003.gguf, is missing"),
                missing.getMessage());
    }
}
