package dev.tongyeok.model.mpnet;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.model.ModelConfig;

/**
 * An MPNet configuration, keys as its {@code config.json} spells them.
 *
 * @param vocab_size rows of the token embedding table
 * @param hidden_size C
 * @param num_hidden_layers layers
 * @param num_attention_heads H
 * @param intermediate_size I
 * @param max_position_embeddings the longest sequence: rows of the position table past the padding index
 * @param layer_norm_eps the LayerNorm epsilon
 * @param relative_attention_num_buckets rows of the relative-position bias table
 * @param position_offset the position table row of the first token ({@code pad_token_id + 1})
 */
public record MpnetConfig(int vocab_size, int hidden_size, int num_hidden_layers, int num_attention_heads,
        int intermediate_size, int max_position_embeddings, double layer_norm_eps, int relative_attention_num_buckets,
        int position_offset) implements ModelConfig {

    /** @throws ModelException when the numbers cannot describe an MPNet model */
    public MpnetConfig {
        if (vocab_size <= 0 || hidden_size <= 0 || num_hidden_layers <= 0 || num_attention_heads <= 0
                || intermediate_size <= 0 || max_position_embeddings <= 0 || relative_attention_num_buckets < 4
                || relative_attention_num_buckets % 4 != 0 || position_offset < 0) {
            throw new ModelException("config: MPNet sizes must be positive (relative_attention_num_buckets a multiple "
                    + "of 4), found vocab_size=" + vocab_size + " hidden_size=" + hidden_size + " num_hidden_layers="
                    + num_hidden_layers + " num_attention_heads=" + num_attention_heads + " intermediate_size="
                    + intermediate_size + " relative_attention_num_buckets=" + relative_attention_num_buckets);
        }
        if (hidden_size % num_attention_heads != 0) {
            throw new ModelException("config: hidden_size " + hidden_size + " is not a multiple of num_attention_heads "
                    + num_attention_heads);
        }
    }

    @Override
    public String architecture() {
        return "mpnet";
    }

    /** The width of one attention head. */
    public int headSize() {
        return hidden_size / num_attention_heads;
    }
}
