package dev.tongyeok.model.nomic;

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
 * NomicBERT ({@code config.json} {@code model_type: nomic_bert}, GGUF {@code nomic-bert}):
 * nomic-embed-text v1 and v1.5. Mean pooling unless the model's files say otherwise; the models
 * expect a task prefix ({@code search_query: }, {@code search_document: }) that their
 * sentence-transformers files name.
 */
public final class NomicBertFamily implements ModelFamily {
    // gguf-py tensor_mapping.py, read backwards for NomicBertModel.
    private static final GgufLayout LAYOUT = GgufLayout.blocks("encoder.layers.", Map.of(
            "attn_qkv", "attn.Wqkv",
            "attn_output", "attn.out_proj",
            "attn_output_norm", "norm1",
            "ffn_up", "mlp.fc11",
            "ffn_gate", "mlp.fc12",
            "ffn_down", "mlp.fc2",
            "layer_output_norm", "norm2"), Map.of(
            "token_embd.weight", NomicBertModel.TOKEN_TABLE,
            "token_types.weight", "embeddings.token_type_embeddings.weight",
            "token_embd_norm.weight", "emb_ln.weight",
            "token_embd_norm.bias", "emb_ln.bias"));

    @Override
    public String name() {
        return "nomic_bert";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("nomic_bert");
    }

    @Override
    public Set<String> ggufArchitectures() {
        return Set.of("nomic-bert");
    }

    @Override
    public boolean builds(ModelConfig config) {
        return config instanceof NomicBertConfig;
    }

    @Override
    public NomicBertConfig config(ConfigJson c) {
        // What nomic's NomicBertModel can be configured to do and this one does not: refuse, naming the key.
        if (c.bool("prenorm", false)) {
            throw c.error("NomicBERT with prenorm: true is not supported (post-norm is)");
        }
        if (c.bool("rotary_emb_interleaved", false)) {
            throw c.error("NomicBERT with rotary_emb_interleaved: true is not supported (rotate_half is)");
        }
        if (c.number("rotary_emb_fraction", 1.0) != 1.0) {
            throw c.error("NomicBERT with rotary_emb_fraction other than 1.0 is not supported");
        }
        String act = c.string("activation_function", "swiglu");
        if (!act.equals("swiglu")) {
            throw c.error("NomicBERT with activation_function '" + act + "' is not supported (swiglu is; "
                    + "nomic-embed-text-v2-moe's experts are not)");
        }
        if (c.has("moe_every_n_layers") && c.integer("moe_every_n_layers", 0) > 0) {
            throw c.error("NomicBERT with mixture-of-experts layers (moe_every_n_layers) is not supported");
        }
        int positions = c.integer("n_positions", 2048);
        return new NomicBertConfig(c.integer("vocab_size", -1), c.integer("n_embd", -1), c.integer("n_layer", -1),
                c.integer("n_head", -1), c.integer("n_inner", 4 * c.integer("n_embd", 0)),
                Math.min(positions, c.integer("max_trained_positions", positions)), c.integer("type_vocab_size", 2),
                c.number("layer_norm_epsilon", 1e-12), c.number("rotary_emb_base", 10000));
    }

    @Override
    public NomicBertConfig config(GgufFile f) {
        var types = f.tensors().get("token_types.weight");
        return new NomicBertConfig(f.tokenEmbeddingRows(), (int) f.integer("nomic-bert.embedding_length"),
                (int) f.integer("nomic-bert.block_count"), (int) f.integer("nomic-bert.attention.head_count"),
                (int) f.integer("nomic-bert.feed_forward_length"), (int) f.integer("nomic-bert.context_length"),
                types == null ? 0 : (int) types.dim(0), f.number("nomic-bert.attention.layer_norm_epsilon", 1e-12),
                f.number("nomic-bert.rope.freq_base", 10000));
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
        return NomicBertModel.load(weights, (NomicBertConfig) config, ops);
    }

    @Override
    public EmbeddingTable tokenEmbeddings(WeightSource weights, ModelConfig config) {
        return EmbeddingTable.load(weights, NomicBertModel.TOKEN_TABLE, config.vocab_size(), config.hidden_size());
    }
}
