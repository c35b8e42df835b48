package dev.tongyeok.model.gte;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongyeok.load.ConfigJson;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.load.gguf.GgufLayout;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.family.ModelFamily;
import dev.tongyeok.model.layer.EmbeddingTable;
import dev.tongyeok.model.layer.RopeScaling;
import dev.tongyeok.tensor.ops.TensorOps;
import java.util.Set;

/**
 * GTE's {@code NewModel} ({@code config.json} {@code model_type: new}). llama.cpp has no such
 * architecture, so there is no GGUF form. CLS pooling unless the model's files say otherwise (the
 * GTE v1.5 models pool the first token).
 */
public final class GteFamily implements ModelFamily {
    @Override
    public String name() {
        return "new";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("new");
    }

    @Override
    public Set<String> ggufArchitectures() {
        return Set.of();
    }

    @Override
    public boolean builds(ModelConfig config) {
        return config instanceof GteConfig;
    }

    @Override
    public GteConfig config(ConfigJson c) {
        // What NewModel can be configured to do and this one does not: refuse, naming the key.
        String positions = c.string("position_embedding_type", "rope");
        if (!positions.equals("rope")) {
            throw c.error("GTE with position_embedding_type '" + positions + "' is not supported (rope is)");
        }
        String norm = c.string("layer_norm_type", "layer_norm");
        if (!norm.equals("layer_norm")) {
            throw c.error("GTE with layer_norm_type '" + norm + "' is not supported (layer_norm is)");
        }
        if (c.bool("logn_attention_scale", false)) {
            throw c.error("GTE with logn_attention_scale: true is not supported");
        }
        if (!c.bool("pack_qkv", true)) {
            throw c.error("GTE with pack_qkv: false is not supported (one qkv_proj is)");
        }
        String act = c.string("hidden_act", "gelu");
        if (!act.equals("gelu")) {
            throw c.error("GTE with hidden_act '" + act + "' is not supported (gelu is)");
        }
        RopeScaling scaling = null;
        JsonNode s = c.root().path("rope_scaling");
        if (s.isObject()) {
            String type = s.path("type").asText("");
            if (!type.equals("ntk") || !s.path("mixed_b").isMissingNode() && !s.path("mixed_b").isNull()) {
                throw c.error("rope_scaling " + s + " is not supported (fixed ntk scaling without mixed_b is)");
            }
            scaling = new RopeScaling("ntk", s.path("factor").asDouble(1), 0, 0, 0);
        }
        return new GteConfig(c.integer("vocab_size", -1), c.integer("hidden_size", -1), c.integer("num_hidden_layers", -1),
                c.integer("num_attention_heads", -1), c.integer("intermediate_size", -1),
                c.integer("max_position_embeddings", 8192), c.integer("type_vocab_size", 0), c.number("layer_norm_eps", 1e-12),
                c.number("rope_theta", 10000), scaling);
    }

    @Override
    public ModelConfig config(GgufFile file) {
        throw new ModelException(file.path().getFileName() + ": llama.cpp has no GTE (NewModel) architecture");
    }

    @Override
    public GgufLayout ggufLayout(GgufFile file) {
        throw new ModelException(file.path().getFileName() + ": llama.cpp has no GTE (NewModel) architecture");
    }

    @Override
    public Pooling defaultPooling() {
        return Pooling.CLS;
    }

    @Override
    public Transformer build(WeightSource weights, ModelConfig config, TensorOps ops) {
        return GteModel.load(weights, (GteConfig) config, ops);
    }

    @Override
    public EmbeddingTable tokenEmbeddings(WeightSource weights, ModelConfig config) {
        String p = weights.find(GteModel.TOKEN_TABLE).isPresent() ? "" : "new.";
        return EmbeddingTable.load(weights, p + GteModel.TOKEN_TABLE, config.vocab_size(), config.hidden_size());
    }
}
