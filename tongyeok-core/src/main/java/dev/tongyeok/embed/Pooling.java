package dev.tongyeok.embed;

import java.util.Locale;

/** How token vectors become one sentence vector (sentence-transformers' {@code Pooling} modes). */
public enum Pooling {
    /** The mean of all token vectors, special tokens included ({@code pooling_mode_mean_tokens}). */
    MEAN,
    /** The first token's vector, {@code [CLS]} ({@code pooling_mode_cls_token}). */
    CLS,
    /** The last token's vector ({@code pooling_mode_lasttoken}). */
    LAST,
    /** No pooling: one vector per token. */
    NONE;

    /**
     * Parses {@code mean}, {@code cls}, {@code last} or {@code none}.
     *
     * @throws IllegalArgumentException for anything else, listing the choices
     */
    public static Pooling parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "mean" -> MEAN;
            case "cls" -> CLS;
            case "last" -> LAST;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("pooling '" + s + "' is not one of mean, cls, last, none");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
