package dev.tongyeok.resolve;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean": the known name closest to a mistyped one, for the messages that refuse it. */
public final class Names {
    private Names() {}

    /**
     * The name of {@code known} closest to {@code given}: one that starts with it (a name cut short,
     * {@code all-minilm-l6} for {@code all-minilm-l6-v2}) or within a third of its length in edits
     * (typing slips, {@code embedd}); empty when none is that close. Case does not count.
     */
    public static Optional<String> closest(String given, Collection<String> known) {
        String g = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            String n = k.toLowerCase(Locale.ROOT);
            if (n.equals(g)) {
                continue;
            }
            int d = n.startsWith(g) && g.length() >= 3 ? 0 : distance(g, n);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        int allowed = Math.max(1, g.length() / 3);
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    // Edit distance with adjacent swaps counted once (Damerau-Levenshtein, optimal string alignment).
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
