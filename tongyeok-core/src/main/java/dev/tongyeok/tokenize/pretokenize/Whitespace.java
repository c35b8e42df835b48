package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.OnigRegex;
import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.SplitBehavior;
import dev.tongyeok.tokenize.SplitPattern;

/** Keeps runs of word characters and runs of other non-space characters, as HF's {@code Whitespace} ({@code \w+|[^\w\s]+}). */
public record Whitespace() implements PreTokenizer {
    private static final SplitPattern WORDS = SplitPattern.ofRegex(OnigRegex.compile("\\w+|[^\\w\\s]+")).invert();

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.split(n -> n.split(WORDS, SplitBehavior.REMOVED));
    }
}
