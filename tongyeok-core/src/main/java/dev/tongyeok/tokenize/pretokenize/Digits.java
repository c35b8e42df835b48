package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.SplitBehavior;
import dev.tongyeok.tokenize.SplitPattern;

/** Splits numbers from the rest, each digit alone or runs together, as HF's {@code Digits}. */
public record Digits(boolean individualDigits) implements PreTokenizer {
    private static final SplitPattern NUMERIC = SplitPattern.ofChars(CharClasses::isNumeric);

    @Override
    public void preTokenize(PreTokenizedString s) {
        SplitBehavior b = individualDigits ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS;
        s.split(n -> n.split(NUMERIC, b));
    }
}
