package dev.tongyeok.tokenize.normalize;

import dev.tongyeok.tokenize.NormalizedString;
import dev.tongyeok.tokenize.Normalizer;

/** Full lowercase mapping of each character, as HF's {@code Lowercase}. */
public record Lowercase() implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        s.lowercase();
    }
}
