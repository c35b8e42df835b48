package dev.tongyeok.tokenize;

import dev.tongyeok.tokenize.unicode.Ucd;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hand-written matchers for the pre-tokenizer regexes of the common byte-level BPE families (GPT-2,
 * cl100k / Llama 3, Qwen, o200k / GPT-4o), several times faster than {@link java.util.regex}. Each
 * gives exactly the matches {@link java.util.regex.Matcher#find()} gives for the same regex
 * compiled by {@link OnigRegex} (same character data, same leftmost-first alternation and
 * backtracking), which a differential test checks on generated text.
 */
public final class KnownPatterns {
    private KnownPatterns() {}

    /** GPT-2's ByteLevel regex. */
    public static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    /** cl100k_base / Llama 3. */
    public static final String CL100K = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Qwen 2 / 3: cl100k with single digits. */
    public static final String QWEN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** o200k_base / GPT-4o. */
    public static final String O200K = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** The end of the match starting exactly at {@code i}, or -1. */
    @FunctionalInterface
    interface Matcher {
        int matchAt(String s, int i);
    }

    private static final Map<String, Matcher> MATCHERS = Map.of(GPT2, KnownPatterns::gpt2, CL100K,
            (s, i) -> cl100k(s, i, 3), QWEN, (s, i) -> cl100k(s, i, 1), O200K, KnownPatterns::o200k);

    /** A fast pattern for {@code regex} if it is one of the known ones, else null. */
    static SplitPattern forRegex(String regex) {
        Matcher m = MATCHERS.get(regex);
        if (m == null) {
            return null;
        }
        Pattern fallback = OnigRegex.compile(regex);
        return inside -> {
            if (inside.isEmpty()) {
                return new int[] {0, 0, 0};
            }
            IntArray out = new IntArray(inside.length() / 2 + 4);
            int pos = 0;
            while (pos < inside.length()) {
                int end = m.matchAt(inside, pos);
                if (end <= pos) { // nothing matches here: let the regex engine say what comes next
                    return SplitPattern.ofRegex(fallback).findMatches(inside);
                }
                out.add(pos, end, 1);
                pos = end;
            }
            return out.toArray();
        };
    }

    // ---- character classes, from the same data java.util.regex uses

    private static int type(int c) {
        return Character.getType(c);
    }

    private static boolean isL(int c) {
        if (c < 0x80) {
            return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        }
        int t = type(c);
        return t >= Character.UPPERCASE_LETTER && t <= Character.OTHER_LETTER;
    }

    private static boolean isN(int c) {
        if (c < 0x80) {
            return c >= '0' && c <= '9';
        }
        int t = type(c);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    private static boolean isM(int t) {
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK;
    }

    // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
    private static boolean isUpperish(int c) {
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z';
        }
        int t = type(c);
        return t == Character.UPPERCASE_LETTER || t == Character.TITLECASE_LETTER || t == Character.MODIFIER_LETTER
                || t == Character.OTHER_LETTER || isM(t);
    }

    // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
    private static boolean isLowerish(int c) {
        if (c < 0x80) {
            return c >= 'a' && c <= 'z';
        }
        int t = type(c);
        return t == Character.LOWERCASE_LETTER || t == Character.MODIFIER_LETTER || t == Character.OTHER_LETTER || isM(t);
    }

    private static boolean isSpace(int c) {
        return Ucd.isWhitespace(c);
    }

    private static boolean isNewline(int c) {
        return c == '\r' || c == '\n';
    }

    // [^\s\p{L}\p{N}]
    private static boolean isOther(int c) {
        return !isSpace(c) && !isL(c) && !isN(c);
    }

    private static int cp(String s, int i) {
        return s.codePointAt(i);
    }

    private static int next(String s, int i) {
        return i + Character.charCount(s.codePointAt(i));
    }

    // ---- pieces shared by the patterns

    private static final String[] CONTRACTIONS = {"s", "t", "re", "ve", "m", "ll", "d"};

    /** End of the contraction ('s 't 're 've 'm 'll 'd) at {@code i}, or -1. */
    private static int contraction(String s, int i, boolean ignoreCase) {
        if (i >= s.length() || s.charAt(i) != '\'') {
            return -1;
        }
        for (String c : CONTRACTIONS) {
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < c.length() && ok; k++) {
                if (j >= s.length()) {
                    ok = false;
                    break;
                }
                int x = cp(s, j);
                ok = x == c.charAt(k) || (ignoreCase && sameIgnoringCase(x, c.charAt(k)));
                j = next(s, j);
            }
            if (ok) {
                return j;
            }
        }
        return -1;
    }

    // java.util.regex's comparison under CASE_INSENSITIVE | UNICODE_CASE
    private static boolean sameIgnoringCase(int x, int p) {
        return Character.toUpperCase(x) == Character.toUpperCase(p) || Character.toLowerCase(x) == Character.toLowerCase(p);
    }

    private static int run(String s, int i, java.util.function.IntPredicate in) {
        int j = i;
        while (j < s.length() && in.test(cp(s, j))) {
            j = next(s, j);
        }
        return j;
    }

    /** \s+(?!\S) then \s+: the whitespace run, less its last character when something follows it. */
    private static int whitespace(String s, int i) {
        if (i >= s.length() || !isSpace(cp(s, i))) {
            return -1;
        }
        int k = run(s, i, KnownPatterns::isSpace);
        if (k == s.length()) {
            return k;
        }
        int last = s.offsetByCodePoints(k, -1);
        return last > i ? last : k;
    }

    /** \s*[\r\n]+ : up to and including the last newline of the whitespace run, or -1. */
    private static int newlines(String s, int i) {
        int k = run(s, i, KnownPatterns::isSpace);
        int end = -1;
        for (int j = i; j < k; j = next(s, j)) {
            if (isNewline(cp(s, j))) {
                end = j + 1;
            }
        }
        return end;
    }

    // ---- the patterns

    private static int gpt2(String s, int i) {
        int e = contraction(s, i, false);
        if (e >= 0) {
            return e;
        }
        int j = s.charAt(i) == ' ' ? i + 1 : i;
        if (j < s.length()) {
            int c = cp(s, j);
            if (isL(c)) {
                return run(s, j, KnownPatterns::isL);
            }
            if (isN(c)) {
                return run(s, j, KnownPatterns::isN);
            }
            if (isOther(c)) {
                return run(s, j, KnownPatterns::isOther);
            }
        }
        return whitespace(s, i);
    }

    private static int cl100k(String s, int i, int maxDigits) {
        int e = contraction(s, i, true);
        if (e >= 0) {
            return e;
        }
        int c = cp(s, i);
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (!isNewline(c) && !isL(c) && !isN(c)) {
            int j = next(s, i);
            if (j < s.length() && isL(cp(s, j))) {
                return run(s, j, KnownPatterns::isL);
            }
        } else if (isL(c)) {
            return run(s, i, KnownPatterns::isL);
        }
        // \p{N}{1,maxDigits}
        if (isN(c)) {
            int j = i;
            for (int n = 0; n < maxDigits && j < s.length() && isN(cp(s, j)); n++) {
                j = next(s, j);
            }
            return j;
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int j = c == ' ' ? i + 1 : i;
        if (j < s.length() && isOther(cp(s, j))) {
            return run(s, run(s, j, KnownPatterns::isOther), KnownPatterns::isNewline);
        }
        e = newlines(s, i);
        return e >= 0 ? e : whitespace(s, i);
    }

    // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+ from j, or -1
    private static int upperThenLower(String s, int j) {
        int a = run(s, j, KnownPatterns::isUpperish);
        if (a < s.length() && isLowerish(cp(s, a))) {
            return run(s, a, KnownPatterns::isLowerish);
        }
        for (int p = a; p > j; ) { // give back one at a time until a lower-ish character can start
            p = s.offsetByCodePoints(p, -1);
            if (isLowerish(cp(s, p))) {
                return next(s, p);
            }
        }
        return -1;
    }

    private static int withContraction(String s, int e) {
        int c = contraction(s, e, true);
        return c >= 0 ? c : e;
    }

    private static int o200k(String s, int i) {
        int c = cp(s, i);
        boolean prefix = !isNewline(c) && !isL(c) && !isN(c);
        // [^\r\n\p{L}\p{N}]?[\p{Lu}...]*[\p{Ll}...]+(?i:'s|...)?
        if (prefix) {
            int j = next(s, i);
            int e = j < s.length() ? upperThenLower(s, j) : -1;
            if (e >= 0) {
                return withContraction(s, e);
            }
        }
        int e = upperThenLower(s, i);
        if (e >= 0) {
            return withContraction(s, e);
        }
        // [^\r\n\p{L}\p{N}]?[\p{Lu}...]+[\p{Ll}...]*(?i:'s|...)?
        if (prefix) {
            int j = next(s, i);
            if (j < s.length() && isUpperish(cp(s, j))) {
                return withContraction(s, run(s, run(s, j, KnownPatterns::isUpperish), KnownPatterns::isLowerish));
            }
        }
        if (isUpperish(c)) {
            return withContraction(s, run(s, run(s, i, KnownPatterns::isUpperish), KnownPatterns::isLowerish));
        }
        // \p{N}{1,3}
        if (isN(c)) {
            int j = i;
            for (int n = 0; n < 3 && j < s.length() && isN(cp(s, j)); n++) {
                j = next(s, j);
            }
            return j;
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
        int j = c == ' ' ? i + 1 : i;
        if (j < s.length() && isOther(cp(s, j))) {
            return run(s, run(s, j, KnownPatterns::isOther), x -> isNewline(x) || x == '/');
        }
        e = newlines(s, i);
        return e >= 0 ? e : whitespace(s, i);
    }
}
