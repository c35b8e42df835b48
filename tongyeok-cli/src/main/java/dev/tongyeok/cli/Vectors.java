package dev.tongyeok.cli;

import java.util.Locale;

/** Formatting numbers for people: a vector with its middle elided, as {@code [ 0.4810, -0.7042, …,  0.0312]}. */
final class Vectors {
    private Vectors() {}

    /** The first {@code head} and last {@code tail} values, or all when the vector is short enough or head is negative. */
    static String elided(float[] v, int head, int tail) {
        StringBuilder sb = new StringBuilder("[");
        if (head < 0 || v.length <= head + tail + 1) {
            for (int i = 0; i < v.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(num(v[i]));
            }
        } else {
            for (int i = 0; i < head; i++) {
                sb.append(i == 0 ? "" : ", ").append(num(v[i]));
            }
            sb.append(", …");
            for (int i = v.length - tail; i < v.length; i++) {
                sb.append(", ").append(num(v[i]));
            }
        }
        return sb.append(']').toString();
    }

    static String num(float x) {
        return String.format(Locale.ROOT, "%7.4f", x);
    }
}
