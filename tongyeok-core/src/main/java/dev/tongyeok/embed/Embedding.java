package dev.tongyeok.embed;

import dev.tongyeok.model.Pooling;
import dev.tongyeok.tokenize.Encoding;

/**
 * The result for one text.
 *
 * @param encoding the tokens the model saw (after truncation), with offsets into the text it was given
 *     (prompt included)
 * @param vector the sentence vector, or null with {@link Pooling#NONE}
 * @param tokenVectors one vector per token with {@link Pooling#NONE}, else null
 * @param originalTokens how many tokens the text had before truncation, special tokens included
 * @param keptChars how many UTF-16 chars of the input (prompt included) the kept tokens cover when it was cut (from the end, or with left truncation from the start); equal to
 *     its length when nothing was cut
 */
public record Embedding(Encoding encoding, float[] vector, float[][] tokenVectors, int originalTokens, int keptChars) {

    /** Whether the text was longer than the model's limit and lost tokens. */
    public boolean truncated() {
        return originalTokens > encoding.length();
    }
}
