package dev.tongyeok.tokenize.unicode;


/**
 * NFD, NFKD, NFC and NFKC with alignment changes, matching {@code unicode-normalization-alignments
 * 0.1.12} (the crate HuggingFace tokenizers normalizes with) at its Unicode version, 9.0: the first
 * code point of each decomposition replaces its source ({@code 0}), the others are inserted
 * ({@code 1}); canonical reordering carries the changes along (a stable sort by combining class);
 * a composition of {@code a} and {@code b} has the change {@code a + b - 1}.
 */
public final class UnicodeNormalizer {

    /** The four normalization forms. */
    public enum Form { NFD, NFKD, NFC, NFKC }

    private static final int S_BASE = 0xAC00, L_BASE = 0x1100, V_BASE = 0x1161, T_BASE = 0x11A7;
    private static final int L_COUNT = 19, V_COUNT = 21, T_COUNT = 28;
    private static final int N_COUNT = V_COUNT * T_COUNT, S_COUNT = L_COUNT * N_COUNT;

    // composition pairs: (first << 21 | second) -> composite
    private static final java.util.Map<Long, Integer> COMPOSE = new java.util.HashMap<>();

    static {
        for (int cp : Ucd.decomposable9()) {
            int[] d = Ucd.decomposition9(cp, false);
            if (d != null && d.length == 2 && !Ucd.compositionExcluded(cp)) {
                COMPOSE.put(((long) d[0] << 21) | d[1], cp);
            }
        }
    }

    private UnicodeNormalizer() {}

    /**
     * Whether decomposing {@code text} (canonically, or with compatibility mappings too) would
     * change nothing: no character decomposes and combining marks are already in canonical order.
     */
    public static boolean isDecomposed(CharSequence text, boolean compatibility) {
        int lastClass = 0;
        for (int i = 0; i < text.length(); ) {
            int c = Character.codePointAt(text, i);
            i += Character.charCount(c);
            if (c < 0x80) {
                lastClass = 0;
                continue;
            }
            if ((c >= S_BASE && c < S_BASE + S_COUNT) || Ucd.decomposition9(c, compatibility) != null) {
                return false;
            }
            int ccc = Ucd.combiningClass9(c);
            if (ccc != 0 && lastClass > ccc) {
                return false;
            }
            lastClass = ccc;
        }
        return true;
    }

    /** Normalizes {@code text} into {@code out} as (code point, change) pairs. */
    public static void normalize(CharSequence text, Form form, CharChanges out) {
        boolean compat = form == Form.NFKD || form == Form.NFKC;
        if (form == Form.NFD || form == Form.NFKD) {
            decompose(text, compat, out);
            return;
        }
        CharChanges d = new CharChanges(text.length() + 8);
        decompose(text, compat, d);
        recompose(d, out);
    }

    private static void decompose(CharSequence text, boolean compat, CharChanges out) {
        int pendingStart = 0; // first pair not yet in canonical order
        int[] classes = new int[16];
        for (int i = 0; i < text.length(); ) {
            int c = Character.codePointAt(text, i);
            i += Character.charCount(c);
            int before = out.size();
            emitDecomposition(c, compat, out);
            for (int k = before; k < out.size(); k++) {
                int ccc = Ucd.combiningClass9(out.cp(k));
                if (ccc == 0) {
                    sortPending(out, pendingStart, k);
                    pendingStart = k;
                }
                out.setChange(k, k == before ? 0 : 1);
            }
        }
        sortPending(out, pendingStart, out.size());
    }

    // Stable insertion sort by combining class of out[from, to), as a sort by key.
    private static void sortPending(CharChanges out, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int cp = out.cp(i), ch = out.change(i);
            int key = Ucd.combiningClass9(cp);
            int j = i - 1;
            while (j >= from && Ucd.combiningClass9(out.cp(j)) > key) {
                out.set(j + 1, out.cp(j), out.change(j));
                j--;
            }
            out.set(j + 1, cp, ch);
        }
    }

    private static void emitDecomposition(int c, boolean compat, CharChanges out) {
        if (c <= 0x7f) {
            out.add(c, 0);
            return;
        }
        if (c >= S_BASE && c < S_BASE + S_COUNT) {
            int s = c - S_BASE;
            out.add(L_BASE + s / N_COUNT, 0);
            out.add(V_BASE + (s % N_COUNT) / T_COUNT, 0);
            int t = s % T_COUNT;
            if (t > 0) {
                out.add(T_BASE + t, 0);
            }
            return;
        }
        int[] d = Ucd.decomposition9(c, compat);
        if (d == null) {
            out.add(c, 0);
            return;
        }
        for (int x : d) {
            emitDecomposition(x, compat, out);
        }
    }

    private static int compose(int a, int b) {
        if (a >= L_BASE && a < L_BASE + L_COUNT && b >= V_BASE && b < V_BASE + V_COUNT) {
            return S_BASE + ((a - L_BASE) * V_COUNT + (b - V_BASE)) * T_COUNT;
        }
        if (a >= S_BASE && a < S_BASE + S_COUNT && (a - S_BASE) % T_COUNT == 0
                && b > T_BASE && b < T_BASE + T_COUNT) {
            return a + (b - T_BASE);
        }
        Integer r = COMPOSE.get(((long) a << 21) | b);
        return r == null ? -1 : r;
    }

    // The crate's Recompositions state machine, run to completion.
    private static void recompose(CharChanges in, CharChanges out) {
        int composee = -1, composeeChange = 0;
        int lastCcc = -1; // -1: none
        CharChanges buffer = new CharChanges(8);
        for (int i = 0; i < in.size(); i++) {
            int ch = in.cp(i), change = in.change(i);
            int chClass = Ucd.combiningClass9(ch);
            if (composee < 0) {
                if (chClass != 0) {
                    out.add(ch, change);
                    continue;
                }
                composee = ch;
                composeeChange = change;
                continue;
            }
            if (lastCcc < 0) {
                int r = compose(composee, ch);
                if (r >= 0) {
                    composee = r;
                    composeeChange = composeeChange + change - 1;
                    continue;
                }
                if (chClass == 0) {
                    out.add(composee, composeeChange);
                    composee = ch;
                    composeeChange = change;
                    continue;
                }
                buffer.add(ch, change);
                lastCcc = chClass;
            } else {
                if (lastCcc >= chClass) {
                    if (chClass == 0) {
                        out.add(composee, composeeChange);
                        for (int k = 0; k < buffer.size(); k++) {
                            out.add(buffer.cp(k), buffer.change(k));
                        }
                        buffer.clear();
                        composee = ch;
                        composeeChange = change;
                        lastCcc = -1;
                        continue;
                    }
                    buffer.add(ch, change);
                    lastCcc = chClass;
                    continue;
                }
                int r = compose(composee, ch);
                if (r >= 0) {
                    composee = r;
                    composeeChange = composeeChange + change - 1;
                    continue;
                }
                buffer.add(ch, change);
                lastCcc = chClass;
            }
        }
        // Finished: the composee, then the marks that could not join it.
        if (composee >= 0) {
            out.add(composee, composeeChange);
        }
        for (int k = 0; k < buffer.size(); k++) {
            out.add(buffer.cp(k), buffer.change(k));
        }
    }
}
