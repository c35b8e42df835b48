package dev.tongyeok.model.gemma;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongyeok.load.ConfigJson;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.load.gguf.GgufLayout;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.family.ModelFamily;
import dev.tongyeok.model.layer.EmbeddingTable;
import dev.tongyeok.tensor.ops.TensorOps;
import java.util.Map;
import java.util.Set;

/**
 * EmbeddingGemma ({@code config.json} {@code model_type: gemma3_text} with
 * {@code use_bidirectional_attention: true}; GGUF {@code gemma-embedding}). Mean pooling unless
 * the model's files say otherwise; the sentence-transformers {@code Dense} modules after pooling
 * and the task prompts come from its files like any model's.
 */
public final class GemmaEmbeddingFamily implements ModelFamily {
    // gguf-py tensor_mapping.py and llama-arch.cpp's names, read backwards for EmbeddingGemma (its checkpoint has no
    // "model." prefix).
    private static final GgufLayout LAYOUT = GgufLayout.blocks("layers.", Map.ofEntries(
            Map.entry("attn_norm", "input_layernorm"),
            Map.entry("attn_q", "self_attn.q_proj"),
            Map.entry("attn_k", "self_attn.k_proj"),
            Map.entry("attn_v", "self_attn.v_proj"),
            Map.entry("attn_output", "self_attn.o_proj"),
            Map.entry("attn_q_norm", "self_attn.q_norm"),
            Map.entry("attn_k_norm", "self_attn.k_norm"),
            Map.entry("post_attention_norm", "post_attention_layernorm"),
            Map.entry("ffn_norm", "pre_feedforward_layernorm"),
            Map.entry("ffn_gate", "mlp.gate_proj"),
            Map.entry("ffn_up", "mlp.up_proj"),
            Map.entry("ffn_down", "mlp.down_proj"),
            Map.entry("post_ffw_norm", "post_feedforward_layernorm")), Map.of(
            "token_embd.weight", GemmaEmbeddingModel.TOKEN_TABLE,
            "output_norm.weight", "norm.weight"));

    @Override
    public String name() {
        return "gemma-embedding";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("gemma3_text");
    }

    @Override
    public Set<String> ggufArchitectures() {
        return Set.of("gemma-embedding");
    }

    @Override
    public boolean builds(ModelConfig config) {
        return config instanceof GemmaEmbeddingConfig;
    }

    @Override
    public GemmaEmbeddingConfig config(ConfigJson c) {
        if (!c.bool("use_bidirectional_attention", false)) {
            throw c.error("gemma3_text without use_bidirectional_attention: true is a causal Gemma 3, which is not "
                    + "supported (EmbeddingGemma is)");
        }
        if (!c.isNull("attn_logit_softcapping") && c.has("attn_logit_softcapping")) {
            throw c.error("attn_logit_softcapping is not supported");
        }
        if (c.has("rope_scaling") && !c.isNull("rope_scaling")) {
            throw c.error("rope_scaling is not supported for EmbeddingGemma");
        }
        int L = c.integer("num_hidden_layers", -1);
        boolean[] sliding = new boolean[Math.max(0, L)];
        JsonNode types = c.root().path("layer_types");
        if (types.isArray()) {
            sliding = new boolean[types.size()];
            for (int l = 0; l < sliding.length; l++) {
                String t = types.get(l).asText("");
                if (!t.equals("sliding_attention") && !t.equals("full_attention")) {
                    throw c.error("layer_types[" + l + "] '" + t + "' is not sliding_attention or full_attention");
                }
                sliding[l] = t.equals("sliding_attention");
            }
        } else {
            int pattern = c.integer("sliding_window_pattern", c.integer("_sliding_window_pattern", 6));
            for (int l = 0; l < sliding.length; l++) {
                sliding[l] = (l + 1) % pattern != 0;
            }
        }
        int D = c.integer("head_dim", 256);
        return new GemmaEmbeddingConfig(c.integer("vocab_size", -1), c.integer("hidden_size", -1), L,
                c.integer("num_attention_heads", -1), c.integer("num_key_value_heads", -1), D,
                c.integer("intermediate_size", -1), c.integer("max_position_embeddings", 2048),
                c.number("rms_norm_eps", 1e-6), c.number("rope_theta", 1000000), c.number("rope_local_base_freq", 10000),
                c.integer("sliding_window", 512), sliding, c.number("query_pre_attn_scalar", D), 1f);
    }

    @Override
    public GemmaEmbeddingConfig config(GgufFile f) {
        String a = "gemma-embedding.";
        int L = (int) f.integer(a + "block_count");
        int pattern = (int) f.integer(a + "attention.sliding_window_pattern", 6);
        boolean[] sliding = new boolean[L];
        for (int l = 0; l < L; l++) {
            sliding[l] = (l + 1) % pattern != 0; // llama.cpp's set_swa_pattern: the last layer of each period is full
        }
        int H = (int) f.integer(a + "attention.head_count");
        int C = (int) f.integer(a + "embedding_length");
        int D = (int) f.integer(a + "attention.key_length", C / H);
        double global = f.number(a + "rope.freq_base", 1000000);
        return new GemmaEmbeddingConfig(f.tokenEmbeddingRows(), C, L, H, (int) f.integer(a + "attention.head_count_kv", H), D,
                (int) f.integer(a + "feed_forward_length"), (int) f.integer(a + "context_length"),
                f.number(a + "attention.layer_norm_rms_epsilon", 1e-6), global, f.number(a + "rope.freq_base_swa", 10000),
                (int) f.integer(a + "attention.sliding_window"), sliding, D, 0f);
    }

    @Override
    public GgufLayout ggufLayout(GgufFile file) {
        return LAYOUT;
    }

    @Override
    public Pooling defaultPooling() {
        return Pooling.MEAN;
    }

    @Override
    public Transformer build(WeightSource weights, ModelConfig config, TensorOps ops) {
        return GemmaEmbeddingModel.load(weights, (GemmaEmbeddingConfig) config, ops);
    }

    @Override
    public EmbeddingTable tokenEmbeddings(WeightSource weights, ModelConfig config) {
        String p = weights.find(GemmaEmbeddingModel.TOKEN_TABLE).isPresent() ? "" : "model.";
        return EmbeddingTable.load(weights, p + GemmaEmbeddingModel.TOKEN_TABLE, config.vocab_size(), config.hidden_size());
    }
}
