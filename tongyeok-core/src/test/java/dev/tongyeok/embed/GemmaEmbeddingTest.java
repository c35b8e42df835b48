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
 * EmbeddingGemma from both layouts: a tiny random-weight model written as sentence-transformers
 * saves google/embeddinggemma-300m (config.json {@code gemma3_text} with bidirectional attention,
 * safetensors without a prefix, mean pooling, two {@code Dense} modules, Normalize) and as
 * llama.cpp's converter writes it with {@code --sentence-transformers-dense-modules} (GGUF
 * {@code gemma-embedding}: norm weights stored as 1 + weight, {@code dense_2}, {@code dense_3}).
 * Six layers (five sliding, the sixth full), grouped key/value heads, a window of 8 tokens that
 * sequences of up to 40 cross. The tokens are words {@code t0 … t63}, given to llama.cpp as ids.
 */
public class GemmaEmbeddingTest {
    static final int V = 64;
    static final int C = 64;
    static final int L = 6;
    static final int H = 2;
    static final int KV = 1;
    static final int D = 32;
    static final int I = 96;
    static final int WINDOW = 8;
    static final int DENSE = 128;

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
        Random r = new Random(300);
        Map<String, float[][]> w = new LinkedHashMap<>();
        RandomTensors.put(w, "embed_tokens.weight", r, 1.0, V, C);
        for (int l = 0; l < L; l++) {
            String p = "layers." + l + ".";
            gains(w, p + "input_layernorm", C, r);
            RandomTensors.put(w, p + "self_attn.q_proj.weight", r, 1 / Math.sqrt(C), H * D, C);
            RandomTensors.put(w, p + "self_attn.k_proj.weight", r, 1 / Math.sqrt(C), KV * D, C);
            RandomTensors.put(w, p + "self_attn.v_proj.weight", r, 1 / Math.sqrt(C), KV * D, C);
            gains(w, p + "self_attn.q_norm", D, r);
            gains(w, p + "self_attn.k_norm", D, r);
            RandomTensors.put(w, p + "self_attn.o_proj.weight", r, 1 / Math.sqrt(H * D), C, H * D);
            gains(w, p + "post_attention_layernorm", C, r);
            gains(w, p + "pre_feedforward_layernorm", C, r);
            RandomTensors.put(w, p + "mlp.gate_proj.weight", r, 1 / Math.sqrt(C), I, C);
            RandomTensors.put(w, p + "mlp.up_proj.weight", r, 1 / Math.sqrt(C), I, C);
            RandomTensors.put(w, p + "mlp.down_proj.weight", r, 1 / Math.sqrt(I), C, I);
            gains(w, p + "post_feedforward_layernorm", C, r);
        }
        gains(w, "norm", C, r);
        Map<String, float[][]> dense2 = new LinkedHashMap<>();
        RandomTensors.put(dense2, "linear.weight", r, 1 / Math.sqrt(C), DENSE, C);
        Map<String, float[][]> dense3 = new LinkedHashMap<>();
        RandomTensors.put(dense3, "linear.weight", r, 1 / Math.sqrt(DENSE), C, DENSE);

        hfDir = Files.createDirectories(tmp.resolve("tiny-embeddinggemma"));
        RandomTensors.write(hfDir.resolve("model.safetensors"), w);
        StringBuilder types = new StringBuilder();
        for (int l = 0; l < L; l++) {
            types.append(l == 0 ? "" : ", ").append((l + 1) % 6 == 0 ? "\"full_attention\"" : "\"sliding_attention\"");
        }
        // As embeddinggemma-300m's config.json spells it (smaller).
        Files.writeString(hfDir.resolve("config.json"), """
                {"architectures": ["Gemma3TextModel"], "model_type": "gemma3_text", "_sliding_window_pattern": 6,
                 "attention_bias": false, "attention_dropout": 0.0, "attn_logit_softcapping": null,
                 "final_logit_softcapping": null, "head_dim": %d, "hidden_activation": "gelu_pytorch_tanh",
                 "hidden_size": %d, "intermediate_size": %d, "layer_types": [%s], "max_position_embeddings": 2048,
                 "num_attention_heads": %d, "num_hidden_layers": %d, "num_key_value_heads": %d,
                 "query_pre_attn_scalar": %d, "rms_norm_eps": 1e-06, "rope_local_base_freq": 10000.0,
                 "rope_scaling": null, "rope_theta": 1000000.0, "sliding_window": %d,
                 "use_bidirectional_attention": true, "vocab_size": %d}
                """.formatted(D, C, I, types, H, L, KV, D, WINDOW, V));
        Files.writeString(hfDir.resolve("tokenizer.json"), ModernBertTest.words());
        Files.writeString(hfDir.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                 {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
                 {"idx": 3, "name": "3", "path": "3_Dense", "type": "sentence_transformers.models.Dense"},
                 {"idx": 4, "name": "4", "path": "4_Normalize", "type": "sentence_transformers.models.Normalize"}]
                """);
        Files.createDirectories(hfDir.resolve("1_Pooling"));
        Files.writeString(hfDir.resolve("1_Pooling/config.json"), """
                {"word_embedding_dimension": %d, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
                 "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false,
                 "pooling_mode_weightedmean_tokens": false, "pooling_mode_lasttoken": false, "include_prompt": true}
                """.formatted(C));
        for (String[] d : new String[][] {{"2_Dense", "" + C, "" + DENSE}, {"3_Dense", "" + DENSE, "" + C}}) {
            Path m = Files.createDirectories(hfDir.resolve(d[0]));
            Files.writeString(m.resolve("config.json"), "{\"in_features\": " + d[1] + ", \"out_features\": " + d[2]
                    + ", \"bias\": false, \"activation_function\": \"torch.nn.modules.linear.Identity\"}");
            RandomTensors.write(m.resolve("model.safetensors"), d[0].startsWith("2") ? dense2 : dense3);
        }

        Path dir = Files.createDirectories(tmp.resolve("gguf"));
        String a = "gemma-embedding.";
        GgufWriter g = new GgufWriter(3).string("general.architecture", "gemma-embedding").string("general.name", "tiny gemma")
                .u32(a + "context_length", 2048).u32(a + "embedding_length", C).u32(a + "block_count", L)
                .u32(a + "feed_forward_length", I).u32(a + "attention.head_count", H).u32(a + "attention.head_count_kv", KV)
                .u32(a + "attention.key_length", D).u32(a + "attention.value_length", D)
                .f32(a + "attention.layer_norm_rms_epsilon", 1e-6f).f32(a + "rope.freq_base", 1000000f)
                .f32(a + "rope.freq_base_swa", 10000f).u32(a + "attention.sliding_window", WINDOW)
                .u32(a + "pooling_type", 1).u32(a + "dense_2_feat_in", C).u32(a + "dense_2_feat_out", DENSE)
                .u32(a + "dense_3_feat_in", DENSE).u32(a + "dense_3_feat_out", C);
        for (Map.Entry<String, float[][]> e : w.entrySet()) {
            float[] data = e.getValue()[1];
            if (e.getKey().endsWith("norm.weight")) {
                // The converter stores Gemma's 1 + weight (Gemma3Model.modify_tensors).
                data = data.clone();
                for (int i = 0; i < data.length; i++) {
                    data[i] += 1f;
                }
            }
            g.f32Tensor(ggufName(e.getKey()), RandomTensors.shape(e.getValue()), data);
        }
        g.f32Tensor("dense_2.weight", new long[] {DENSE, C}, dense2.get("linear.weight")[1]);
        g.f32Tensor("dense_3.weight", new long[] {C, DENSE}, dense3.get("linear.weight")[1]);
        List<String> vocab = new ArrayList<>();
        for (int i = 0; i < V; i++) {
            vocab.add("t" + i);
        }
        g.string("tokenizer.ggml.model", "gpt2").string("tokenizer.ggml.pre", "default").strings("tokenizer.ggml.tokens", vocab)
                .ints("tokenizer.ggml.token_type", Collections.nCopies(V, 1)).strings("tokenizer.ggml.merges", List.of("t 1"))
                .u32("tokenizer.ggml.bos_token_id", 1).u32("tokenizer.ggml.eos_token_id", 2)
                .bool("tokenizer.ggml.add_bos_token", false);
        gguf = dir.resolve("model.gguf");
        g.write(gguf);
        Files.writeString(dir.resolve("tokenizer.json"), ModernBertTest.words());
        return new TinyModel("embeddinggemma", hfDir, gguf, "t3 t17 t42 t5");
    }

    // Gemma's norm weights are offsets from 1: small values around 0.
    static void gains(Map<String, float[][]> w, String name, int n, Random r) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) (0.1 * r.nextGaussian());
        }
        w.put(name + ".weight", new float[][] {{n}, g});
    }

    static String ggufName(String hf) {
        String n = hf.replaceFirst("^layers\\.(\\d+)\\.", "blk.$1.");
        String[][] map = {{"embed_tokens", "token_embd"}, {"input_layernorm", "attn_norm"}, {"self_attn.q_proj", "attn_q"},
            {"self_attn.k_proj", "attn_k"}, {"self_attn.v_proj", "attn_v"}, {"self_attn.o_proj", "attn_output"},
            {"self_attn.q_norm", "attn_q_norm"}, {"self_attn.k_norm", "attn_k_norm"},
            {"post_attention_layernorm", "post_attention_norm"}, {"pre_feedforward_layernorm", "ffn_norm"},
            {"mlp.gate_proj", "ffn_gate"}, {"mlp.up_proj", "ffn_up"}, {"mlp.down_proj", "ffn_down"},
            {"post_feedforward_layernorm", "post_ffw_norm"}, {"norm", "output_norm"}};
        for (String[] m : map) {
            if (n.equals(m[0] + ".weight") || n.contains("." + m[0] + ".") || n.startsWith(m[0] + ".")) {
                return n.replace(m[0] + ".", m[1] + ".");
            }
        }
        throw new IllegalArgumentException(hf);
    }

    @Test
    void theGgufEmbedsAsLlamaCppDoes() throws Exception {
        Embedder ours = Embedder.load(gguf.toString());
        List<Embedding> got = ours.embed(ModernBertTest.texts(), EmbedOptions.DEFAULTS);
        LlamaCpp.Answer theirs = LlamaCpp.run(LlamaCpp.Job.tokens(gguf, got.stream().map(e -> e.encoding().ids()).toList()));
        for (int i = 0; i < got.size(); i++) {
            assertEquals(C, theirs.tokens().get(i).length, "llama.cpp's vector after its dense layers");
            double cos = LlamaCpp.cosine(got.get(i).vector(), theirs.tokens().get(i));
            assertTrue(cos >= 0.99999, got.get(i).encoding().length() + " tokens: cosine " + cos + " with llama.cpp");
        }
    }

    @Test
    void bothLayoutsGiveTheSameVectors() throws Exception {
        Embedder fromHf = Embedder.load(hfDir.toString());
        Embedder fromGguf = Embedder.load(gguf.toString());
        assertEquals("gemma-embedding", fromHf.files().config().architecture());
        for (String text : ModernBertTest.texts()) {
            assertArrayEquals(fromHf.embed(text), fromGguf.embed(text), 0f, text);
        }
    }

    @Test
    void theDenseModulesAreApplied() throws Exception {
        // Without 2_Dense and 3_Dense the vector is the pooled hidden state: another direction.
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
            Files.copy(hfDir.resolve(f), bare.resolve(f));
        }
        String text = ModernBertTest.texts().get(4);
        double cos = LlamaCpp.cosine(Embedder.load(bare.toString()).embed(text), Embedder.load(hfDir.toString()).embed(text));
        assertTrue(cos < 0.9, "cosine " + cos);
    }

    @Test
    void byNameFromTheHubWithItsDenseModules() throws Exception {
        // The Hub's repository of the model, as google/embeddinggemma-300m lays it out (the modules' folders too).
        try (dev.tongyeok.hub.HubStandIn hub = new dev.tongyeok.hub.HubStandIn()) {
            hub.add("google/embeddinggemma-300m", hfDir, null);
            Path cache = Files.createDirectories(tmp.resolve("hub-cache"));
            dev.tongyeok.resolve.ModelSpec.useHub(new dev.tongyeok.hub.HubClient(new dev.tongyeok.hub.HubCache(cache),
                    hub.endpoint(), null, false, dev.tongyeok.hub.HubClient.Progress.NONE, n -> { }, 1));
            try {
                Embedder byName = Embedder.load("google/embeddinggemma-300m");
                assertTrue(hub.requestsFor("2_Dense/model.safetensors").size() > 0, "the Dense weights were fetched");
                for (String text : ModernBertTest.texts()) {
                    assertArrayEquals(Embedder.load(hfDir.toString()).embed(text), byName.embed(text), 0f, text);
                }
            } finally {
                dev.tongyeok.resolve.ModelSpec.useHub(null);
            }
        }
    }
}
