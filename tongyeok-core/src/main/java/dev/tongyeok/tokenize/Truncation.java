package dev.tongyeok.tokenize;

/**
 * How long encodings are cut, as HF's {@code TruncationParams}; {@code maxLength} counts the
 * special tokens the post-processor adds.
 *
 * @param maxLength the longest encoding kept, special tokens included
 * @param stride how many tokens each overflowing part repeats from the part before it
 * @param strategy which sequence of a pair loses tokens
 * @param fromLeft whether tokens are cut at the start instead of the end
 */
public record Truncation(int maxLength, int stride, Strategy strategy, boolean fromLeft) {

    /** Which sequence of a pair loses tokens. */
    public enum Strategy {
        /** The longer one, one token at a time. */
        LONGEST_FIRST,
        /** Only the first. */
        ONLY_FIRST,
        /** Only the second. */
        ONLY_SECOND
    }

    /** Checks the values. */
    public Truncation {
        if (maxLength < 0 || stride < 0) {
            throw new IllegalArgumentException("truncation max_length and stride must be >= 0, got " + maxLength
                    + " and " + stride);
        }
    }

    /** Cuts at the end to {@code maxLength} tokens, longest sequence first, no stride: HF's defaults. */
    public static Truncation of(int maxLength) {
        return new Truncation(maxLength, 0, Strategy.LONGEST_FIRST, false);
    }
}
