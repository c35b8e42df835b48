package dev.tongyeok.embed;

import dev.tongyeok.model.Pooling;
import dev.tongyeok.tokenize.Encoding;
import java.util.List;

/**
 * Everything the model computed for one text, for people to look at.
 *
 * @param encoding the tokens, with offsets into the text
 * @param staticEmbeddings each token's row of the token embedding table (T, C): the "embedding
 *     matrix" before position, type, LayerNorm and attention
 * @param hiddenStates num_hidden_layers + 1 matrices of (T, C): index 0 is the embeddings' output,
 *     index l the output of layer l
 * @param attentions [layer][head] → (T, T) attention probabilities, rows summing to 1
 * @param vector the pooled sentence vector under the options given, or null with {@link Pooling#NONE}
 * @param originalTokens how many tokens the text had before truncation, special tokens included
 * @param keptChars the input was cut after this many UTF-16 chars (prompt included), as in {@link Embedding}
 */
public record Inspection(Encoding encoding, float[][] staticEmbeddings, List<float[][]> hiddenStates,
        float[][][][] attentions, float[] vector, int originalTokens, int keptChars) {

    /** Whether the text was longer than the model's limit and lost tokens. */
    public boolean truncated() {
        return originalTokens > encoding.length();
    }

    /** T, the number of tokens. */
    public int tokens() {
        return encoding.length();
    }

    /** The number of encoder layers. */
    public int layers() {
        return attentions.length;
    }

    /** The number of attention heads. */
    public int heads() {
        return attentions.length == 0 ? 0 : attentions[0].length;
    }
}
