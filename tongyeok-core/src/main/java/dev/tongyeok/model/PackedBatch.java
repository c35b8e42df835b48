package dev.tongyeok.model;

import java.util.Arrays;

/**
 * Several sequences laid end to end without padding (as text-embeddings-inference feeds its
 * backends): token ids, token type ids and positions for T rows, and where each sequence starts.
 * Attention never crosses a sequence boundary, so no work is spent on padding and a sequence's
 * result does not depend on its neighbours.
 *
 * @param ids token ids, (T)
 * @param typeIds token type ids, (T)
 * @param positions position ids, (T): 0.. within each sequence
 * @param seqStarts S + 1 entries: sequence s is rows [seqStarts[s], seqStarts[s + 1])
 */
public record PackedBatch(int[] ids, int[] typeIds, int[] positions, int[] seqStarts) {

    /**
     * @throws IllegalArgumentException when the arrays disagree in length or the starts are not increasing
     */
    public PackedBatch {
        if (typeIds.length != ids.length || positions.length != ids.length || seqStarts.length < 1
                || seqStarts[0] != 0 || seqStarts[seqStarts.length - 1] != ids.length) {
            throw new IllegalArgumentException("packed batch: ids " + ids.length + ", type ids " + typeIds.length
                    + ", positions " + positions.length + ", sequence starts " + Arrays.toString(seqStarts));
        }
        for (int s = 1; s < seqStarts.length; s++) {
            if (seqStarts[s] < seqStarts[s - 1]) {
                throw new IllegalArgumentException("packed batch: sequence starts decrease at " + s);
            }
        }
    }

    /** Packs sequences given as their token ids and type ids; positions count from 0 in each. */
    public static PackedBatch of(int[][] ids, int[][] typeIds) {
        int T = 0;
        for (int[] s : ids) {
            T += s.length;
        }
        int[] i = new int[T];
        int[] t = new int[T];
        int[] p = new int[T];
        int[] starts = new int[ids.length + 1];
        int at = 0;
        for (int s = 0; s < ids.length; s++) {
            starts[s] = at;
            System.arraycopy(ids[s], 0, i, at, ids[s].length);
            System.arraycopy(typeIds[s], 0, t, at, ids[s].length);
            for (int k = 0; k < ids[s].length; k++) {
                p[at + k] = k;
            }
            at += ids[s].length;
        }
        starts[ids.length] = T;
        return new PackedBatch(i, t, p, starts);
    }

    /** T, the number of rows. */
    public int tokens() {
        return ids.length;
    }

    /** S, the number of sequences. */
    public int sequences() {
        return seqStarts.length - 1;
    }
}
