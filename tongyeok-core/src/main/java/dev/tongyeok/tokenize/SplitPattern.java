package dev.tongyeok.tokenize;

import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the pieces of a string, matches and the gaps between them, in order and covering it
 * whole, as HF's {@code Pattern} trait. The result is a flat array of {@code (start, end, isMatch)}
 * triples in UTF-16 units, with {@code isMatch} 1 or 0.
 */
@FunctionalInterface
public interface SplitPattern {

    /** The pieces of {@code inside}: triples (start, end, isMatch), one after another. */
    int[] findMatches(String inside);

    /** Each code point accepted by {@code predicate} is a match of its own. */
    static SplitPattern ofChars(IntPredicate predicate) {
        return inside -> {
            if (inside.isEmpty()) {
                return new int[] {0, 0, 0};
            }
            IntArray out = new IntArray(16);
            int last = 0;
            for (int i = 0; i < inside.length(); ) {
                int c = inside.codePointAt(i);
                int n = Character.charCount(c);
                if (predicate.test(c)) {
                    if (last < i) {
                        out.add(last, i, 0);
                    }
                    out.add(i, i + n, 1);
                    last = i + n;
                }
                i += n;
            }
            if (last < inside.length()) {
                out.add(last, inside.length(), 0);
            }
            return out.toArray();
        };
    }

    /**
     * Every non-overlapping match of the Oniguruma {@code regex} (as tokenizer.json files write
     * them), leftmost first; the pre-tokenizer regexes of the common BPE families run on
     * hand-written matchers.
     *
     * @throws TokenizerException when the regex is not valid
     */
    static SplitPattern ofRegex(String regex) {
        SplitPattern known = KnownPatterns.forRegex(regex);
        return known != null ? known : ofRegex(OnigRegex.compile(regex));
    }

    /** Every non-overlapping match of {@code regex}, leftmost first. */
    static SplitPattern ofRegex(Pattern regex) {
        return inside -> {
            if (inside.isEmpty()) {
                return new int[] {0, 0, 0};
            }
            IntArray out = new IntArray(16);
            Matcher m = regex.matcher(inside);
            int prev = 0;
            while (m.find()) {
                if (prev != m.start()) {
                    out.add(prev, m.start(), 0);
                }
                out.add(m.start(), m.end(), 1);
                prev = m.end();
            }
            if (prev != inside.length()) {
                out.add(prev, inside.length(), 0);
            }
            return out.toArray();
        };
    }

    /** The same pieces with matches and gaps swapped. */
    default SplitPattern invert() {
        return inside -> {
            int[] m = findMatches(inside);
            for (int i = 2; i < m.length; i += 3) {
                m[i] ^= 1;
            }
            return m;
        };
    }
}
