package dev.tongyeok.model.modernbert;

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
 * ModernBERT ({@code config.json} {@code model_type: modernbert}, GGUF {@code modern-bert}). Mean
 * pooling unless the model's files say otherwise (gte-modernbert-base's say CLS).
 */
public final class ModernBertFamily implements ModelFamily {
    // gguf-py tensor_mapping.py, read backwards for ModernBertModel (the converter drops "model.").
    private static final GgufLayout LAYOUT = GgufLayout.blocks("layers.", Map.of(
            "attn_norm", "attn_norm",
            "attn_qkv", "attn.Wqkv",
            "attn_output", "attn.Wo",
            "ffn_norm", "mlp_norm",
            "ffn_up", "mlp.Wi",
            "ffn_down", "mlp.Wo"), Map.of(
            "token_embd.weight", ModernBertModel.TOKEN_TABLE,
            "token_embd_norm.weight", "embeddings.norm.weight",
            "output_norm.weight", "final_norm.weight"));

    @Override
    public String name() {
        return "modernbert";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("modernbert");
    }

    @Override
    public Set<String> ggufArchitectures() {
        return Set.of("modern-bert");
    }

    @Override
    public boolean builds(ModelConfig config) {
        return config instanceof ModernBertConfig;
    }

    @Override
    public ModernBertConfig config(ConfigJson c) {
        if (c.bool("norm_bias", false)) {
            throw c.error("ModernBERT with norm_bias: true is not supported (LayerNorms without bias are)");
        }
        return new ModernBertConfig(c.integer("vocab_size", -1), c.integer("hidden_size", -1),
                c.integer("num_hidden_layers", -1), c.integer("num_attention_heads", -1),
                c.integer("intermediate_size", -1), c.integer("max_position_embeddings", 8192), c.number("norm_eps", 1e-5),
                c.number("global_rope_theta", 160000), c.number("local_rope_theta", 10000),
                c.integer("local_attention", 128), c.integer("global_attn_every_n_layers", 3),
                c.string("hidden_activation", "gelu"));
    }

    @Override
    public ModernBertConfig config(GgufFile f) {
        double global = f.number("modern-bert.rope.freq_base", 160000);
        int window = (int) f.integer("modern-bert.attention.sliding_window", 0);
        return new ModernBertConfig(f.tokenEmbeddingRows(), (int) f.integer("modern-bert.embedding_length"),
                (int) f.integer("modern-bert.block_count"), (int) f.integer("modern-bert.attention.head_count"),
                (int) f.integer("modern-bert.feed_forward_length"), (int) f.integer("modern-bert.context_length"),
                f.number("modern-bert.attention.layer_norm_epsilon", 1e-5), global,
                f.number("modern-bert.rope.freq_base_swa", global), window > 0 ? window : Integer.MAX_VALUE / 2,
                window > 0 ? (int) f.integer("modern-bert.attention.sliding_window_pattern", 3) : 1,
                f.string("modern-bert.hidden_activation", "gelu"));
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
        return ModernBertModel.load(weights, (ModernBertConfig) config, ops);
    }

    @Override
    public EmbeddingTable tokenEmbeddings(WeightSource weights, ModelConfig config) {
        String p = weights.find(ModernBertModel.TOKEN_TABLE).isPresent() ? "" : "model.";
        return EmbeddingTable.load(weights, p + ModernBertModel.TOKEN_TABLE, config.vocab_size(), config.hidden_size());
    }
}
