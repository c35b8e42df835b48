package dev.tongyeok.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.load.RandomTensors;
import dev.tongyeok.load.gguf.GgufWriter;
import dev.tongyeok.oracle.LlamaCpp;
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
 * JinaBERT v2 (jina-embeddings-v2) from both layouts: a tiny random-weight model written as jina's
 * checkpoints are (config.json with {@code model_type: bert} and {@code architectures:
 * JinaBertModel}, safetensors with {@code mlp.gated_layers}, the BERT WordPiece tokenizer) and as
 * llama.cpp's converter writes it (GGUF {@code jina-bert-v2}). llama.cpp, which runs it with its
 * own ALiBi and GEGLU, is the oracle. Six heads, not a power of two, so that ALiBi's interpolated
 * slopes are exercised.
 */
public class JinaBertTest {
    static final int C = 96;
    static final int L = 2;
    static final int H = 6;
    static final int I = 80;
    static final int V = 30522;
    static final int POSITIONS = 8192;

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
        hfDir = Files.createDirectories(tmp.resolve("tiny-jina"));
        RandomTensors.write(hfDir.resolve("model.safetensors"), weights);
        // As jina-embeddings-v2-small-en's config.json spells it.
        Files.writeString(hfDir.resolve("config.json"), """
                {"architectures": ["JinaBertForMaskedLM"], "model_type": "bert", "attention_probs_dropout_prob": 0.0,
                 "attn_implementation": null, "classifier_dropout": null, "emb_pooler": "mean",
                 "feed_forward_type": "geglu", "gradient_checkpointing": false, "hidden_act": "gelu",
                 "hidden_dropout_prob": 0.1, "hidden_size": %d, "initializer_range": 0.02, "intermediate_size": %d,
                 "layer_norm_eps": 1e-12, "max_position_embeddings": %d, "num_attention_heads": %d,
                 "num_hidden_layers": %d, "pad_token_id": 0, "position_embedding_type": "alibi",
                 "torch_dtype": "float32", "type_vocab_size": 2, "use_cache": true, "vocab_size": %d}
                """.formatted(C, I, POSITIONS, H, L, V));
        Files.writeString(hfDir.resolve("tokenizer.json"), Fixtures.tokenizerJson("all-minilm-l6-v2"));
        gguf = tmp.resolve("tiny-jina-f32.gguf");
        writeGguf(gguf);
        return new TinyModel("jina-bert-v2", hfDir, gguf, "i love you so much.");
    }

    static Map<String, float[][]> randomWeights() {
        Random r = new Random(2);
        Map<String, float[][]> w = new LinkedHashMap<>();
        RandomTensors.put(w, "embeddings.word_embeddings.weight", r, 1.0, V, C);
        RandomTensors.put(w, "embeddings.token_type_embeddings.weight", r, 0.5, 2, C);
        RandomTensors.norm(w, "embeddings.LayerNorm", r, C);
        for (int l = 0; l < L; l++) {
            String p = "encoder.layer." + l + ".";
            for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense"}) {
                RandomTensors.put(w, p + m + ".weight", r, 1 / Math.sqrt(C), C, C);
                RandomTensors.put(w, p + m + ".bias", r, 0.1, C);
            }
            RandomTensors.norm(w, p + "attention.output.LayerNorm", r, C);
            RandomTensors.put(w, p + "mlp.gated_layers.weight", r, 1 / Math.sqrt(C), 2 * I, C);
            RandomTensors.put(w, p + "mlp.wo.weight", r, 1 / Math.sqrt(I), C, I);
            RandomTensors.put(w, p + "mlp.wo.bias", r, 0.1, C);
            RandomTensors.norm(w, p + "mlp.layernorm", r, C);
        }
        return w;
    }

    /** gguf-py's tensor_mapping.py names for jina-bert-v2, and the metadata convert_hf_to_gguf.py writes. */
    static String ggufName(String hf) {
        String n = hf.replaceFirst("^encoder\\.layer\\.(\\d+)\\.", "blk.$1.");
        String[][] map = {{"embeddings.word_embeddings", "token_embd"}, {"embeddings.token_type_embeddings", "token_types"},
            {"embeddings.LayerNorm", "token_embd_norm"}, {"attention.self.query", "attn_q"}, {"attention.self.key", "attn_k"},
            {"attention.self.value", "attn_v"}, {"attention.output.dense", "attn_output"},
            {"attention.output.LayerNorm", "attn_output_norm"}, {"mlp.gated_layers", "ffn_up"}, {"mlp.wo", "ffn_down"},
            {"mlp.layernorm", "layer_output_norm"}};
        for (String[] m : map) {
            if (n.contains(m[0] + ".")) {
                return n.replace(m[0] + ".", m[1] + ".");
            }
        }
        throw new IllegalArgumentException(hf);
    }

    static void writeGguf(Path file) throws Exception {
        GgufWriter g = new GgufWriter(3).string("general.architecture", "jina-bert-v2").string("general.name", "tiny jina")
                .u32("jina-bert-v2.context_length", POSITIONS).u32("jina-bert-v2.embedding_length", C)
                .u32("jina-bert-v2.feed_forward_length", I).u32("jina-bert-v2.block_count", L)
                .u32("jina-bert-v2.attention.head_count", H).f32("jina-bert-v2.attention.layer_norm_epsilon", 1e-12f)
                .bool("jina-bert-v2.attention.causal", false).u32("jina-bert-v2.pooling_type", 1);
        for (Map.Entry<String, float[][]> e : weights.entrySet()) {
            g.f32Tensor(ggufName(e.getKey()), RandomTensors.shape(e.getValue()), e.getValue()[1]);
        }
        GgufBertTest.wordPieceVocabulary(g);
        g.write(file);
    }

    static List<String> corpus() {
        List<String> texts = new ArrayList<>(List.of("I love you so much.", "안녕하세요",
                "こんにちは", "你好", "@#%^&*()", "Hello, world!"));
        texts.addAll(Fixtures.brown(60));
        return texts;
    }

    @Test
    void theGgufEmbedsAsLlamaCppDoes() throws Exception {
        List<String> texts = corpus();
        double worst = LlamaCppBertTest.embedsAsLlamaCpp(gguf, texts, C);
        System.out.println("tiny JinaBERT GGUF against llama.cpp: " + texts.size() + " texts, worst cosine " + worst);
    }

    @Test
    void bothLayoutsGiveTheSameVectors() throws Exception {
        Embedder fromHf = Embedder.load(hfDir.toString());
        Embedder fromGguf = Embedder.load(gguf.toString());
        assertEquals("jina-bert-v2", fromHf.files().config().architecture());
        assertEquals(POSITIONS, fromHf.files().config().max_position_embeddings());
        for (String text : corpus()) {
            assertArrayEquals(fromHf.embed(text), fromGguf.embed(text), 0f, "vector of: " + text);
        }
    }

    @Test
    void aLongTextSeesAlibiFarApart() throws Exception {
        // Over 1,000 tokens: ALiBi's biases reach -m_h * 1499 and every head's slope matters.
        String text = String.join(" ", Fixtures.brown(60));
        Embedder ours = Embedder.load(gguf.toString());
        Embedding e = ours.embed(List.of(text), EmbedOptions.DEFAULTS).get(0);
        int n = e.encoding().ids().length;
        assertTrue(n > 1000 && n < 2048, n + " tokens");
        LlamaCpp.Answer theirs = LlamaCpp.run(LlamaCpp.Job.tokens(gguf, List.of(e.encoding().ids())));
        double cos = LlamaCpp.cosine(e.vector(), theirs.tokens().get(0));
        assertTrue(cos >= 0.99999, "cosine " + cos);
    }
}
