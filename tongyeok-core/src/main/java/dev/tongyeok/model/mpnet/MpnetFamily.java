package dev.tongyeok.model.mpnet;

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
import dev.tongyeok.tensor.ops.TensorOps;
import java.util.Set;

/**
 * MPNet ({@code config.json} {@code model_type: mpnet}). llama.cpp has no MPNet architecture, so
 * there is no GGUF form. Mean pooling unless the model's files say otherwise.
 */
public final class MpnetFamily implements ModelFamily {
    @Override
    public String name() {
        return "mpnet";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("mpnet");
    }

    @Override
    public Set<String> ggufArchitectures() {
        return Set.of();
    }

    @Override
    public boolean builds(ModelConfig config) {
        return config instanceof MpnetConfig;
    }

    @Override
    public MpnetConfig config(ConfigJson c) {
        int offset = c.integer("pad_token_id", 1) + 1;
        int rows = c.integer("max_position_embeddings", 514);
        if (rows <= offset) {
            throw c.error("max_position_embeddings " + rows + " leaves no position after pad_token_id " + (offset - 1));
        }
        String act = c.string("hidden_act", "gelu");
        if (!act.equals("gelu")) {
            throw c.error("MPNet with hidden_act '" + act + "' is not supported (gelu is)");
        }
        return new MpnetConfig(c.integer("vocab_size", -1), c.integer("hidden_size", -1), c.integer("num_hidden_layers", -1),
                c.integer("num_attention_heads", -1), c.integer("intermediate_size", -1), rows - offset,
                c.number("layer_norm_eps", 1e-5), c.integer("relative_attention_num_buckets", 32), offset);
    }

    @Override
    public ModelConfig config(GgufFile file) {
        throw new ModelException(file.path().getFileName() + ": llama.cpp has no MPNet architecture");
    }

    @Override
    public GgufLayout ggufLayout(GgufFile file) {
        throw new ModelException(file.path().getFileName() + ": llama.cpp has no MPNet architecture");
    }

    @Override
    public Pooling defaultPooling() {
        return Pooling.MEAN;
    }

    @Override
    public Transformer build(WeightSource weights, ModelConfig config, TensorOps ops) {
        return MpnetModel.load(weights, (MpnetConfig) config, ops);
    }

    @Override
    public EmbeddingTable tokenEmbeddings(WeightSource weights, ModelConfig config) {
        String p = weights.find(MpnetModel.TOKEN_TABLE).isPresent() ? "" : "mpnet.";
        return EmbeddingTable.load(weights, p + MpnetModel.TOKEN_TABLE, config.vocab_size(), config.hidden_size());
    }
}
