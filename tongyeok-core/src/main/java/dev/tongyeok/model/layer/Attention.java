package dev.tongyeok.model.layer;

import dev.tongyeok.model.HeadScratch;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * Scaled dot-product attention over a packed batch, per sequence and head:
 * ctx_h = softmax(Q_h K_gᵀ / √D) · V_g. An encoder's tokens see their whole sequence; a decoder's
 * ({@link #causal}) token i sees tokens 0..i only. With grouped-query attention query head h reads
 * key/value head g = h / (H / KV) (multi-query: KV = 1; an encoder: KV = H). With ALiBi
 * ({@link #withAlibi}) the scores of head h are biased by −m_h · |i − j| before the softmax; with a
 * window ({@link #withWindow}) token i sees only the tokens within it.
 */
public final class Attention {
    private final int H;
    private final int KV;
    private final int D;
    private final boolean causal;
    private final float[] slopes; // ALiBi's m_h, or null
    private final int window; // a token sees those at most this far away; 0: all

    private Attention(int H, int KV, int D, boolean causal) {
        this(H, KV, D, causal, null, 0);
    }

    private Attention(int H, int KV, int D, boolean causal, float[] slopes, int window) {
        if (H <= 0 || KV <= 0 || D <= 0 || H % KV != 0) {
            throw new IllegalArgumentException("attention: " + H + " query heads, " + KV + " key/value heads of " + D);
        }
        this.H = H;
        this.KV = KV;
        this.D = D;
        this.causal = causal;
        this.slopes = slopes;
        this.window = window;
    }

    /**
     * This attention over a sliding window: token i sees token j only when |i − j| ≤ {@code halfWidth}
     * (ModernBERT's local layers: a window of 128 tokens, 64 each side).
     */
    public Attention withWindow(int halfWidth) {
        if (halfWidth <= 0) {
            throw new IllegalArgumentException("attention window: " + halfWidth);
        }
        return new Attention(H, KV, D, causal, slopes, halfWidth);
    }

    /**
     * This attention with ALiBi biases (Press et al.; symmetric, as JinaBERT uses them): head h's
     * score of token j seen from token i gets −m_h · |i − j| added. For H a power of two,
     * m_h = 2^(−maxBias · (h + 1) / H); otherwise the heads past the largest power of two n take
     * every other slope of 2n heads (the paper's interpolation, as llama.cpp computes it).
     */
    public Attention withAlibi(double maxBias) {
        int n = Integer.highestOneBit(H);
        double m0 = Math.pow(2, -maxBias / n);
        double m1 = Math.pow(2, -maxBias / 2 / n);
        float[] m = new float[H];
        for (int h = 0; h < H; h++) {
            m[h] = (float) (h < n ? Math.pow(m0, h + 1) : Math.pow(m1, 2 * (h - n) + 1));
        }
        return new Attention(H, KV, D, causal, m, window);
    }

    /** An encoder's attention: {@code H} heads of width {@code D}, every token seeing its whole sequence. */
    public static Attention bidirectional(int H, int D) {
        return new Attention(H, H, D, false);
    }

    /**
     * An encoder's attention with grouped key/value heads: {@code H} query heads, {@code KV}
     * key/value heads of width {@code D}, every token seeing its whole sequence (EmbeddingGemma).
     */
    public static Attention bidirectional(int H, int KV, int D) {
        return new Attention(H, KV, D, false);
    }

    /** A decoder's attention: {@code H} query heads, {@code KV} key/value heads of width {@code D}, causal. */
    public static Attention causal(int H, int KV, int D) {
        return new Attention(H, KV, D, true);
    }

    /**
     * Where attention reads Q, K and V: row t of Q starts at {@code q[t * qLd + qOff]}, and likewise
     * for K and V (one fused matrix with three offsets, or three matrices).
     */
    public record Heads(float[] q, int qOff, int qLd, float[] k, int kOff, int kLd, float[] v, int vOff, int vLd) {
        /** Three matrices: Q of (T, H·D), K and V of (T, KV·D). */
        public static Heads separate(float[] q, float[] k, float[] v, int qWidth, int kvWidth) {
            return new Heads(q, 0, qWidth, k, 0, kvWidth, v, 0, kvWidth);
        }

        /** One matrix whose rows are [q | k | v], each C wide. */
        public static Heads fused(float[] qkv, int C) {
            return new Heads(qkv, 0, 3 * C, qkv, C, 3 * C, qkv, 2 * C, 3 * C);
        }
    }

    /**
     * Writes each token's attention output into {@code ctx}.
     *
     * <pre>q: (T, H·D), k, v: (T, KV·D) -> ctx: (T, H·D)</pre>
     */
    public void forward(TensorOps ops, float[] q, float[] k, float[] v, float[] ctx, PackedBatch batch, int layer,
            Observer observer) {
        forward(ops, Heads.separate(q, k, v, H * D, KV * D), ctx, batch, layer, observer);
    }

    /**
     * As {@link #forward(TensorOps, float[], float[], float[], float[], PackedBatch, int, Observer)},
     * reading the heads where {@code in} says.
     *
     * <pre>in -> ctx: (T, H·D)</pre>
     */
    public void forward(TensorOps ops, Heads in, float[] ctx, PackedBatch batch, int layer, Observer observer) {
        batch.forEachHead(H, H * D, observer.wantsAttention(),
                (s, s0, s1, h) -> head(ops, in, ctx, s0, s1, h, layer, s, observer));
    }

    // One head of one sequence: P = softmax(Q_h K_gᵀ / √D) by row (causal: over j ≤ i), ctx_h = P V_g.
    private void head(TensorOps ops, Heads in, float[] ctx, int s0, int s1, int h, int layer, int seq,
            Observer observer) {
        int Ts = s1 - s0;
        int qw = H * D;
        int g = h / (H / KV);
        HeadScratch scratch = HeadScratch.get();
        float[] k = in.k();
        float[] kt = scratch.keysT(D * Ts); // K_gᵀ: (D, Ts)
        for (int j = 0; j < Ts; j++) {
            int kj = (s0 + j) * in.kLd() + in.kOff() + g * D;
            for (int d = 0; d < D; d++) {
                kt[d * Ts + j] = k[kj + d];
            }
        }
        float[] p = scratch.scores(Ts * Ts); // (Ts, Ts)
        ops.gemm(in.q(), s0 * in.qLd() + in.qOff() + h * D, in.qLd(), kt, 0, Ts, p, 0, Ts, Ts, D, Ts);
        float sqrtD = (float) Math.sqrt(D);
        for (int i = 0; i < Ts; i++) {
            int seen = causal ? i + 1 : Ts;
            for (int j = 0; j < seen; j++) {
                p[i * Ts + j] /= sqrtD;
            }
            if (slopes != null) {
                float m = slopes[h];
                for (int j = 0; j < seen; j++) {
                    p[i * Ts + j] -= m * Math.abs(i - j);
                }
            }
            if (window > 0) {
                for (int j = 0; j < seen; j++) {
                    if (Math.abs(i - j) > window) {
                        p[i * Ts + j] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
            ops.softmax(p, i * Ts, seen);
            java.util.Arrays.fill(p, i * Ts + seen, i * Ts + Ts, 0f);
        }
        if (observer.wantsAttention()) {
            observer.attention(layer, seq, h, p, Ts);
        }
        ops.gemm(p, 0, Ts, in.v(), s0 * in.vLd() + in.vOff() + g * D, in.vLd(), ctx, s0 * qw + h * D, qw, Ts, Ts, D);
    }
}
