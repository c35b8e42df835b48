package dev.tongyeok.tokenize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The result of tokenizing one text or one pair of texts, as HF's {@code Encoding}: ids, tokens,
 * offsets into the original text, type ids, word ids, the special-tokens and attention masks, and
 * the overflowing parts that truncation cut off. Immutable.
 *
 * <p>Offsets are UTF-16 indexes into the text the token came from ({@code text.substring(start,
 * end)} is what it covers); {@link #codePointOffsets()} gives them in Unicode code points, as HF's
 * Python binding reports them. Special tokens added by the post-processor, and padding, have
 * offsets {@code (0, 0)}.
 */
public final class Encoding {
    /** No sequence ranges: [start0, end0, start1, end1] all absent. */
    static final int[] NO_RANGES = {-1, -1, -1, -1};
    private static final Encoding EMPTY = new Encoding(new int[0], new int[0], new String[0], new int[0],
            new int[0], new int[0], new int[0], List.of(), NO_RANGES, new String[0]);

    private final int[] ids;
    private final int[] typeIds;
    private final String[] tokens;
    private final int[] words;           // -1: no word
    private final int[] offsets;         // start, end per token (UTF-16, in the token's own text)
    private final int[] specialTokensMask;
    private final int[] attentionMask;
    private final List<Encoding> overflowing;
    private final int[] sequenceRanges; // [start0, end0, start1, end1): the tokens of each sequence, -1 where absent
    private final String[] texts;        // the original text of sequence 0 (and 1)

    Encoding(int[] ids, int[] typeIds, String[] tokens, int[] words, int[] offsets, int[] specialTokensMask,
            int[] attentionMask, List<Encoding> overflowing, int[] sequenceRanges, String[] texts) {
        this.ids = ids;
        this.typeIds = typeIds;
        this.tokens = tokens;
        this.words = words;
        this.offsets = offsets;
        this.specialTokensMask = specialTokensMask;
        this.attentionMask = attentionMask;
        this.overflowing = overflowing;
        this.sequenceRanges = sequenceRanges;
        this.texts = texts;
    }

    /** An encoding with no tokens. */
    public static Encoding empty() {
        return EMPTY;
    }

    /**
     * Special tokens, as a post-processor adds them: no word, offsets (0, 0), special mask 1.
     *
     * @param ids their ids
     * @param tokens their strings
     * @param typeId the type id of all of them
     */
    public static Encoding special(int[] ids, String[] tokens, int typeId) {
        int n = ids.length;
        int[] type = new int[n];
        Arrays.fill(type, typeId);
        int[] words = new int[n];
        Arrays.fill(words, -1);
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        return new Encoding(ids.clone(), type, tokens.clone(), words, new int[2 * n], ones, ones.clone(),
                List.of(), NO_RANGES, new String[0]);
    }

    /**
     * Tokens given by id, as the complete sequence (nothing added): type 0, no words, offsets
     * (0, 0), no special-token mask.
     *
     * @param ids their ids
     * @param tokens their strings
     */
    public static Encoding ofIds(int[] ids, String[] tokens) {
        int n = ids.length;
        int[] words = new int[n];
        Arrays.fill(words, -1);
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        return new Encoding(ids.clone(), new int[n], tokens.clone(), words, new int[2 * n], new int[n], ones,
                List.of(), NO_RANGES, new String[0]);
    }

    /** The number of tokens. */
    public int length() {
        return ids.length;
    }

    /** The token ids. */
    public int[] ids() {
        return ids.clone();
    }

    /** The token id at {@code i}. */
    public int id(int i) {
        return ids[i];
    }

    /** The token strings. */
    public List<String> tokens() {
        return Collections.unmodifiableList(Arrays.asList(tokens));
    }

    /** The token string at {@code i}. */
    public String token(int i) {
        return tokens[i];
    }

    /** The type (segment) ids: 0 for the first sequence, 1 for the second in BERT-style pairs. */
    public int[] typeIds() {
        return typeIds.clone();
    }

    /** The index of the pre-tokenized word each token belongs to, -1 for special tokens and padding. */
    public int[] wordIds() {
        return words.clone();
    }

    /** Start and end of each token in its original text in UTF-16 units, as pairs: {@code [s0, e0, s1, e1, ...]}. */
    public int[] offsets() {
        return offsets.clone();
    }

    /** Where token {@code i} starts in its original text (UTF-16 units). */
    public int start(int i) {
        return offsets[2 * i];
    }

    /** Where token {@code i} ends in its original text (UTF-16 units). */
    public int end(int i) {
        return offsets[2 * i + 1];
    }

    /** Whether token {@code i} is special (a marker or padding): {@code specialTokensMask()[i] == 1} without the copy. */
    public boolean special(int i) {
        return specialTokensMask[i] == 1;
    }

    /** 1 for each special token (markers and padding), 0 for text tokens (a copy: call once, not per token). */
    public int[] specialTokensMask() {
        return specialTokensMask.clone();
    }

    /** 1 for each real token, 0 for padding. */
    public int[] attentionMask() {
        return attentionMask.clone();
    }

    /** The parts that truncation cut off, each an encoding of its own. */
    public List<Encoding> overflowing() {
        return overflowing;
    }

    /** The sequence (0 or 1) token {@code i} came from, or -1 for tokens outside both (markers, padding). */
    public int sequenceId(int i) {
        for (int seq = 0; seq < 2; seq++) {
            if (sequenceRanges[2 * seq] >= 0 && i >= sequenceRanges[2 * seq] && i < sequenceRanges[2 * seq + 1]) {
                return seq;
            }
        }
        return -1;
    }

    /** The original text token {@code i} came from, or null for tokens outside both sequences. */
    public String sourceText(int i) {
        int seq = sequenceId(i);
        return seq >= 0 && seq < texts.length ? texts[seq] : null;
    }

    /**
     * The offsets in Unicode code points, as HF's Python binding and {@code encode_char_offsets}
     * report them: pairs {@code [s0, e0, s1, e1, ...]}.
     */
    public int[] codePointOffsets() {
        int[] out = new int[offsets.length];
        for (int i = 0; i < ids.length; i++) {
            int seq = sequenceId(i);
            String text = seq >= 0 && seq < texts.length ? texts[seq] : null;
            int s = offsets[2 * i], e = offsets[2 * i + 1];
            if (text == null || (s == 0 && e == 0)) {
                out[2 * i] = s;
                out[2 * i + 1] = e;
                continue;
            }
            out[2 * i] = text.codePointCount(0, Math.min(s, text.length()));
            out[2 * i + 1] = text.codePointCount(0, Math.min(e, text.length()));
        }
        return out;
    }

    // ---- operations used by the pipeline (HF's Encoding methods), each returning a new encoding

    /** A copy marking every token as sequence {@code sequenceId} again, after truncation cleared it. */
    Encoding withSequenceId(int sequenceId) {
        return withSequenceId(sequenceId, sequenceId < texts.length ? texts[sequenceId] : null);
    }

    Encoding withSequenceId(int sequenceId, String text) {
        int[] ranges = NO_RANGES.clone();
        ranges[2 * sequenceId] = 0;
        ranges[2 * sequenceId + 1] = ids.length;
        String[] t = new String[sequenceId + 1];
        t[sequenceId] = text;
        List<Encoding> over = new ArrayList<>(overflowing.size());
        for (Encoding o : overflowing) {
            over.add(o.withSequenceId(sequenceId, text));
        }
        return new Encoding(ids, typeIds, tokens, words, offsets, specialTokensMask, attentionMask, over, ranges, t);
    }

    /** A copy with every type id set to {@code typeId}. */
    public Encoding withTypeId(int typeId) {
        int[] t = new int[ids.length];
        Arrays.fill(t, typeId);
        List<Encoding> over = new ArrayList<>(overflowing.size());
        for (Encoding o : overflowing) {
            over.add(o.withTypeId(typeId));
        }
        return new Encoding(ids, t, tokens, words, offsets, specialTokensMask, attentionMask, over, sequenceRanges, texts);
    }

    /** A copy with other offsets (same length, pairs). */
    public Encoding withOffsets(int[] newOffsets) {
        return new Encoding(ids, typeIds, tokens, words, newOffsets, specialTokensMask, attentionMask, overflowing,
                sequenceRanges, texts);
    }

    /** A copy with other overflowing parts. */
    public Encoding withOverflowing(List<Encoding> newOverflowing) {
        return new Encoding(ids, typeIds, tokens, words, offsets, specialTokensMask, attentionMask,
                List.copyOf(newOverflowing), sequenceRanges, texts);
    }

    /** Concatenates encodings, as HF's {@code Encoding::merge} (offsets not shifted). */
    public static Encoding merge(List<Encoding> encodings) {
        Encoding result = EMPTY;
        for (Encoding e : encodings) {
            result = result.mergeWith(e);
        }
        return result;
    }

    /** This encoding followed by {@code pair}, overflowing parts combined as HF's {@code merge_with}. */
    public Encoding mergeWith(Encoding pair) {
        List<Encoding> over = new ArrayList<>();
        for (Encoding selfO : overflowing) {
            over.add(selfO.mergeWith(pair));
            for (Encoding otherO : pair.overflowing) {
                over.add(selfO.mergeWith(otherO));
            }
        }
        for (Encoding otherO : pair.overflowing) {
            over.add(this.withOverflowing(List.of()).mergeWith(otherO));
        }
        int n = ids.length, m = pair.ids.length;
        int[] ranges = sequenceRanges.clone();
        for (int k = 0; k < 4; k += 2) {
            if (pair.sequenceRanges[k] >= 0) {
                ranges[k] = n + pair.sequenceRanges[k];
                ranges[k + 1] = n + pair.sequenceRanges[k + 1];
            }
        }
        String[] t = Arrays.copyOf(texts, Math.max(texts.length, pair.texts.length));
        for (int i = 0; i < pair.texts.length; i++) {
            if (pair.texts[i] != null) {
                t[i] = pair.texts[i];
            }
        }
        String[] tok = Arrays.copyOf(tokens, n + m);
        System.arraycopy(pair.tokens, 0, tok, n, m);
        return new Encoding(concat(ids, pair.ids), concat(typeIds, pair.typeIds), tok, concat(words, pair.words),
                concat(offsets, pair.offsets), concat(specialTokensMask, pair.specialTokensMask),
                concat(attentionMask, pair.attentionMask), List.copyOf(over), ranges, t);
    }

    /**
     * Keeps at most {@code maxLength} tokens; what is cut off becomes overflowing parts that
     * overlap by {@code stride}, as HF's {@code Encoding::truncate}.
     */
    public Encoding truncate(int maxLength, int stride, boolean fromLeft) {
        int n = ids.length;
        if (maxLength >= n) {
            return this;
        }
        if (maxLength == 0) {
            Encoding all = this;
            return new Encoding(new int[0], new int[0], new String[0], new int[0], new int[0], new int[0], new int[0],
                    List.of(all), NO_RANGES, texts);
        }
        if (stride >= maxLength) {
            throw new TokenizerException("truncation stride " + stride + " must be less than max length " + maxLength
                    + " (the max length without the special tokens)");
        }
        int step = maxLength - stride;
        List<int[]> parts = new ArrayList<>();
        if (!fromLeft) {
            for (int start = 0; start < n; start += step) {
                int stop = Math.min(start + maxLength, n);
                parts.add(new int[] {start, stop});
                if (stop == n) {
                    break;
                }
            }
        } else {
            for (int s = n - 1; s >= 0; s -= step) {
                int stop = s + 1;
                int start = Math.max(0, stop - maxLength);
                parts.add(new int[] {start, stop});
                if (start == 0) {
                    break;
                }
            }
        }
        List<Encoding> over = new ArrayList<>();
        for (int i = 1; i < parts.size(); i++) {
            over.add(range(parts.get(i)[0], parts.get(i)[1], List.of()));
        }
        return range(parts.get(0)[0], parts.get(0)[1], over);
    }

    private Encoding range(int start, int stop, List<Encoding> over) {
        return new Encoding(Arrays.copyOfRange(ids, start, stop), Arrays.copyOfRange(typeIds, start, stop),
                Arrays.copyOfRange(tokens, start, stop), Arrays.copyOfRange(words, start, stop),
                Arrays.copyOfRange(offsets, 2 * start, 2 * stop), Arrays.copyOfRange(specialTokensMask, start, stop),
                Arrays.copyOfRange(attentionMask, start, stop), List.copyOf(over), NO_RANGES, texts);
    }

    /** Pads to {@code targetLength} with {@code padToken}, as HF's {@code Encoding::pad}. */
    public Encoding pad(int targetLength, int padId, int padTypeId, String padToken, boolean left) {
        List<Encoding> over = new ArrayList<>(overflowing.size());
        for (Encoding o : overflowing) {
            over.add(o.pad(targetLength, padId, padTypeId, padToken, left));
        }
        int n = ids.length;
        if (n >= targetLength) {
            return overflowing.isEmpty() ? this : withOverflowing(over);
        }
        int p = targetLength - n;
        int at = left ? p : 0;      // where the real tokens go
        int padAt = left ? 0 : n;   // where padding goes
        int[] nIds = new int[targetLength], nType = new int[targetLength], nWords = new int[targetLength];
        int[] nOff = new int[2 * targetLength], nSpecial = new int[targetLength], nAttn = new int[targetLength];
        String[] nTok = new String[targetLength];
        System.arraycopy(ids, 0, nIds, at, n);
        System.arraycopy(typeIds, 0, nType, at, n);
        System.arraycopy(words, 0, nWords, at, n);
        System.arraycopy(offsets, 0, nOff, 2 * at, 2 * n);
        System.arraycopy(specialTokensMask, 0, nSpecial, at, n);
        System.arraycopy(attentionMask, 0, nAttn, at, n);
        System.arraycopy(tokens, 0, nTok, at, n);
        for (int i = padAt; i < padAt + p; i++) {
            nIds[i] = padId;
            nType[i] = padTypeId;
            nWords[i] = -1;
            nSpecial[i] = 1;
            nAttn[i] = 0;
            nTok[i] = padToken;
        }
        int[] ranges = sequenceRanges.clone();
        for (int k = 0; k < 4; k++) {
            if (ranges[k] >= 0) {
                ranges[k] += at;
            }
        }
        return new Encoding(nIds, nType, nTok, nWords, nOff, nSpecial, nAttn, List.copyOf(over), ranges, texts);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(tokens);
    }
}
