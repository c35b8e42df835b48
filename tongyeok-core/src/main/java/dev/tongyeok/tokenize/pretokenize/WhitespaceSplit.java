package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.SplitBehavior;
import dev.tongyeok.tokenize.SplitPattern;
import dev.tongyeok.tokenize.unicode.Ucd;

/** Splits on whitespace, which is removed, as HF's {@code WhitespaceSplit}. */
public record WhitespaceSplit() implements PreTokenizer {
    private static final SplitPattern WHITESPACE = SplitPattern.ofChars(Ucd::isWhitespace);

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.split(n -> n.split(WHITESPACE, SplitBehavior.REMOVED));
    }
}
