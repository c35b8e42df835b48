package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.SplitBehavior;
import dev.tongyeok.tokenize.SplitPattern;

/** Splits on a string or regex with a delimiter behaviour, optionally inverted, as HF's {@code Split}. */
public record Split(SplitPattern pattern, SplitBehavior behavior, boolean invert) implements PreTokenizer {
    @Override
    public void preTokenize(PreTokenizedString s) {
        SplitPattern p = invert ? pattern.invert() : pattern;
        s.split(n -> n.split(p, behavior));
    }
}
