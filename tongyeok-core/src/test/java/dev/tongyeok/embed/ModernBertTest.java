package dev.tongyeok.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.load.RandomTensors;
import dev.tongyeok.load.gguf.GgufWriter;
import dev.tongyeok.oracle.LlamaCpp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ModernBERT from both layouts: a tiny random-weight model written as transformers saves
 * {@code ModernBertForMaskedLM} (the {@code model.} prefix, no biases, layer 0 without an attention
 * norm) and as llama.cpp's converter writes it (GGUF {@code modern-bert} with its sliding window
 * and both rotary bases). Four layers, global every third, and a window of 8 tokens, so that
 * sequences of up to 40 tokens cross the window in the local layers. The tokens are words
 * {@code t0 … t63} (a word-level tokenizer.json beside both), which llama.cpp is given as ids.
 */
public class ModernBertTest {
    static final int V = 64;
    static final int C = 64;
    static final int L = 4;
    static final int H = 4;
    static final int I = 48;
    static final int WINDOW = 8;

    @TempDir
    static Path tmp;

    static Path hfDir;
    static Path gguf;

    @BeforeAll
    static void write() throws Exception {
        writeModels(tmp);
    }

    /** Writes the tiny model in both layouts under {@code tmp} (and sets this class's fields to them). */
    public static TinyModel writeModels(Path tmp) throws Exception {
        Random r = new Random(8192);
        Map<String, float[][]> w = new LinkedHashMap<>();
        RandomTensors.put(w, "model.embeddings.tok_embeddings.weight", r, 1.0, V, C);
        gains(w, "model.embeddings.norm", r);
        for (int l = 0; l < L; l++) {
            String p = "model.layers." + l + ".";
            if (l > 0) {
                gains(w, p + "attn_norm", r);
            }
            RandomTensors.put(w, p + "attn.Wqkv.weight", r, 1 / Math.sqrt(C), 3 * C, C);
            RandomTensors.put(w, p + "attn.Wo.weight", r, 1 / Math.sqrt(C), C, C);
            gains(w, p + "mlp_norm", r);
            RandomTensors.put(w, p + "mlp.Wi.weight", r, 1 / Math.sqrt(C), 2 * I, C);
            RandomTensors.put(w, p + "mlp.Wo.weight", r, 1 / Math.sqrt(I), C, I);
        }
        gains(w, "model.final_norm", r);
        hfDir = Files.createDirectories(tmp.resolve("tiny-modernbert"));
        RandomTensors.write(hfDir.resolve("model.safetensors"), w);
        Files.writeString(hfDir.resolve("config.json"), """
                {"architectures": ["ModernBertForMaskedLM"], "model_type": "modernbert", "attention_bias": false,
                 "attention_dropout": 0.0, "classifier_pooling": "mean", "global_attn_every_n_layers": 3,
                 "global_rope_theta": 160000.0, "hidden_activation": "gelu", "hidden_size": %d,
                 "intermediate_size": %d, "local_attention": %d, "local_rope_theta": 10000.0,
                 "max_position_embeddings": 8192, "mlp_bias": false, "norm_bias": false, "norm_eps": 1e-05,
                 "num_attention_heads": %d, "num_hidden_layers": %d, "vocab_size": %d}
                """.formatted(C, I, WINDOW, H, L, V));
        Files.writeString(hfDir.resolve("tokenizer.json"), words());

        Path dir = Files.createDirectories(tmp.resolve("gguf"));
        GgufWriter g = new GgufWriter(3).string("general.architecture", "modern-bert").string("general.name", "tiny modernbert")
                .u32("modern-bert.context_length", 8192).u32("modern-bert.embedding_length", C)
                .u32("modern-bert.feed_forward_length", I).u32("modern-bert.block_count", L)
                .u32("modern-bert.attention.head_count", H).f32("modern-bert.attention.layer_norm_epsilon", 1e-5f)
                .bool("modern-bert.attention.causal", false).u32("modern-bert.pooling_type", 1)
                .f32("modern-bert.rope.freq_base", 160000f).f32("modern-bert.rope.freq_base_swa", 10000f)
                .u32("modern-bert.attention.sliding_window", WINDOW).u32("modern-bert.attention.sliding_window_pattern", 3)
                .string("modern-bert.hidden_activation", "gelu");
        for (Map.Entry<String, float[][]> e : w.entrySet()) {
            g.f32Tensor(ggufName(e.getKey()), RandomTensors.shape(e.getValue()), e.getValue()[1]);
        }
        List<String> vocab = new ArrayList<>();
        for (int i = 0; i < V; i++) {
            vocab.add("t" + i);
        }
        g.string("tokenizer.ggml.model", "gpt2").string("tokenizer.ggml.pre", "modern-bert").strings("tokenizer.ggml.tokens", vocab)
                .ints("tokenizer.ggml.token_type", Collections.nCopies(V, 1)).strings("tokenizer.ggml.merges", List.of("t 1"))
                .u32("tokenizer.ggml.bos_token_id", 1).u32("tokenizer.ggml.eos_token_id", 2)
                .bool("tokenizer.ggml.add_bos_token", false);
        gguf = dir.resolve("model.gguf");
        g.write(gguf);
        Files.writeString(dir.resolve("tokenizer.json"), words());
        return new TinyModel("modernbert", hfDir, gguf, "t3 t17 t42 t5");
    }

    static void gains(Map<String, float[][]> w, String name, Random r) {
        float[] g = new float[C];
        for (int i = 0; i < C; i++) {
            g[i] = (float) (1 + 0.1 * r.nextGaussian());
        }
        w.put(name + ".weight", new float[][] {{C}, g});
    }

    static String ggufName(String hf) {
        String n = hf.replaceFirst("^model\\.", "").replaceFirst("^layers\\.(\\d+)\\.", "blk.$1.");
        String[][] map = {{"embeddings.tok_embeddings", "token_embd"}, {"embeddings.norm", "token_embd_norm"},
            {"final_norm", "output_norm"}, {"attn_norm", "attn_norm"}, {"attn.Wqkv", "attn_qkv"}, {"attn.Wo", "attn_output"},
            {"mlp_norm", "ffn_norm"}, {"mlp.Wi", "ffn_up"}, {"mlp.Wo", "ffn_down"}};
        for (String[] m : map) {
            if (n.contains(m[0] + ".")) {
                return n.replace(m[0] + ".", m[1] + ".");
            }
        }
        throw new IllegalArgumentException(hf);
    }

    /** A word-level tokenizer.json: t0 … t63, split at whitespace. */
    static String words() {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < V; i++) {
            v.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":").append(i);
        }
        return "{\"version\":\"1.0\",\"added_tokens\":[],\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"WhitespaceSplit\"},"
                + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + v
                + "},\"unk_token\":\"t0\"}}";
    }

    static List<String> texts() {
        Random r = new Random(5);
        List<String> texts = new ArrayList<>();
        for (int n : new int[] {1, 3, 5, 9, 17, 23, 40}) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : " ").append('t').append(r.nextInt(V));
            }
            texts.add(b.toString());
        }
        return texts;
    }

    @Test
    void theGgufEmbedsAsLlamaCppDoes() throws Exception {
        Embedder ours = Embedder.load(gguf.toString());
        List<Embedding> got = ours.embed(texts(), EmbedOptions.DEFAULTS);
        LlamaCpp.Answer theirs = LlamaCpp.run(LlamaCpp.Job.tokens(gguf, got.stream().map(e -> e.encoding().ids()).toList()));
        for (int i = 0; i < got.size(); i++) {
            double cos = LlamaCpp.cosine(got.get(i).vector(), theirs.tokens().get(i));
            assertTrue(cos >= 0.99999, got.get(i).encoding().length() + " tokens: cosine " + cos + " with llama.cpp");
        }
    }

    @Test
    void bothLayoutsGiveTheSameVectors() throws Exception {
        Embedder fromHf = Embedder.load(hfDir.toString());
        Embedder fromGguf = Embedder.load(gguf.toString());
        assertEquals("modernbert", fromHf.files().config().architecture());
        for (String text : texts()) {
            assertArrayEquals(fromHf.embed(text), fromGguf.embed(text), 0f, text);
        }
    }
}
