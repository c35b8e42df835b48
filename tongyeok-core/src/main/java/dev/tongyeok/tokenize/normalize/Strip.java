package dev.tongyeok.tokenize.normalize;

import dev.tongyeok.tokenize.NormalizedString;
import dev.tongyeok.tokenize.Normalizer;

/** Removes whitespace at the start and/or end, as HF's {@code Strip}. */
public record Strip(boolean stripLeft, boolean stripRight) implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        if (stripLeft && stripRight) {
            s.strip(true, true);
        } else {
            if (stripLeft) {
                s.strip(true, false);
            }
            if (stripRight) {
                s.strip(false, true);
            }
        }
    }
}
