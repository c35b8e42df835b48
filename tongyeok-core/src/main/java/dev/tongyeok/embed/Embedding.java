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

    /**
     * The cosine similarity of this sentence vector and {@code other}'s, computed in double (1 for
     * the same direction; for normalized vectors, their dot product).
     *
     * @throws IllegalArgumentException when either has no sentence vector, or their lengths differ
     */
    public double cosine(Embedding other) {
        if (vector == null || other.vector == null) {
            throw new IllegalArgumentException("cosine needs sentence vectors (these are token vectors: pooling NONE)");
        }
        if (vector.length != other.vector.length) {
            throw new IllegalArgumentException("vectors of " + vector.length + " and " + other.vector.length
                    + " dimensions");
        }
        double dot = 0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < vector.length; i++) {
            dot += (double) vector[i] * other.vector[i];
            a += (double) vector[i] * vector[i];
            b += (double) other.vector[i] * other.vector[i];
        }
        return a == 0 || b == 0 ? 0 : dot / Math.sqrt(a * b);
    }

    /** {@code Embedding[8 tokens, 384 dims: 0.0418, -0.0198, 0.0211, …]}: the shape and the first values, for people. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Embedding[").append(encoding.length()).append(" tokens");
        if (vector == null) {
            return s.append(", ").append(tokenVectors == null ? 0 : tokenVectors.length).append(" token vectors]")
                    .toString();
        }
        s.append(", ").append(vector.length).append(" dims: ");
        for (int i = 0; i < Math.min(3, vector.length); i++) {
            s.append(String.format(java.util.Locale.ROOT, "%.4f", vector[i])).append(", ");
        }
        return s.append(vector.length > 3 ? "…]" : "]").toString().replace(", ]", "]");
    }
}
