package dev.tongyeok.model;

/**
 * The scratch matrices of one attention head, Kᵀ (D, Ts) and the scores (Ts, Ts), one pair per
 * thread and grown to the longest sequence seen: heads run on pool threads, many times per pass,
 * and allocating these per head made most of a batch run's garbage.
 */
public final class HeadScratch {
    private static final ThreadLocal<HeadScratch> LOCAL = ThreadLocal.withInitial(HeadScratch::new);

    private float[] keysT = new float[0];
    private float[] scores = new float[0];

    /** This thread's scratch. */
    public static HeadScratch get() {
        return LOCAL.get();
    }

    /** At least {@code n} floats for Kᵀ (contents left over from the last head). */
    public float[] keysT(int n) {
        if (keysT.length < n) {
            keysT = new float[n];
        }
        return keysT;
    }

    /** At least {@code n} floats for the scores (contents left over from the last head). */
    public float[] scores(int n) {
        if (scores.length < n) {
            scores = new float[n];
        }
        return scores;
    }
}
