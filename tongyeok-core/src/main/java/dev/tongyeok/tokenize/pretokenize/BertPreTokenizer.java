package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.SplitBehavior;
import dev.tongyeok.tokenize.SplitPattern;
import dev.tongyeok.tokenize.unicode.Ucd;

/** Splits on whitespace (removed) and punctuation (isolated), as HF's {@code BertPreTokenizer}. */
public record BertPreTokenizer() implements PreTokenizer {
    private static final SplitPattern WHITESPACE = SplitPattern.ofChars(Ucd::isWhitespace);
    private static final SplitPattern PUNCTUATION = SplitPattern.ofChars(CharClasses::isPunctuation);

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.split(n -> n.split(WHITESPACE, SplitBehavior.REMOVED));
        s.split(n -> n.split(PUNCTUATION, SplitBehavior.ISOLATED));
    }
}
