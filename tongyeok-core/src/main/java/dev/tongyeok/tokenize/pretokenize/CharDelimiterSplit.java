package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.SplitBehavior;
import dev.tongyeok.tokenize.SplitPattern;

/** Splits on one delimiter character, which is removed, as HF's {@code CharDelimiterSplit}. */
public record CharDelimiterSplit(int delimiter) implements PreTokenizer {
    @Override
    public void preTokenize(PreTokenizedString s) {
        SplitPattern p = SplitPattern.ofChars(c -> c == delimiter);
        s.split(n -> n.split(p, SplitBehavior.REMOVED));
    }
}
