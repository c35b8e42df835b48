package dev.tongyeok.model.gemma;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.model.ModelConfig;

/**
 * An EmbeddingGemma configuration, keys as its {@code config.json} spells them.
 *
 * @param vocab_size rows of the token embedding table
 * @param hidden_size C
 * @param num_hidden_layers layers
 * @param num_attention_heads H
 * @param num_key_value_heads KV
 * @param head_dim D
 * @param intermediate_size I
 * @param max_position_embeddings the longest sequence
 * @param rms_norm_eps the RMSNorm epsilon
 * @param rope_theta the rotary base of full-attention layers
 * @param rope_local_base_freq the rotary base of sliding-window layers
 * @param sliding_window the window of sliding layers as config.json gives it: a token sees
 *     {@code sliding_window / 2} tokens each side
 * @param sliding whether each layer attends within the window
 * @param query_pre_attn_scalar scores are scaled by its inverse square root
 * @param norm_shift what the stored norm weights lack of Gemma's 1 + weight: 1 from a checkpoint,
 *     0 from GGUF (the converter adds it)
 */
public record GemmaEmbeddingConfig(int vocab_size, int hidden_size, int num_hidden_layers, int num_attention_heads,
        int num_key_value_heads, int head_dim, int intermediate_size, int max_position_embeddings, double rms_norm_eps,
        double rope_theta, double rope_local_base_freq, int sliding_window, boolean[] sliding,
        double query_pre_attn_scalar, float norm_shift) implements ModelConfig {

    /** @throws ModelException when the numbers cannot describe the model */
    public GemmaEmbeddingConfig {
        if (vocab_size <= 0 || hidden_size <= 0 || num_hidden_layers <= 0 || num_attention_heads <= 0
                || num_key_value_heads <= 0 || head_dim <= 0 || head_dim % 2 != 0 || intermediate_size <= 0
                || max_position_embeddings <= 0 || sliding_window < 2 || query_pre_attn_scalar <= 0) {
            throw new ModelException("config: EmbeddingGemma sizes must be positive, found vocab_size=" + vocab_size
                    + " hidden_size=" + hidden_size + " num_hidden_layers=" + num_hidden_layers + " num_attention_heads="
                    + num_attention_heads + " num_key_value_heads=" + num_key_value_heads + " head_dim=" + head_dim
                    + " intermediate_size=" + intermediate_size + " sliding_window=" + sliding_window);
        }
        if (num_attention_heads % num_key_value_heads != 0) {
            throw new ModelException("config: num_attention_heads " + num_attention_heads
                    + " is not a multiple of num_key_value_heads " + num_key_value_heads);
        }
        if (sliding.length != num_hidden_layers) {
            throw new ModelException("config: layer_types has " + sliding.length + " entries for " + num_hidden_layers
                    + " layers");
        }
        sliding = sliding.clone();
    }

    @Override
    public boolean[] sliding() {
        return sliding.clone();
    }

    /** Whether layer {@code l} attends within the sliding window. */
    public boolean slides(int l) {
        return sliding[l];
    }

    @Override
    public String architecture() {
        return "gemma-embedding";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GemmaEmbeddingConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "GemmaEmbeddingConfig[" + vocab_size + ", " + hidden_size + ", " + num_hidden_layers + ", "
                + num_attention_heads + ", " + num_key_value_heads + ", " + head_dim + ", " + intermediate_size + ", "
                + max_position_embeddings + ", " + rms_norm_eps + ", " + rope_theta + ", " + rope_local_base_freq + ", "
                + sliding_window + ", " + java.util.Arrays.toString(sliding) + ", " + query_pre_attn_scalar + ", "
                + norm_shift + "]";
    }
}
