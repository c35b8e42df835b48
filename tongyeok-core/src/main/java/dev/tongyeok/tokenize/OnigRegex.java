package dev.tongyeok.tokenize;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the regular expressions found in tokenizer.json files, written for Oniguruma (HF's
 * {@code SysRegex}), as {@link Pattern}s with the same meaning: Unicode-aware {@code \\s} and
 * {@code \\d}, Oniguruma's {@code \\w} (letters, marks, numbers and connector punctuation, where
 * Java's has only decimal digits and adds join controls), {@code \\h} as a hex digit (Java's is
 * horizontal space) and Unicode case folding under {@code (?i)}.
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
            return Pattern.compile(translate(regex), Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new TokenizerException("regex '" + regex + "' is not valid: " + e.getDescription()
                    + " at index " + e.getIndex());
        }
    }

    private static final String WORD = "\\p{L}\\p{M}\\p{N}\\p{Pc}";
    private static final String HEX = "0-9a-fA-F";

    /** Rewrites the escapes whose meaning differs between Oniguruma and Java. */
    static String translate(String regex) {
        StringBuilder out = new StringBuilder(regex.length() + 16);
        int classDepth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char n = regex.charAt(++i);
                switch (n) {
                    case 'w' -> out.append(classDepth > 0 ? WORD : "[" + WORD + "]");
                    case 'W' -> out.append("[^" + WORD + "]");
                    case 'h' -> out.append(classDepth > 0 ? HEX : "[" + HEX + "]");
                    case 'H' -> out.append("[^" + HEX + "]");
                    default -> out.append(c).append(n);
                }
                continue;
            }
            if (c == '[') {
                classDepth++;
            } else if (c == ']' && classDepth > 0) {
                classDepth--;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A pattern matching {@code literal} exactly. */
    public static Pattern literal(String literal) {
        return Pattern.compile(Pattern.quote(literal));
    }
}
