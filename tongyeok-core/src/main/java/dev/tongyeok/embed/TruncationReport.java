package dev.tongyeok.embed;

import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.Tokenizer;

/**
 * What truncation did to one input, for the messages that say so: how many tokens it had, and how
 * many of its UTF-16 chars the kept tokens cover.
 *
 * @param originalTokens the token count before truncation, special tokens included
 * @param keptChars the chars up to the last kept token (from the first kept one when cut at the
 *     start); the whole input when nothing was cut
 */
record TruncationReport(int originalTokens, int keptChars) {

    /** The report for {@code e}, the truncated encoding of {@code input} by {@code tokenizer}. */
    static TruncationReport of(Encoding e, String input, boolean fromLeft, Tokenizer tokenizer) {
        if (e.overflowing().isEmpty()) {
            return new TruncationReport(e.length(), input.length());
        }
        int from = input.length();
        int to = 0;
        for (int t = 0; t < e.length(); t++) {
            if (!e.special(t)) {
                from = Math.min(from, e.start(t));
                to = Math.max(to, e.end(t));
            }
        }
        int kept = fromLeft ? input.length() - from : to;
        return new TruncationReport(tokenizer.countTokens(input), kept);
    }
}
