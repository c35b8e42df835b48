package dev.tongyeok.tokenize;

import dev.tongyeok.tokenize.unicode.CharChanges;
import dev.tongyeok.tokenize.unicode.Ucd;
import dev.tongyeok.tokenize.unicode.UnicodeNormalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * A piece of text being normalized, which keeps every normalized UTF-16 unit aligned to the span
 * of original text it came from; HF's {@code NormalizedString} (tokenizers 0.21), with offsets in
 * UTF-16 units instead of UTF-8 bytes. A per-call object: not thread-safe.
 *
 * <p>Alignment rules are HF's: a rewritten character keeps the span of the character it replaces,
 * an inserted one takes the span of the character before it, and a slice remembers where in the
 * whole original text it starts ({@link #originalStart()}).
 */
public final class NormalizedString {
    private final String original;
    private String normalized;
    // alignment of normalized unit i: [alignStart[i], alignEnd[i]) in `original`; both null while
    // every unit is still aligned to its own character (nothing changed lengths yet), which keeps
    // slicing and splitting untouched text free of copies
    private int[] alignStart;
    private int[] alignEnd;
    private final int originalShift;

    /** Wraps {@code text}, normalized as itself. */
    public NormalizedString(String text) {
        this.original = text;
        this.normalized = text;
        this.originalShift = 0;
    }

    // start of the original character unit i is aligned to
    private int as(int i) {
        if (alignStart != null) {
            return alignStart[i];
        }
        return i > 0 && Character.isLowSurrogate(original.charAt(i)) && Character.isHighSurrogate(original.charAt(i - 1))
                ? i - 1 : i;
    }

    // end of the original character unit i is aligned to
    private int ae(int i) {
        if (alignEnd != null) {
            return alignEnd[i];
        }
        return i + 1 < original.length() && Character.isHighSurrogate(original.charAt(i))
                && Character.isLowSurrogate(original.charAt(i + 1)) ? i + 2 : i + 1;
    }

    // the alignments as arrays, before an edit that changes lengths
    private void materialize() {
        if (alignStart != null) {
            return;
        }
        int n = normalized.length();
        int[] s = new int[n], e = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = as(i);
            e[i] = ae(i);
        }
        alignStart = s;
        alignEnd = e;
    }

    private NormalizedString(String original, String normalized, int[] alignStart, int[] alignEnd, int originalShift) {
        this.original = original;
        this.normalized = normalized;
        this.alignStart = alignStart;
        this.alignEnd = alignEnd;
        this.originalShift = originalShift;
    }

    /** The normalized text. */
    public String get() {
        return normalized;
    }

    /** The original text this piece covers. */
    public String original() {
        return original;
    }

    /** Where this piece starts in the whole original text. */
    public int originalStart() {
        return originalShift;
    }

    /** Where this piece ends in the whole original text. */
    public int originalEnd() {
        return originalShift + original.length();
    }

    /** The normalized length in UTF-16 units. */
    public int length() {
        return normalized.length();
    }

    /** Whether the normalized text is empty. */
    public boolean isEmpty() {
        return normalized.isEmpty();
    }

    /**
     * Maps the normalized range {@code [start, end)} to this piece's original text, as HF's
     * {@code convert_offsets(Range::Normalized)}.
     *
     * @return {@code {start, end}} relative to {@link #original()}, or null when out of range
     */
    public int[] toOriginal(int start, int end) {
        int[] o = new int[2];
        return toOriginal(start, end, o, 0) ? o : null;
    }

    /**
     * Like {@link #toOriginal(int, int)}, writing the range into {@code out[at]} and
     * {@code out[at + 1]}.
     *
     * @return false when the range is out of range (nothing written)
     */
    public boolean toOriginal(int start, int end, int[] out, int at) {
        if (start == end) {
            out[at] = start;
            out[at + 1] = end;
            return true;
        }
        if (start > end) {
            return false;
        }
        if (normalized.isEmpty() && start == 0 && end == 0) {
            out[at] = 0;
            out[at + 1] = original.length();
            return true;
        }
        if (end > normalized.length()) {
            return false;
        }
        out[at] = as(start);
        out[at + 1] = ae(end - 1);
        return true;
    }

    // HF's convert_offsets(Range::Original(0..len_original)): the normalized range the whole
    // original text maps to; units aligned to an empty span at the start are left out.
    private int[] wholeOriginalToNormalized() {
        int lenOriginal = original.length();
        if (lenOriginal == 0) {
            return new int[] {0, normalized.length()};
        }
        if (alignStart == null) {
            return normalized.isEmpty() ? null : new int[] {0, normalized.length()};
        }
        int start = -1, end = -1;
        for (int i = 0; i < normalized.length(); i++) {
            if (lenOriginal < alignEnd[i]) {
                break;
            }
            if (start < 0 && alignStart[i] != alignEnd[i]) {
                start = i;
            }
            end = i + 1;
        }
        if (start >= 0 && end >= 0) {
            return new int[] {start, end};
        }
        if (end >= 0) {
            return new int[] {end, end};
        }
        if (start >= 0) {
            return new int[] {start, start};
        }
        return null;
    }

    /**
     * Rewrites the normalized range {@code [nStart, nEnd)} with {@code dest}, as HF's
     * {@code transform_range}: {@code initialOffset} code points at the start of the range are
     * removed first.
     */
    public void transformRange(int nStart, int nEnd, CharChanges dest, int initialOffset) {
        materialize();
        String old = normalized;
        int cursor = nStart;
        for (int k = 0; k < initialOffset && cursor < nEnd; k++) {
            cursor += Character.charCount(old.codePointAt(cursor));
        }
        StringBuilder sb = new StringBuilder(old.length() + dest.size() + 4);
        sb.append(old, 0, nStart);
        int total = nStart + dest.size() * 2 + (old.length() - nEnd);
        int[] ns = new int[total];
        int[] ne = new int[total];
        System.arraycopy(alignStart, 0, ns, 0, nStart);
        System.arraycopy(alignEnd, 0, ne, 0, nStart);
        int w = nStart;
        for (int i = 0; i < dest.size(); i++) {
            int c = dest.cp(i);
            int change = dest.change(i);
            int as, ae;
            if (change > 0) {
                if (cursor < 1) {
                    as = 0;
                    ae = 0;
                } else {
                    as = alignStart[cursor - 1];
                    ae = alignEnd[cursor - 1];
                }
            } else {
                as = alignStart[cursor];
                ae = alignEnd[cursor];
            }
            if (change <= 0 && cursor < nEnd) {
                cursor += Character.charCount(old.codePointAt(cursor));
            }
            for (int k = 0; k < -change && cursor < nEnd; k++) {
                cursor += Character.charCount(old.codePointAt(cursor));
            }
            int units = Character.charCount(c);
            if (w + units > ns.length) {
                ns = Arrays.copyOf(ns, (w + units) * 2 + (old.length() - nEnd));
                ne = Arrays.copyOf(ne, ns.length);
            }
            for (int k = 0; k < units; k++) {
                ns[w] = as;
                ne[w] = ae;
                w++;
            }
            sb.appendCodePoint(c);
        }
        int tail = old.length() - nEnd;
        if (w + tail > ns.length) {
            ns = Arrays.copyOf(ns, w + tail);
            ne = Arrays.copyOf(ne, w + tail);
        }
        System.arraycopy(alignStart, nEnd, ns, w, tail);
        System.arraycopy(alignEnd, nEnd, ne, w, tail);
        w += tail;
        sb.append(old, nEnd, old.length());
        normalized = sb.toString();
        alignStart = w == ns.length ? ns : Arrays.copyOf(ns, w);
        alignEnd = w == ne.length ? ne : Arrays.copyOf(ne, w);
    }

    /** Rewrites the whole text with {@code dest}, as HF's {@code transform}. */
    public void transform(CharChanges dest, int initialOffset) {
        int[] range = wholeOriginalToNormalized();
        if (range == null) {
            return;
        }
        transformRange(range[0], range[1], dest, initialOffset);
    }

    /** Applies a Unicode normalization form, with Unicode 9.0 tables as HF does. */
    public NormalizedString normalize(UnicodeNormalizer.Form form) {
        if ((form == UnicodeNormalizer.Form.NFD || form == UnicodeNormalizer.Form.NFKD)
                && UnicodeNormalizer.isDecomposed(normalized, form == UnicodeNormalizer.Form.NFKD)) {
            return this; // each character would replace itself: nothing changes, alignments included
        }
        CharChanges out = new CharChanges(normalized.length() + 8);
        UnicodeNormalizer.normalize(normalized, form, out);
        transform(out, 0);
        return this;
    }

    /** Lowercases each character with its full lowercase mapping, as Rust's {@code char::to_lowercase} (Unicode 17.0). */
    public NormalizedString lowercase() {
        return normalized.indexOf('\u0130') >= 0 ? lowercaseWithTransform() : map(Ucd::lowercase17);
    }

    private NormalizedString lowercaseWithTransform() {
        CharChanges out = new CharChanges(normalized.length() + 4);
        for (int i = 0; i < normalized.length(); ) {
            int c = normalized.codePointAt(i);
            i += Character.charCount(c);
            if (c == 0x130) { // the only unconditional multi-character lowercase mapping
                out.add('i', 0);
                out.add(0x307, 1);
            } else {
                out.add(Ucd.lowercase17(c), 0);
            }
        }
        transform(out, 0);
        return this;
    }

    /** Keeps only the characters {@code keep} accepts, as HF's {@code filter}. */
    public NormalizedString filter(IntPredicate keep) {
        int removed = 0;
        int removedStart = 0;
        int last = -1;
        boolean any = false;
        CharChanges out = new CharChanges(normalized.length());
        for (int i = 0; i < normalized.length(); ) {
            int c = normalized.codePointAt(i);
            i += Character.charCount(c);
            if (keep.test(c)) {
                if (last >= 0) {
                    out.add(last, -removed);
                } else {
                    removedStart = removed;
                }
                last = c;
                removed = 0;
            } else {
                removed++;
                any = true;
            }
        }
        if (!any) {
            return this;
        }
        if (last >= 0) {
            out.add(last, -removed);
        }
        transform(out, removedStart);
        return this;
    }

    /** Replaces each character with {@code map(c)}, as HF's {@code map}. */
    public NormalizedString map(IntUnaryOperator map) {
        StringBuilder sb = null;
        for (int i = 0; i < normalized.length(); ) {
            int c = normalized.codePointAt(i);
            int n = Character.charCount(c);
            int m = map.applyAsInt(c);
            if (m != c) {
                if (Character.charCount(m) != n) {
                    return mapWithTransform(map);
                }
                if (sb == null) {
                    sb = new StringBuilder(normalized);
                }
                if (n == 1) {
                    sb.setCharAt(i, (char) m);
                } else {
                    sb.setCharAt(i, Character.highSurrogate(m));
                    sb.setCharAt(i + 1, Character.lowSurrogate(m));
                }
            }
            i += n;
        }
        if (sb != null) {
            normalized = sb.toString(); // one character for one, same lengths: alignments unchanged
        }
        return this;
    }

    /**
     * If every UTF-16 unit is below {@code limit} (at most {@code table.length}), replaces each unit
     * {@code u} with {@code table[u]}, one unit for one, so alignments stay.
     *
     * @return whether the text was mapped
     */
    public boolean mapUnitsIfBelow(char[] table, int limit) {
        int n = normalized.length();
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            char u = normalized.charAt(i);
            if (u >= limit) {
                return false;
            }
            out[i] = table[u];
        }
        normalized = new String(out);
        return true;
    }

    /**
     * Replaces each code point {@code c} with the non-empty string {@code expand.apply(c)}, all of
     * whose units take the alignment of {@code c}: the same as {@link #transform} with the first
     * unit replacing {@code c} and the rest inserted after it, without the bookkeeping.
     */
    public NormalizedString expandEach(java.util.function.IntFunction<String> expand) {
        int n = normalized.length();
        for (int i = 0; i < n; i++) {
            if (as(i) == ae(i)) { // zero-width alignments take HF's general path
                CharChanges out = new CharChanges(n * 2);
                for (int k = 0; k < n; ) {
                    int c = normalized.codePointAt(k);
                    String e = expand.apply(c);
                    for (int u = 0; u < e.length(); ) {
                        int x = e.codePointAt(u);
                        out.add(x, u == 0 ? 0 : 1);
                        u += Character.charCount(x);
                    }
                    k += Character.charCount(c);
                }
                transform(out, 0);
                return this;
            }
        }
        StringBuilder sb = new StringBuilder(n * 2);
        IntArray ns = new IntArray(n * 2);
        IntArray ne = new IntArray(n * 2);
        for (int i = 0; i < n; ) {
            int c = normalized.codePointAt(i);
            int a = as(i), b = ae(i);
            String e = expand.apply(c);
            sb.append(e);
            for (int u = 0; u < e.length(); u++) {
                ns.add(a);
                ne.add(b);
            }
            i += Character.charCount(c);
        }
        normalized = sb.toString();
        alignStart = ns.toArray();
        alignEnd = ne.toArray();
        return this;
    }

    private NormalizedString mapWithTransform(IntUnaryOperator map) {
        CharChanges out = new CharChanges(normalized.length());
        for (int j = 0; j < normalized.length(); ) {
            int d = normalized.codePointAt(j);
            out.add(map.applyAsInt(d), 0);
            j += Character.charCount(d);
        }
        transform(out, 0);
        return this;
    }

    /** Puts {@code s} in front of the text (nothing happens to an empty text), as HF's {@code prepend}. */
    public NormalizedString prepend(String s) {
        if (normalized.isEmpty() || s.isEmpty()) {
            return this;
        }
        int next = normalized.codePointAt(0);
        CharChanges out = new CharChanges(s.length() + 1);
        int i = 0;
        for (int k = 0; k < s.length(); ) {
            int c = s.codePointAt(k);
            out.add(c, i == 0 ? 0 : 1);
            k += Character.charCount(c);
            i++;
        }
        out.add(next, 1);
        transformRange(0, Character.charCount(next), out, 0);
        return this;
    }

    /** Replaces every match of {@code pattern} with {@code content}, as HF's {@code replace}. */
    public NormalizedString replace(SplitPattern pattern, String content) {
        int[] m = pattern.findMatches(normalized);
        boolean anyMatch = false;
        for (int i = 2; i < m.length; i += 3) {
            if (m[i] == 1) {
                anyMatch = true;
                break;
            }
        }
        if (!anyMatch) {
            return this;
        }
        materialize();
        StringBuilder sb = new StringBuilder(normalized.length() + 8);
        IntArray ns = new IntArray(normalized.length() + 8);
        IntArray ne = new IntArray(normalized.length() + 8);
        int lastEnd = 0;
        for (int i = 0; i < m.length; i += 3) {
            if (m[i + 2] == 0) {
                continue;
            }
            int start = m[i], end = m[i + 1];
            sb.append(normalized, lastEnd, start);
            for (int k = lastEnd; k < start; k++) {
                ns.add(alignStart[k]);
                ne.add(alignEnd[k]);
            }
            // Every content character is an insertion after the removed match: it takes the
            // alignment of the unit just before `end`.
            int as = 0, ae = 0;
            if (end >= 1) {
                as = alignStart[end - 1];
                ae = alignEnd[end - 1];
            }
            for (int k = 0; k < content.length(); k++) {
                ns.add(as);
                ne.add(ae);
            }
            sb.append(content);
            lastEnd = end;
        }
        sb.append(normalized, lastEnd, normalized.length());
        for (int k = lastEnd; k < normalized.length(); k++) {
            ns.add(alignStart[k]);
            ne.add(alignEnd[k]);
        }
        normalized = sb.toString();
        alignStart = ns.toArray();
        alignEnd = ne.toArray();
        return this;
    }

    /** Removes leading and/or trailing whitespace (Unicode White_Space), as HF's {@code lrstrip}. */
    public NormalizedString strip(boolean left, boolean right) {
        int[] cps = normalized.codePoints().toArray();
        int leading = 0;
        if (left) {
            while (leading < cps.length && Ucd.isWhitespace(cps[leading])) {
                leading++;
            }
        }
        int trailing = 0;
        if (right) {
            while (trailing < cps.length - leading
                    && Ucd.isWhitespace(cps[cps.length - 1 - trailing])) {
                trailing++;
            }
        }
        if (leading == 0 && trailing == 0) {
            return this;
        }
        CharChanges out = new CharChanges(cps.length);
        int utf8Length = utf8Length(normalized);
        for (int i = 0; i < cps.length; i++) {
            if (i < leading || i >= cps.length - trailing) {
                continue;
            }
            // HF compares a char index with a byte length here; kept for identical alignments.
            out.add(cps[i], i == utf8Length - trailing - 1 ? -trailing : 0);
        }
        transform(out, leading);
        return this;
    }

    /**
     * The piece covering the normalized range {@code [start, end)}, as HF's
     * {@code slice(Range::Normalized)}.
     */
    public NormalizedString slice(int start, int end) {
        int[] o = toOriginal(start, end);
        if (o == null) {
            throw new IllegalStateException("bad normalized range " + start + ".." + end);
        }
        String orig = o[0] >= 0 && o[1] <= original.length() && o[0] <= o[1] ? original.substring(o[0], o[1]) : "";
        if (alignStart == null) { // a slice of untouched text is untouched text
            String norm = normalized == original && o[0] == start && o[1] == end ? orig : normalized.substring(start, end);
            return new NormalizedString(orig, norm, null, null, originalShift + o[0]);
        }
        int n = end - start;
        int[] ns = new int[n];
        int[] ne = new int[n];
        for (int i = 0; i < n; i++) {
            ns[i] = alignStart[start + i] - o[0];
            ne[i] = alignEnd[start + i] - o[0];
        }
        return new NormalizedString(orig, normalized.substring(start, end), ns, ne, originalShift + o[0]);
    }

    /** Splits on {@code pattern}, treating the delimiters by {@code behavior}, as HF's {@code split}. */
    public List<NormalizedString> split(SplitPattern pattern, SplitBehavior behavior) {
        int[] m = pattern.findMatches(normalized);
        IntArray pieces = new IntArray(m.length); // (start, end, remove)
        switch (behavior) {
            case ISOLATED -> {
                List<NormalizedString> out = new ArrayList<>(m.length / 3);
                for (int i = 0; i < m.length; i += 3) {
                    out.add(slice(m[i], m[i + 1]));
                }
                return out;
            }
            case REMOVED -> {
                for (int i = 0; i < m.length; i += 3) {
                    pieces.add(m[i], m[i + 1], m[i + 2]);
                }
            }
            case CONTIGUOUS -> {
                boolean previous = false;
                for (int i = 0; i < m.length; i += 3) {
                    boolean isMatch = m[i + 2] == 1;
                    if (isMatch == previous && pieces.size() > 0) {
                        pieces.set(pieces.size() - 2, m[i + 1]);
                    } else {
                        pieces.add(m[i], m[i + 1], 0);
                    }
                    previous = isMatch;
                }
            }
            case MERGED_WITH_PREVIOUS -> {
                boolean previous = false;
                for (int i = 0; i < m.length; i += 3) {
                    boolean isMatch = m[i + 2] == 1;
                    if (isMatch && !previous && pieces.size() > 0) {
                        pieces.set(pieces.size() - 2, m[i + 1]);
                    } else {
                        pieces.add(m[i], m[i + 1], 0);
                    }
                    previous = isMatch;
                }
            }
            case MERGED_WITH_NEXT -> {
                boolean previous = false;
                IntArray reversed = new IntArray(m.length);
                for (int i = m.length - 3; i >= 0; i -= 3) {
                    boolean isMatch = m[i + 2] == 1;
                    if (isMatch && !previous && reversed.size() > 0) {
                        reversed.set(reversed.size() - 3, m[i]);
                    } else {
                        reversed.add(m[i], m[i + 1], 0);
                    }
                    previous = isMatch;
                }
                for (int i = reversed.size() - 3; i >= 0; i -= 3) {
                    pieces.add(reversed.get(i), reversed.get(i + 1), 0);
                }
            }
        }
        List<NormalizedString> out = new ArrayList<>(pieces.size() / 3);
        for (int i = 0; i < pieces.size(); i += 3) {
            if (pieces.get(i + 2) == 0) {
                out.add(slice(pieces.get(i), pieces.get(i + 1)));
            }
        }
        return out;
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "NormalizedString[" + normalized + " <- " + original + " @" + originalShift + "]";
    }
}
