package dev.tongyeok.tokenize;

/** Splits normalized text into the pieces the model sees (HF's {@code PreTokenizer}). Implementations are immutable. */
@FunctionalInterface
public interface PreTokenizer {
    /** Splits the pieces of {@code s} further. */
    void preTokenize(PreTokenizedString s);
}
