package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.SplitBehavior;
import dev.tongyeok.tokenize.SplitPattern;

/** Splits on punctuation characters with the given behaviour, as HF's {@code Punctuation}. */
public record Punctuation(SplitBehavior behavior) implements PreTokenizer {
    private static final SplitPattern PUNCTUATION = SplitPattern.ofChars(CharClasses::isPunctuation);

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.split(n -> n.split(PUNCTUATION, behavior));
    }
}
