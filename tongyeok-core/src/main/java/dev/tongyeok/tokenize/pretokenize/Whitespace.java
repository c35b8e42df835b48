package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.SplitBehavior;
import dev.tongyeok.tokenize.SplitPattern;
import java.util.regex.Pattern;

/** Keeps runs of word characters and runs of other non-space characters, as HF's {@code Whitespace} ({@code \w+|[^\w\s]+}). */
public record Whitespace() implements PreTokenizer {
    // HF compiles this one with Rust's regex crate, whose \w is Java's Unicode \w (Alphabetic, marks,
    // decimal digits, connector punctuation, join controls), not Oniguruma's.
    private static final SplitPattern WORDS = SplitPattern.ofRegex(
            Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS)).invert();

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.split(n -> n.split(WORDS, SplitBehavior.REMOVED));
    }
}
