package dev.tongyeok.model;

import dev.tongyeok.load.BertConfig;
import dev.tongyeok.load.DecoderConfig;
import dev.tongyeok.load.ModelConfig;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.bert.BertModel;
import dev.tongyeok.model.falcon.FalconModel;
import dev.tongyeok.model.gpt2.Gpt2Model;
import dev.tongyeok.model.layer.Embedding;
import dev.tongyeok.model.llama.LlamaModel;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;

/** Builds the model family a configuration names. */
public final class Models {
    private Models() {}

    /**
     * The model {@code config} describes, from {@code weights}, with the default kernels.
     *
     * @throws dev.tongyeok.load.ModelException when a tensor is missing or disagrees with the configuration
     */
    public static Transformer load(WeightSource weights, ModelConfig config) {
        return load(weights, config, Ops.get());
    }

    /**
     * The token embedding table of the model {@code config} describes: a view into the weight file
     * that reads a row when it is looked up, whatever the rest of the file holds.
     *
     * @throws dev.tongyeok.load.ModelException when the table is missing or of another shape
     */
    public static Embedding tokenEmbeddings(WeightSource weights, ModelConfig config) {
        String name = switch (config.architecture()) {
            case "bert" -> "embeddings.word_embeddings.weight";
            case "gpt2" -> DecoderModel.prefix(weights, "wte.weight", "transformer.", "") + "wte.weight";
            case "falcon" -> DecoderModel.prefix(weights, "word_embeddings.weight", "transformer.", "") + "word_embeddings.weight";
            default -> DecoderModel.prefix(weights, "embed_tokens.weight", "model.", "") + "embed_tokens.weight";
        };
        return Embedding.load(weights, name, config.vocab_size(), config.hidden_size());
    }

    /** As {@link #load(WeightSource, ModelConfig)}, computing with {@code ops}. */
    public static Transformer load(WeightSource weights, ModelConfig config, TensorOps ops) {
        return switch (config) {
            case BertConfig b -> BertModel.load(weights, b, ops);
            case DecoderConfig d -> switch (d.architecture()) {
                case "gpt2" -> Gpt2Model.load(weights, d, ops);
                case "falcon" -> FalconModel.load(weights, d, ops);
                default -> LlamaModel.load(weights, d, ops);
            };
        };
    }
}
