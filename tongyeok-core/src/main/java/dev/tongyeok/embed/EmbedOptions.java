package dev.tongyeok.embed;

import dev.tongyeok.model.Pooling;

/**
 * How to embed; null or 0 fields mean the model's default.
 *
 * @param pooling pooling, or null for the model's sentence-transformers default
 * @param normalize L2-normalize sentence vectors, or null for the model's default
 * @param prompt text put before every input (E5's {@code "query: "}), "" for none, or null for the
 *     model's default prompt (sentence-transformers' {@code default_prompt_name}; most models have none)
 * @param dimensions keep only the first n dimensions, then renormalize (Matryoshka); 0 keeps all
 * @param maxLength the token limit, special tokens included; 0 for the model's
 */
public record EmbedOptions(Pooling pooling, Boolean normalize, String prompt, int dimensions, int maxLength) {

    /** The model's defaults. */
    public static final EmbedOptions DEFAULTS = new EmbedOptions(null, null, null, 0, 0);

    /**
     * @throws IllegalArgumentException when dimensions or maxLength is negative
     */
    public EmbedOptions {
        if (dimensions < 0 || maxLength < 0) {
            throw new IllegalArgumentException("dimensions and max length must be >= 0, got " + dimensions + " and "
                    + maxLength);
        }
    }

    /** These options with another pooling. */
    public EmbedOptions withPooling(Pooling p) {
        return new EmbedOptions(p, normalize, prompt, dimensions, maxLength);
    }

    /** These options with normalization on or off. */
    public EmbedOptions withNormalize(Boolean n) {
        return new EmbedOptions(pooling, n, prompt, dimensions, maxLength);
    }

    /** These options with a prompt. */
    public EmbedOptions withPrompt(String p) {
        return new EmbedOptions(pooling, normalize, p, dimensions, maxLength);
    }

    /** These options keeping {@code n} dimensions. */
    public EmbedOptions withDimensions(int n) {
        return new EmbedOptions(pooling, normalize, prompt, n, maxLength);
    }

    /** These options with a token limit. */
    public EmbedOptions withMaxLength(int n) {
        return new EmbedOptions(pooling, normalize, prompt, dimensions, n);
    }
}
