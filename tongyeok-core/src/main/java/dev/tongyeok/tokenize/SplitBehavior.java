package dev.tongyeok.tokenize;

/** What happens to a delimiter when a {@link NormalizedString} is split, as HF's {@code SplitDelimiterBehavior}. */
public enum SplitBehavior {
    /** The delimiter is dropped. */
    REMOVED,
    /** The delimiter becomes a piece of its own. */
    ISOLATED,
    /** The delimiter joins the piece before it. */
    MERGED_WITH_PREVIOUS,
    /** The delimiter joins the piece after it. */
    MERGED_WITH_NEXT,
    /** Consecutive delimiters form one piece. */
    CONTIGUOUS;

    /**
     * Parses the tokenizer.json spelling ({@code "Removed"}, {@code "MergedWithPrevious"}, ...).
     *
     * @throws IllegalArgumentException for any other word
     */
    public static SplitBehavior fromJson(String name) {
        return switch (name) {
            case "Removed" -> REMOVED;
            case "Isolated" -> ISOLATED;
            case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> MERGED_WITH_NEXT;
            case "Contiguous" -> CONTIGUOUS;
            default -> throw new IllegalArgumentException("'" + name
                    + "' (expected Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous)");
        };
    }
}
