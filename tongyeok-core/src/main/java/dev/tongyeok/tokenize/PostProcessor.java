package dev.tongyeok.tokenize;

import java.util.List;

/** Adds the model's special tokens around encoded sequences (HF's {@code PostProcessor}). Implementations are immutable. */
public interface PostProcessor {

    /** How many special tokens {@link #process} adds for a single sequence or a pair. */
    int addedTokens(boolean pair);

    /**
     * Processes one or two encodings (sequence ids and type ids already set to 0 and 1), as HF's
     * {@code process_encodings}.
     */
    List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens);
}
