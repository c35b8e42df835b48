package dev.tongyeok.model.mpnet;

/**
 * MPNet's relative-position buckets (T5's, bidirectional): the key at distance j − i from the
 * query falls in one of {@code buckets} buckets; half for keys after the query, half before;
 * within each half, distances below a quarter of the buckets have one bucket each and the rest
 * share log-spaced buckets up to {@code maxDistance}, beyond which all share the last.
 */
public final class RelativePositions {
    /** The distance beyond which every key shares one bucket, as MPNet's reference code sets it. */
    public static final int MAX_DISTANCE = 128;

    private RelativePositions() {}

    /**
     * The bucket of a key at {@code relative} = key position − query position.
     *
     * <pre>
     * n = −relative; half = buckets / 2; exact = half / 2
     * bucket = (n &lt; 0 ? half : 0) + (|n| &lt; exact ? |n|
     *        : min(half − 1, exact + ⌊ln(|n| / exact) / ln(maxDistance / exact) · (half − exact)⌋))
     * </pre>
     */
    public static int bucket(int relative, int buckets, int maxDistance) {
        int n = -relative;
        int half = buckets / 2;
        int ret = n < 0 ? half : 0;
        n = Math.abs(n);
        int exact = half / 2;
        if (n < exact) {
            return ret + n;
        }
        // In float32, as the reference computes it (torch.log(n.float() / exact) / math.log(...) * ...),
        // then truncated toward zero (.to(torch.long)).
        float log = (float) Math.log((float) n / exact);
        float scaled = log / (float) Math.log((double) maxDistance / exact) * (half - exact);
        return ret + Math.min(half - 1, exact + (int) scaled);
    }
}
