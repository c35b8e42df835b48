package dev.tongyeok.model;

import java.util.Locale;

/**
 * How token vectors become one sentence vector: sentence-transformers' {@code Pooling} modes
 * ({@code 1_Pooling/config.json}), each computed as that module computes it over a sequence
 * without padding.
 */
public enum Pooling {
    /** The mean of all token vectors, special tokens included ({@code pooling_mode_mean_tokens}). */
    MEAN("mean", "pooling_mode_mean_tokens"),
    /** The first token's vector, {@code [CLS]} ({@code pooling_mode_cls_token}). */
    CLS("cls", "pooling_mode_cls_token"),
    /** The element-wise maximum over the tokens ({@code pooling_mode_max_tokens}). */
    MAX("max", "pooling_mode_max_tokens"),
    /** The sum of the token vectors divided by √T ({@code pooling_mode_mean_sqrt_len_tokens}). */
    MEAN_SQRT_LEN("mean-sqrt-len", "pooling_mode_mean_sqrt_len_tokens"),
    /** The mean weighted by position, token t (from 1) weighing t ({@code pooling_mode_weightedmean_tokens}). */
    WEIGHTED_MEAN("weighted-mean", "pooling_mode_weightedmean_tokens"),
    /** The last token's vector ({@code pooling_mode_lasttoken}). */
    LAST("last", "pooling_mode_lasttoken"),
    /** No pooling: one vector per token, the raw hidden states. */
    NONE("none", null);

    private final String label;
    private final String configKey;

    Pooling(String label, String configKey) {
        this.label = label;
        this.configKey = configKey;
    }

    /** The key that turns this mode on in sentence-transformers' {@code 1_Pooling/config.json}, or null for {@link #NONE}. */
    public String configKey() {
        return configKey;
    }

    /**
     * Parses a name as {@link #toString()} gives it ({@code mean}, {@code cls}, {@code max},
     * {@code mean-sqrt-len}, {@code weighted-mean}, {@code last}, {@code none}), case-insensitive,
     * with {@code _} for {@code -} and sentence-transformers' own spellings ({@code lasttoken},
     * {@code weightedmean}, {@code mean_sqrt_len_tokens}) also accepted.
     *
     * @throws IllegalArgumentException for anything else, listing the choices
     */
    public static Pooling parse(String s) {
        String n = s.toLowerCase(Locale.ROOT).replace('_', '-');
        for (Pooling p : values()) {
            if (p.label.equals(n) || p.label.replace("-", "").equals(n)) {
                return p;
            }
        }
        return switch (n) {
            case "lasttoken", "last-token" -> LAST;
            case "mean-tokens" -> MEAN;
            case "max-tokens" -> MAX;
            case "cls-token" -> CLS;
            case "mean-sqrt-len-tokens" -> MEAN_SQRT_LEN;
            case "weightedmean-tokens" -> WEIGHTED_MEAN;
            default -> throw new IllegalArgumentException("pooling '" + s
                    + "' is not one of mean, cls, max, mean-sqrt-len, weighted-mean, last, none");
        };
    }

    /**
     * Pools rows [row, row + T) of a (rows, C) matrix.
     *
     * <pre>hidden: (·, C) -> (C)</pre>
     *
     * @throws IllegalArgumentException for {@link #NONE}, which gives no single vector
     */
    public float[] pool(float[] hidden, int row, int T, int C) {
        float[] v = new float[C];
        switch (this) {
            case CLS -> System.arraycopy(hidden, row * C, v, 0, C);
            case LAST -> System.arraycopy(hidden, (row + T - 1) * C, v, 0, C);
            case MEAN, MEAN_SQRT_LEN -> {
                for (int t = 0; t < T; t++) {
                    for (int c = 0; c < C; c++) {
                        v[c] += hidden[(row + t) * C + c];
                    }
                }
                float d = this == MEAN ? T : (float) Math.sqrt(T);
                for (int c = 0; c < C; c++) {
                    v[c] /= d;
                }
            }
            case MAX -> {
                System.arraycopy(hidden, row * C, v, 0, C);
                for (int t = 1; t < T; t++) {
                    for (int c = 0; c < C; c++) {
                        v[c] = Math.max(v[c], hidden[(row + t) * C + c]);
                    }
                }
            }
            case WEIGHTED_MEAN -> {
                for (int t = 0; t < T; t++) {
                    float w = t + 1;
                    for (int c = 0; c < C; c++) {
                        v[c] += w * hidden[(row + t) * C + c];
                    }
                }
                float sum = (float) T * (T + 1) / 2;
                for (int c = 0; c < C; c++) {
                    v[c] /= sum;
                }
            }
            case NONE -> throw new IllegalArgumentException("pooling none gives no single vector");
        }
        return v;
    }

    @Override
    public String toString() {
        return label;
    }
}
