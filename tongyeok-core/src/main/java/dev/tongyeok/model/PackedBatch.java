package dev.tongyeok.model;

import dev.tongyeok.tensor.ops.Ops;
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

    /** Below this much attention work (Σ Ts² × width) the heads run on the calling thread. */
    private static final long PARALLEL_MIN_WORK = 1L << 16;

    /** One attention head of one sequence, rows [s0, s1). */
    @FunctionalInterface
    public interface HeadTask {
        void run(int sequence, int s0, int s1, int head);
    }

    /**
     * Runs {@code task} for every (sequence, head) pair of an attention with {@code H} heads
     * {@code width} wide in all: on the calling thread, in order, when the work (Σ Ts² × width) is
     * small, when {@code inOrder} (an observer collects the heads) or when the caller is already a
     * compute thread; otherwise in one run of consecutive pairs per thread ({@link Ops#parallelRuns}).
     */
    public void forEachHead(int H, int width, boolean inOrder, HeadTask task) {
        int S = sequences();
        long work = 0;
        for (int s = 0; s < S; s++) {
            long n = seqStarts[s + 1] - seqStarts[s];
            work += n * n * width;
        }
        if (work < PARALLEL_MIN_WORK || inOrder || !Ops.maySplit()) {
            for (int s = 0; s < S; s++) {
                for (int h = 0; h < H; h++) {
                    task.run(s, seqStarts[s], seqStarts[s + 1], h);
                }
            }
            return;
        }
        // pair = s * H + head
        Ops.parallelRuns(S * H, pair -> {
            long n = seqStarts[pair / H + 1] - seqStarts[pair / H];
            return n * n;
        }, (from, to) -> {
            for (int pair = from; pair < to; pair++) {
                int s = pair / H;
                task.run(s, seqStarts[s], seqStarts[s + 1], pair % H);
            }
        });
    }

    /**
     * Fails when an id, position or token type of the batch is outside the model's tables.
     *
     * @param types rows of the token type table; 0 when the model has none (types are then not read)
     * @throws IllegalArgumentException naming the row and the table
     */
    public void checkTables(int vocab, int maxPositions, int types) {
        for (int t = 0; t < tokens(); t++) {
            if (ids[t] < 0 || ids[t] >= vocab) {
                throw new IllegalArgumentException("token id " + ids[t] + " at row " + t + " is outside the vocabulary [0, "
                        + vocab + ")");
            }
            if (positions[t] < 0 || positions[t] >= maxPositions) {
                throw new IllegalArgumentException("position " + positions[t] + " at row " + t + " is beyond the model's "
                        + maxPositions + " positions (max_position_embeddings)");
            }
            if (types > 0 && (typeIds[t] < 0 || typeIds[t] >= types)) {
                throw new IllegalArgumentException("token type " + typeIds[t] + " at row " + t + " is outside [0, "
                        + types + ")");
            }
        }
    }
}
