package dev.tongyeok.model.nomic;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.model.ModelConfig;

/**
 * A NomicBERT configuration ({@code config.json} keys {@code n_embd}, {@code n_layer},
 * {@code n_head}, {@code n_inner}, {@code rotary_emb_base}, …, under the names
 * {@link ModelConfig} gives them).
 *
 * @param vocab_size rows of the token embedding table
 * @param hidden_size C ({@code n_embd})
 * @param num_hidden_layers {@code n_layer}
 * @param num_attention_heads H ({@code n_head})
 * @param intermediate_size I ({@code n_inner}), the SwiGLU's width
 * @param max_position_embeddings the longest sequence: the positions the model was trained on
 *     ({@code max_trained_positions}, at most {@code n_positions}), as llama.cpp's converter reads it
 * @param type_vocab_size rows of the token type table (0: none)
 * @param layer_norm_eps the LayerNorm epsilon ({@code layer_norm_epsilon})
 * @param rope_theta the rotary base ({@code rotary_emb_base})
 */
public record NomicBertConfig(int vocab_size, int hidden_size, int num_hidden_layers, int num_attention_heads,
        int intermediate_size, int max_position_embeddings, int type_vocab_size, double layer_norm_eps,
        double rope_theta) implements ModelConfig {

    /** @throws ModelException when the numbers cannot describe a NomicBERT model */
    public NomicBertConfig {
        if (vocab_size <= 0 || hidden_size <= 0 || num_hidden_layers <= 0 || num_attention_heads <= 0
                || intermediate_size <= 0 || max_position_embeddings <= 0 || type_vocab_size < 0 || rope_theta <= 0) {
            throw new ModelException("config: NomicBERT sizes must be positive, found vocab_size=" + vocab_size
                    + " n_embd=" + hidden_size + " n_layer=" + num_hidden_layers + " n_head=" + num_attention_heads
                    + " n_inner=" + intermediate_size + " positions=" + max_position_embeddings);
        }
        if (hidden_size % num_attention_heads != 0 || (hidden_size / num_attention_heads) % 2 != 0) {
            throw new ModelException("config: n_embd " + hidden_size + " is not n_head " + num_attention_heads
                    + " heads of an even width");
        }
    }

    @Override
    public String architecture() {
        return "nomic_bert";
    }

    /** The width of one attention head. */
    public int headSize() {
        return hidden_size / num_attention_heads;
    }
}
