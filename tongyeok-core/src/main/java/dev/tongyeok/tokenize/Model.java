package dev.tongyeok.tokenize;

import java.util.List;
import java.util.Map;

/** The tokenization model: cuts one pre-tokenized piece into vocabulary tokens (HF's {@code Model}). */
public interface Model {

    /**
     * Cuts {@code sequence} into tokens, offsets relative to it.
     *
     * @throws TokenizerException when the model cannot represent the text (no unknown token)
     */
    List<Token> tokenize(String sequence);

    /** The id of {@code token}, or -1 when it is not in the vocabulary. */
    int tokenToId(String token);

    /** The token with id {@code id}, or null. */
    String idToToken(int id);

    /** The number of entries in the vocabulary. */
    int vocabSize();

    /** The vocabulary as token to id. */
    Map<String, Integer> vocab();

    /**
     * The token that stands for text the vocabulary cannot represent ({@code [UNK]}, {@code <unk>}),
     * or null when the model has none.
     */
    default String unknownToken() {
        return null;
    }
}
