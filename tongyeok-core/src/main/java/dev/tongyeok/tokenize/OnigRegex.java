package dev.tongyeok.tokenize;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the regular expressions found in tokenizer.json files, written for Oniguruma (HF's
 * {@code SysRegex}), as {@link Pattern}s with the same meaning: Unicode-aware {@code \s}, {@code \w},
 * {@code \d} and Unicode case folding under {@code (?i)}.
 */
public final class OnigRegex {
    private OnigRegex() {}

    /**
     * Compiles {@code regex}.
     *
     * @throws TokenizerException when the pattern is not valid, with the reason
     */
    public static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new TokenizerException("regex '" + regex + "' is not valid: " + e.getDescription()
                    + " at index " + e.getIndex());
        }
    }

    /** A pattern matching {@code literal} exactly. */
    public static Pattern literal(String literal) {
        return Pattern.compile(Pattern.quote(literal));
    }
}
