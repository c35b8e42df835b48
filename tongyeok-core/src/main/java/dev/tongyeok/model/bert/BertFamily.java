package dev.tongyeok.model.bert;

import dev.tongyeok.load.ConfigJson;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.load.gguf.GgufLayout;
import dev.tongyeok.load.onnx.OnnxWeights;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.family.ModelFamily;
import dev.tongyeok.model.layer.EmbeddingTable;
import dev.tongyeok.tensor.ops.TensorOps;
import java.util.Map;
import java.util.Set;

/**
 * BERT encoders (HF transformers' {@code BertModel}; GGUF {@code bert}, as llama.cpp's converter
 * writes {@code BertModel} checkpoints): MiniLM, BGE, E5 and every sentence-transformers model on
 * BERT layers. Also RoBERTa, XLM-RoBERTa and CamemBERT ({@code roberta}, {@code xlm-roberta},
 * {@code camembert}: BAAI/bge-m3, the multilingual E5 models), whose layers are BERT's and whose
 * positions start after the padding index; llama.cpp's converter writes them as GGUF {@code bert}
 * with the position table cut to start at the first token. Mean pooling unless the model's files
 * say otherwise.
 */
public final class BertFamily implements ModelFamily {
    private static final String TOKEN_EMBEDDINGS = "embeddings.word_embeddings.weight";

    // gguf-py tensor_mapping.py, read backwards for BertModel.
    private static final GgufLayout LAYOUT = GgufLayout.blocks("encoder.layer.", Map.of(
            "attn_q", "attention.self.query",
            "attn_k", "attention.self.key",
            "attn_v", "attention.self.value",
            "attn_output", "attention.output.dense",
            "attn_output_norm", "attention.output.LayerNorm",
            "ffn_up", "intermediate.dense",
            "ffn_down", "output.dense",
            "layer_output_norm", "output.LayerNorm"), Map.of(
            "token_embd.weight", TOKEN_EMBEDDINGS,
            "position_embd.weight", "embeddings.position_embeddings.weight",
            "token_types.weight", "embeddings.token_type_embeddings.weight",
            "token_embd_norm.weight", "embeddings.LayerNorm.weight",
            "token_embd_norm.bias", "embeddings.LayerNorm.bias"));

    @Override
    public String name() {
        return "bert";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("bert", "roberta", "xlm-roberta", "camembert");
    }

    /** A {@code bert} config.json, unless its architectures are JinaBERT's (another family, same model_type). */
    @Override
    public boolean reads(ConfigJson json) {
        return ModelFamily.super.reads(json) && json.architectures().stream().noneMatch(a -> a.startsWith("JinaBert"));
    }

    @Override
    public Set<String> ggufArchitectures() {
        return Set.of("bert");
    }

    @Override
    public boolean builds(ModelConfig config) {
        return config instanceof BertConfig;
    }

    @Override
    public BertConfig config(ConfigJson c) {
        // RoBERTa's position ids are padding_idx + 1 + i (transformers' create_position_ids_from_input_ids).
        boolean roberta = !c.string("model_type", "bert").equals("bert");
        int offset = roberta ? c.integer("pad_token_id", 1) + 1 : 0;
        int rows = c.integer("max_position_embeddings", roberta ? 514 : 512);
        if (rows <= offset) {
            throw c.error("max_position_embeddings " + rows + " leaves no position after pad_token_id " + (offset - 1));
        }
        return new BertConfig(c.integer("vocab_size", -1), c.integer("hidden_size", -1),
                c.integer("num_hidden_layers", -1), c.integer("num_attention_heads", -1),
                c.integer("intermediate_size", -1), c.string("hidden_act", "gelu"),
                rows - offset, c.integer("type_vocab_size", roberta ? 1 : 2),
                c.number("layer_norm_eps", 1e-12), offset);
    }

    @Override
    public BertConfig config(GgufFile f) {
        var types = f.tensors().get("token_types.weight");
        return new BertConfig(f.tokenEmbeddingRows(), (int) f.integer("bert.embedding_length"),
                (int) f.integer("bert.block_count"), (int) f.integer("bert.attention.head_count"),
                (int) f.integer("bert.feed_forward_length"), "gelu", (int) f.integer("bert.context_length"),
                types == null ? 0 : (int) types.dim(0), f.number("bert.attention.layer_norm_epsilon", 1e-12));
    }

    @Override
    public GgufLayout ggufLayout(GgufFile file) {
        return LAYOUT;
    }

    /** The sizes of a BERT encoder exported to ONNX, read from its initializers and graph. */
    @Override
    public BertConfig config(OnnxWeights onnx) {
        OnnxWeights.EncoderShape s = onnx.encoderShape();
        return new BertConfig(s.vocab(), s.hidden(), s.layers(), s.heads(), s.intermediate(), s.activation(),
                s.positions(), s.tokenTypes(), s.layerNormEps());
    }

    @Override
    public Pooling defaultPooling() {
        return Pooling.MEAN;
    }

    @Override
    public Transformer build(WeightSource weights, ModelConfig config, TensorOps ops) {
        return BertModel.load(weights, (BertConfig) config, ops);
    }

    @Override
    public EmbeddingTable tokenEmbeddings(WeightSource weights, ModelConfig config) {
        return EmbeddingTable.load(weights, TOKEN_EMBEDDINGS, config.vocab_size(), config.hidden_size());
    }

}
