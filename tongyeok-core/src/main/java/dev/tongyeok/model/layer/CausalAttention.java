package dev.tongyeok.model.layer;

import dev.tongyeok.model.HeadScratch;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * A decoder's scaled dot-product attention over a packed batch: in each sequence, token i attends
 * to tokens 0..i only, softmax(q·kᵀ / √D) · v, per head; with grouped-query attention query head h
 * reads key/value head h / (H / KV) (multi-query: KV = 1).
 */
public final class CausalAttention {
    private final int H;
    private final int KV;
    private final int D;

    /** Attention with {@code H} query heads, {@code KV} key/value heads, heads of width {@code D}. */
    public CausalAttention(int H, int KV, int D) {
        this.H = H;
        this.KV = KV;
        this.D = D;
    }

    /**
     * Writes each token's attention output into {@code ctx}.
     *
     * <pre>q: (T, H·D), k, v: (T, KV·D) -> ctx: (T, H·D)</pre>
     */
    public void forward(TensorOps ops, float[] q, float[] k, float[] v, float[] ctx, PackedBatch batch, int layer,
            Observer observer) {
        batch.forEachHead(H, H * D, observer.wantsAttention(),
                (s, s0, s1, h) -> head(ops, q, k, v, ctx, s0, s1, h, layer, s, observer));
    }

    // One head of one sequence: P = causal softmax(Q_h K_gᵀ / √D), ctx_h = P V_g.
    private void head(TensorOps ops, float[] q, float[] k, float[] v, float[] ctx, int s0, int s1, int h, int layer,
            int seq, Observer observer) {
        int Ts = s1 - s0;
        int qw = H * D;
        int kw = KV * D;
        int g = h / (H / KV);
        HeadScratch scratch = HeadScratch.get();
        float[] kt = scratch.keysT(D * Ts); // K_gᵀ: (D, Ts)
        for (int j = 0; j < Ts; j++) {
            int kj = (s0 + j) * kw + g * D;
            for (int d = 0; d < D; d++) {
                kt[d * Ts + j] = k[kj + d];
            }
        }
        float[] p = scratch.scores(Ts * Ts);
        ops.gemm(q, s0 * qw + h * D, qw, kt, 0, Ts, p, 0, Ts, Ts, D, Ts);
        float sqrtD = (float) Math.sqrt(D);
        for (int i = 0; i < Ts; i++) {
            for (int j = 0; j <= i; j++) {
                p[i * Ts + j] /= sqrtD;
            }
            ops.softmax(p, i * Ts, i + 1);
            java.util.Arrays.fill(p, i * Ts + i + 1, i * Ts + Ts, 0f);
        }
        if (observer.wantsAttention()) {
            observer.attention(layer, seq, h, p, Ts);
        }
        ops.gemm(p, 0, Ts, v, s0 * kw + g * D, kw, ctx, s0 * qw + h * D, qw, Ts, Ts, D);
    }
}
