package dev.tongyeok.model.jina;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.model.ModelConfig;

/**
 * A JinaBERT v2 configuration, keys as its {@code config.json} spells them.
 *
 * @param vocab_size rows of the token embedding table
 * @param hidden_size C
 * @param num_hidden_layers encoder layers
 * @param num_attention_heads H
 * @param intermediate_size I, the width of the gated feed-forward (its fused projection has 2I rows)
 * @param max_position_embeddings the longest sequence (ALiBi has no table; the model was trained to this)
 * @param type_vocab_size rows of the token type table (0: none)
 * @param layer_norm_eps the LayerNorm epsilon
 * @param gate {@code geglu} (GELU on the gate) or {@code reglu} (ReLU)
 */
public record JinaBertConfig(int vocab_size, int hidden_size, int num_hidden_layers, int num_attention_heads,
        int intermediate_size, int max_position_embeddings, int type_vocab_size, double layer_norm_eps, String gate)
        implements ModelConfig {

    /** @throws ModelException when the numbers cannot describe a JinaBERT model */
    public JinaBertConfig {
        if (vocab_size <= 0 || hidden_size <= 0 || num_hidden_layers <= 0 || num_attention_heads <= 0
                || intermediate_size <= 0 || max_position_embeddings <= 0 || type_vocab_size < 0) {
            throw new ModelException("config: JinaBERT sizes must be positive, found vocab_size=" + vocab_size
                    + " hidden_size=" + hidden_size + " num_hidden_layers=" + num_hidden_layers + " num_attention_heads="
                    + num_attention_heads + " intermediate_size=" + intermediate_size);
        }
        if (hidden_size % num_attention_heads != 0) {
            throw new ModelException("config: hidden_size " + hidden_size + " is not a multiple of num_attention_heads "
                    + num_attention_heads);
        }
        if (!gate.equals("geglu") && !gate.equals("reglu")) {
            throw new ModelException("config: feed_forward_type '" + gate + "' is not supported (geglu, reglu)");
        }
    }

    @Override
    public String architecture() {
        return "jina-bert-v2";
    }

    /** The width of one attention head. */
    public int headSize() {
        return hidden_size / num_attention_heads;
    }
}
