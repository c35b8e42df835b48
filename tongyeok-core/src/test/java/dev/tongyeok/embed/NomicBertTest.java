package dev.tongyeok.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.RandomTensors;
import dev.tongyeok.load.gguf.GgufWriter;
import dev.tongyeok.tokenize.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NomicBERT (nomic-embed-text v1, v1.5) from both layouts: a tiny random-weight model written as
 * nomic's checkpoints are (config.json with {@code model_type: nomic_bert}, safetensors named
 * {@code encoder.layers.N.attn.Wqkv}, …, the BERT WordPiece tokenizer) and as llama.cpp's
 * converter writes it (GGUF {@code nomic-bert}). llama.cpp, which runs nomic-bert with its own
 * rotary, SwiGLU and norms, is the oracle.
 */
public class NomicBertTest {
    static final int C = 64;
    static final int L = 2;
    static final int H = 4;
    static final int I = 96;
    static final int V = 30522;
    static final int POSITIONS = 2048;
    static final double THETA = 1000;

    @TempDir
    static Path tmp;

    static Path hfDir;
    static Path gguf;
    static Map<String, float[][]> weights;

    @BeforeAll
    static void write() throws Exception {
        writeModels(tmp);
    }

    /** Writes the tiny model in both layouts under {@code tmp} (and sets this class's fields to them). */
    public static TinyModel writeModels(Path tmp) throws Exception {
        weights = randomWeights();
        hfDir = Files.createDirectories(tmp.resolve("tiny-nomic"));
        RandomTensors.write(hfDir.resolve("model.safetensors"), weights);
        // As nomic-embed-text-v1.5's config.json spells it.
        Files.writeString(hfDir.resolve("config.json"), """
                {"architectures": ["NomicBertModel"], "model_type": "nomic_bert", "activation_function": "swiglu",
                 "bos_token_id": null, "causal": false, "dense_seq_output": true, "embd_pdrop": 0.0,
                 "eos_token_id": null, "fused_bias_fc": true, "fused_dropout_add_ln": true, "initializer_range": 0.02,
                 "layer_norm_epsilon": 1e-12, "max_trained_positions": %d, "mlp_fc1_bias": false, "mlp_fc2_bias": false,
                 "n_embd": %d, "n_head": %d, "n_inner": %d, "n_layer": %d, "n_positions": 8192, "pad_vocab_size_multiple": 64,
                 "parallel_block": false, "parallel_block_tied_norm": false, "prenorm": false, "qkv_proj_bias": false,
                 "reorder_and_upcast_attn": false, "resid_pdrop": 0.0, "rotary_emb_base": %s, "rotary_emb_fraction": 1.0,
                 "rotary_emb_interleaved": false, "rotary_emb_scale_base": null, "rotary_scaling_factor": null,
                 "scale_attn_by_inverse_layer_idx": false, "scale_attn_weights": true, "summary_type": "cls_index",
                 "torch_dtype": "float32", "type_vocab_size": 2, "use_cache": true, "use_flash_attn": true,
                 "use_rms_norm": false, "use_xentropy": true, "vocab_size": %d}
                """.formatted(POSITIONS, C, H, I, L, THETA, V));
        Files.writeString(hfDir.resolve("tokenizer.json"), Fixtures.tokenizerJson("all-minilm-l6-v2"));
        gguf = tmp.resolve("tiny-nomic-f32.gguf");
        writeGguf(gguf);
        return new TinyModel("nomic-bert", hfDir, gguf, "i love you so much.");
    }

    static Map<String, float[][]> randomWeights() {
        Random r = new Random(1000);
        Map<String, float[][]> w = new LinkedHashMap<>();
        RandomTensors.put(w, "embeddings.word_embeddings.weight", r, 1.0, V, C);
        RandomTensors.put(w, "embeddings.token_type_embeddings.weight", r, 0.5, 2, C);
        RandomTensors.norm(w, "emb_ln", r, C);
        for (int l = 0; l < L; l++) {
            String p = "encoder.layers." + l + ".";
            RandomTensors.put(w, p + "attn.Wqkv.weight", r, 1 / Math.sqrt(C), 3 * C, C);
            RandomTensors.put(w, p + "attn.out_proj.weight", r, 1 / Math.sqrt(C), C, C);
            RandomTensors.norm(w, p + "norm1", r, C);
            RandomTensors.put(w, p + "mlp.fc11.weight", r, 1 / Math.sqrt(C), I, C);
            RandomTensors.put(w, p + "mlp.fc12.weight", r, 1 / Math.sqrt(C), I, C);
            RandomTensors.put(w, p + "mlp.fc2.weight", r, 1 / Math.sqrt(I), C, I);
            RandomTensors.norm(w, p + "norm2", r, C);
        }
        return w;
    }

    /** gguf-py's tensor_mapping.py names for nomic-bert, and the metadata convert_hf_to_gguf.py writes. */
    static String ggufName(String hf) {
        String n = hf.replaceFirst("^encoder\\.layers\\.(\\d+)\\.", "blk.$1.");
        String[][] map = {{"embeddings.word_embeddings", "token_embd"}, {"embeddings.token_type_embeddings", "token_types"},
            {"emb_ln", "token_embd_norm"}, {"attn.Wqkv", "attn_qkv"}, {"attn.out_proj", "attn_output"},
            {"norm1", "attn_output_norm"}, {"mlp.fc11", "ffn_up"}, {"mlp.fc12", "ffn_gate"}, {"mlp.fc2", "ffn_down"},
            {"norm2", "layer_output_norm"}};
        for (String[] m : map) {
            if (n.contains(m[0] + ".")) {
                return n.replace(m[0] + ".", m[1] + ".");
            }
        }
        throw new IllegalArgumentException(hf);
    }

    static void writeGguf(Path file) throws Exception {
        // The converter reads n_positions 8192 with max_trained_positions 2048 as a context of 2048.
        GgufWriter g = new GgufWriter(3).string("general.architecture", "nomic-bert").string("general.name", "tiny nomic")
                .u32("nomic-bert.context_length", POSITIONS).u32("nomic-bert.embedding_length", C)
                .u32("nomic-bert.feed_forward_length", I).u32("nomic-bert.block_count", L)
                .u32("nomic-bert.attention.head_count", H).f32("nomic-bert.attention.layer_norm_epsilon", 1e-12f)
                .bool("nomic-bert.attention.causal", false).u32("nomic-bert.pooling_type", 1)
                .f32("nomic-bert.rope.freq_base", (float) THETA);
        for (Map.Entry<String, float[][]> e : weights.entrySet()) {
            g.f32Tensor(ggufName(e.getKey()), RandomTensors.shape(e.getValue()), e.getValue()[1]);
        }
        GgufBertTest.wordPieceVocabulary(g);
        g.write(file);
    }

    static List<String> corpus() {
        List<String> texts = new ArrayList<>(List.of("search_query: I love you so much.", "search_document: 안녕하세요",
                "こんにちは", "你好", "@#%^&*()", "Hello, world!"));
        texts.addAll(Fixtures.brown(60));
        return texts;
    }

    @Test
    void theGgufEmbedsAsLlamaCppDoes() throws Exception {
        List<String> texts = corpus();
        double worst = LlamaCppBertTest.embedsAsLlamaCpp(gguf, texts, C);
        System.out.println("tiny NomicBERT GGUF against llama.cpp: " + texts.size() + " texts, worst cosine " + worst);
    }

    @Test
    void bothLayoutsGiveTheSameVectors() throws Exception {
        Embedder fromHf = Embedder.load(hfDir.toString());
        Embedder fromGguf = Embedder.load(gguf.toString());
        assertEquals("nomic_bert", fromHf.files().config().architecture());
        assertEquals(POSITIONS, fromHf.files().config().max_position_embeddings(), "trained positions, not n_positions");
        for (String text : corpus()) {
            assertArrayEquals(fromHf.embed(text), fromGguf.embed(text), 0f, "vector of: " + text);
        }
    }

    @Test
    void whatItDoesNotComputeIsRefusedByName() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("prenorm"));
        Files.copy(hfDir.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.copy(hfDir.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("config.json"), Files.readString(hfDir.resolve("config.json"))
                .replace("\"prenorm\": false", "\"prenorm\": true"));
        ModelException e = assertThrows(ModelException.class, () -> Embedder.load(dir.toString()));
        assertTrue(e.getMessage().contains("prenorm"), e.getMessage());
    }
}
