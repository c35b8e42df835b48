package dev.tongyeok.tokenize;

/** Rewrites text before it is split, keeping alignments (HF's {@code Normalizer}). Implementations are immutable. */
@FunctionalInterface
public interface Normalizer {
    /** Normalizes {@code s} in place. */
    void normalize(NormalizedString s);
}
