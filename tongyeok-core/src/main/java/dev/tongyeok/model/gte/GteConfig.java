package dev.tongyeok.model.gte;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.layer.RopeScaling;

/**
 * A GTE {@code NewModel} configuration, keys as its {@code config.json} spells them.
 *
 * @param vocab_size rows of the token embedding table
 * @param hidden_size C
 * @param num_hidden_layers layers
 * @param num_attention_heads H
 * @param intermediate_size I, the GLU's width ({@code up_gate_proj} projects to 2I)
 * @param max_position_embeddings the longest sequence
 * @param type_vocab_size rows of the token type table (0: none)
 * @param layer_norm_eps the LayerNorm epsilon
 * @param rope_theta the rotary base
 * @param rope_scaling {@code ntk} scaling, or null
 */
public record GteConfig(int vocab_size, int hidden_size, int num_hidden_layers, int num_attention_heads,
        int intermediate_size, int max_position_embeddings, int type_vocab_size, double layer_norm_eps, double rope_theta,
        RopeScaling rope_scaling) implements ModelConfig {

    /** @throws ModelException when the numbers cannot describe a GTE model */
    public GteConfig {
        if (vocab_size <= 0 || hidden_size <= 0 || num_hidden_layers <= 0 || num_attention_heads <= 0
                || intermediate_size <= 0 || max_position_embeddings <= 0 || type_vocab_size < 0 || rope_theta <= 0) {
            throw new ModelException("config: GTE sizes must be positive, found vocab_size=" + vocab_size + " hidden_size="
                    + hidden_size + " num_hidden_layers=" + num_hidden_layers + " num_attention_heads=" + num_attention_heads
                    + " intermediate_size=" + intermediate_size);
        }
        if (hidden_size % num_attention_heads != 0 || (hidden_size / num_attention_heads) % 2 != 0) {
            throw new ModelException("config: hidden_size " + hidden_size + " is not num_attention_heads "
                    + num_attention_heads + " heads of an even width");
        }
    }

    @Override
    public String architecture() {
        return "new";
    }

    /** The width of one attention head. */
    public int headSize() {
        return hidden_size / num_attention_heads;
    }
}
