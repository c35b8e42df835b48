package dev.tongyeok.model.modernbert;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.model.ModelConfig;

/**
 * A ModernBERT configuration, keys as its {@code config.json} spells them.
 *
 * @param vocab_size rows of the token embedding table
 * @param hidden_size C
 * @param num_hidden_layers layers
 * @param num_attention_heads H
 * @param intermediate_size I, the GLU's width ({@code Wi} projects to 2I)
 * @param max_position_embeddings the longest sequence
 * @param norm_eps the LayerNorm epsilon
 * @param global_rope_theta the rotary base of global layers
 * @param local_rope_theta the rotary base of local layers
 * @param local_attention the local layers' window, in tokens (a token sees half of it each side)
 * @param global_attn_every_n_layers layer l is global when l is a multiple of this
 * @param hidden_activation {@code gelu} (GeGLU) or {@code silu} (SwiGLU)
 */
public record ModernBertConfig(int vocab_size, int hidden_size, int num_hidden_layers, int num_attention_heads,
        int intermediate_size, int max_position_embeddings, double norm_eps, double global_rope_theta,
        double local_rope_theta, int local_attention, int global_attn_every_n_layers, String hidden_activation)
        implements ModelConfig {

    /** @throws ModelException when the numbers cannot describe a ModernBERT model */
    public ModernBertConfig {
        if (vocab_size <= 0 || hidden_size <= 0 || num_hidden_layers <= 0 || num_attention_heads <= 0
                || intermediate_size <= 0 || max_position_embeddings <= 0 || local_attention < 2
                || global_attn_every_n_layers <= 0) {
            throw new ModelException("config: ModernBERT sizes must be positive, found vocab_size=" + vocab_size
                    + " hidden_size=" + hidden_size + " num_hidden_layers=" + num_hidden_layers + " num_attention_heads="
                    + num_attention_heads + " intermediate_size=" + intermediate_size + " local_attention=" + local_attention
                    + " global_attn_every_n_layers=" + global_attn_every_n_layers);
        }
        if (hidden_size % num_attention_heads != 0 || (hidden_size / num_attention_heads) % 2 != 0) {
            throw new ModelException("config: hidden_size " + hidden_size + " is not num_attention_heads "
                    + num_attention_heads + " heads of an even width");
        }
        if (!hidden_activation.equals("gelu") && !hidden_activation.equals("silu")) {
            throw new ModelException("config: hidden_activation '" + hidden_activation
                    + "' is not supported (gelu, silu)");
        }
    }

    @Override
    public String architecture() {
        return "modernbert";
    }

    /** The width of one attention head. */
    public int headSize() {
        return hidden_size / num_attention_heads;
    }

    /** Whether layer {@code l} attends globally (else within the local window). */
    public boolean global(int l) {
        return l % global_attn_every_n_layers == 0;
    }
}
