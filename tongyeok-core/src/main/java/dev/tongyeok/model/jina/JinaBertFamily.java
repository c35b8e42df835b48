package dev.tongyeok.model.jina;

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
 * JinaBERT v2: its {@code config.json} says {@code model_type: bert}, told apart from BERT by
 * {@code architectures} ({@code JinaBertModel}, {@code JinaBertForMaskedLM}); GGUF
 * {@code jina-bert-v2}. Mean pooling unless the model's files say otherwise.
 */
public final class JinaBertFamily implements ModelFamily {
    // gguf-py tensor_mapping.py, read backwards for JinaBertModel.
    private static final GgufLayout LAYOUT = GgufLayout.blocks("encoder.layer.", Map.of(
            "attn_q", "attention.self.query",
            "attn_k", "attention.self.key",
            "attn_v", "attention.self.value",
            "attn_q_norm", "attention.self.layer_norm_q",
            "attn_k_norm", "attention.self.layer_norm_k",
            "attn_output", "attention.output.dense",
            "attn_output_norm", "attention.output.LayerNorm",
            "ffn_up", "mlp.gated_layers",
            "ffn_down", "mlp.wo",
            "layer_output_norm", "mlp.layernorm"), Map.of(
            "token_embd.weight", JinaBertModel.TOKEN_TABLE,
            "token_types.weight", "embeddings.token_type_embeddings.weight",
            "token_embd_norm.weight", "embeddings.LayerNorm.weight",
            "token_embd_norm.bias", "embeddings.LayerNorm.bias"));

    @Override
    public String name() {
        return "jina-bert-v2";
    }

    /** None of its own: it shares BERT's, see {@link #reads}. */
    @Override
    public Set<String> modelTypes() {
        return Set.of();
    }

    @Override
    public boolean reads(ConfigJson json) {
        return json.modelType("bert").equals("bert") && json.architectures().stream().anyMatch(a -> a.startsWith("JinaBert"));
    }

    @Override
    public Set<String> ggufArchitectures() {
        return Set.of("jina-bert-v2");
    }

    @Override
    public boolean builds(ModelConfig config) {
        return config instanceof JinaBertConfig;
    }

    @Override
    public JinaBertConfig config(ConfigJson c) {
        String positions = c.string("position_embedding_type", "alibi");
        if (!positions.equals("alibi")) {
            throw c.error("JinaBERT with position_embedding_type '" + positions + "' is not supported (alibi is)");
        }
        return new JinaBertConfig(c.integer("vocab_size", -1), c.integer("hidden_size", -1),
                c.integer("num_hidden_layers", -1), c.integer("num_attention_heads", -1),
                c.integer("intermediate_size", -1), c.integer("max_position_embeddings", 8192),
                c.integer("type_vocab_size", 2), c.number("layer_norm_eps", 1e-12),
                c.string("feed_forward_type", "geglu"));
    }

    @Override
    public JinaBertConfig config(GgufFile f) {
        var types = f.tensors().get("token_types.weight");
        int I = (int) f.integer("jina-bert-v2.feed_forward_length");
        var up = f.tensors().get("blk.0.ffn_up.weight");
        if (up != null && up.dim(0) != 2L * I) {
            throw new dev.tongyeok.load.ModelException(f.path().getFileName() + ": blk.0.ffn_up.weight has " + up.dim(0)
                    + " rows; a gated feed-forward of feed_forward_length " + I + " has " + 2 * I
                    + " (separate up and gate tensors are not supported)");
        }
        return new JinaBertConfig(f.tokenEmbeddingRows(), (int) f.integer("jina-bert-v2.embedding_length"),
                (int) f.integer("jina-bert-v2.block_count"), (int) f.integer("jina-bert-v2.attention.head_count"), I,
                (int) f.integer("jina-bert-v2.context_length"), types == null ? 0 : (int) types.dim(0),
                f.number("jina-bert-v2.attention.layer_norm_epsilon", 1e-12), "geglu");
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
        return JinaBertModel.load(weights, (JinaBertConfig) config, ops);
    }

    @Override
    public EmbeddingTable tokenEmbeddings(WeightSource weights, ModelConfig config) {
        return EmbeddingTable.load(weights, JinaBertModel.TOKEN_TABLE, config.vocab_size(), config.hidden_size());
    }
}
