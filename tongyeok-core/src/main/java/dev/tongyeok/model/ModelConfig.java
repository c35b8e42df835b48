package dev.tongyeok.model;

/**
 * The sizes every transformer has, whatever its family: an encoder
 * ({@link dev.tongyeok.model.bert.BertConfig}) or a decoder
 * ({@link dev.tongyeok.model.decoder.DecoderConfig}). Accessors are spelled as config.json spells
 * them. Each family ({@code dev.tongyeok.model.family.ModelFamily}) reads its own.
 */
public interface ModelConfig {
    /**
     * The architecture as the files name it: {@code bert}, {@code nomic_bert}, {@code llama},
     * {@code qwen2}, {@code qwen3}, {@code gpt2}, {@code falcon}.
     */
    String architecture();

    /** Rows of the token embedding table. */
    int vocab_size();

    /** C, the width of every hidden state and of the output vectors. */
    int hidden_size();

    /** The number of transformer layers. */
    int num_hidden_layers();

    /** The number of attention heads (query heads for grouped-query attention). */
    int num_attention_heads();

    /** The longest sequence the model takes, in tokens. */
    int max_position_embeddings();
}
