package dev.tongyeok.model.bert;

import dev.tongyeok.load.BertConfig;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.HeadScratch;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.model.layer.LayerNorm;
import dev.tongyeok.model.layer.Linear;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinTask;

/**
 * HF transformers' {@code BertLayer} (post-norm): self attention softmax(QKᵀ/√D)·V per head,
 * {@code attention.output.dense} plus the residual, LayerNorm; then
 * {@code intermediate.dense} + GELU, {@code output.dense} plus the residual, LayerNorm.
 * Attention runs sequence by sequence over a packed batch, so there is nothing to mask.
 */
public final class BertLayer {
    private static final long PARALLEL_MIN_WORK = 1L << 16;
    // Workspace buffers: q, k, v, ctx, h, y: (T, C); inter: (T, I).
    private static final int Q = 0;
    private static final int K = 1;
    private static final int V = 2;
    private static final int CTX = 3;
    private static final int HID = 4;
    static final int Y = 5;
    private static final int INTER = 6;

    final Linear query;
    final Linear key;
    final Linear value;
    final Linear attention_output_dense;
    final LayerNorm attention_output_LayerNorm;
    final Linear intermediate_dense;
    final Linear output_dense;
    final LayerNorm output_LayerNorm;
    private final int C;
    private final int H;
    private final int D;
    private final int I;
    private final String act;

    BertLayer(WeightSource w, BertConfig cfg, int index) {
        String p = "encoder.layer." + index + ".";
        C = cfg.hidden_size();
        H = cfg.num_attention_heads();
        D = cfg.headSize();
        I = cfg.intermediate_size();
        act = cfg.hidden_act();
        query = Linear.load(w, p + "attention.self.query", C, C);
        key = Linear.load(w, p + "attention.self.key", C, C);
        value = Linear.load(w, p + "attention.self.value", C, C);
        attention_output_dense = Linear.load(w, p + "attention.output.dense", C, C);
        attention_output_LayerNorm = LayerNorm.load(w, p + "attention.output.LayerNorm", C, cfg.layer_norm_eps());
        intermediate_dense = Linear.load(w, p + "intermediate.dense", C, I);
        output_dense = Linear.load(w, p + "output.dense", I, C);
        output_LayerNorm = LayerNorm.load(w, p + "output.LayerNorm", C, cfg.layer_norm_eps());
    }

    /**
     * Writes the layer's output for input {@code x} into {@code out} (which must not be {@code x}).
     *
     * <pre>x: (T, C) -> out: (T, C)</pre>
     */
    void forward(TensorOps ops, float[] x, float[] out, PackedBatch batch, int layer, Observer observer,
            Workspace ws) {
        int T = batch.tokens();
        int[] starts = batch.seqStarts();
        float[] q = ws.get(Q, T * C);
        float[] k = ws.get(K, T * C);
        float[] v = ws.get(V, T * C);
        query.forward(ops, x, T, starts, q);
        key.forward(ops, x, T, starts, k);
        value.forward(ops, x, T, starts, v);
        float[] ctx = ws.get(CTX, T * C);
        attention(ops, q, k, v, ctx, batch, layer, observer);

        float[] h = ws.get(HID, T * C);
        attention_output_dense.forward(ops, ctx, T, starts, h);
        ops.add(h, 0, x, 0, T * C);
        attention_output_LayerNorm.forward(ops, h, T);

        float[] inter = ws.get(INTER, T * I);
        intermediate_dense.forward(ops, h, T, starts, inter);
        switch (act) {
            case "gelu" -> ops.gelu(inter, 0, T * I);
            case "relu" -> {
                for (int i = 0; i < T * I; i++) {
                    inter[i] = Math.max(0, inter[i]);
                }
            }
            default -> ops.geluTanh(inter, 0, T * I);
        }
        output_dense.forward(ops, inter, T, starts, out);
        ops.add(out, 0, h, 0, T * C);
        output_LayerNorm.forward(ops, out, T);
    }

    // ctx[i, h] = Σ_j softmax_j(q[i, h]·k[j, h] / √D) · v[j, h], for each sequence and head.
    private void attention(TensorOps ops, float[] q, float[] k, float[] v, float[] ctx, PackedBatch batch, int layer,
            Observer observer) {
        int S = batch.sequences();
        int[] starts = batch.seqStarts();
        long work = 0;
        for (int s = 0; s < S; s++) {
            long n = starts[s + 1] - starts[s];
            work += n * n * C;
        }
        boolean observe = observer.wantsAttention();
        if (work < PARALLEL_MIN_WORK || observe || !Ops.maySplit()) {
            for (int s = 0; s < S; s++) {
                for (int hd = 0; hd < H; hd++) {
                    head(ops, q, k, v, ctx, starts[s], starts[s + 1], hd, layer, s, observer);
                }
            }
            return;
        }
        // A task per sequence, or per head when there are fewer sequences than threads (one long text).
        boolean perHead = S < Ops.POOL.getParallelism();
        List<ForkJoinTask<?>> tasks = new ArrayList<>();
        for (int s = 0; s < S; s++) {
            int s0 = starts[s];
            int s1 = starts[s + 1];
            for (int h0 = 0; h0 < H; h0 += perHead ? 1 : H) {
                int from = h0;
                int to = perHead ? h0 + 1 : H;
                tasks.add(Ops.POOL.submit(() -> {
                    for (int hd = from; hd < to; hd++) {
                        head(ops, q, k, v, ctx, s0, s1, hd, layer, -1, Observer.NONE);
                    }
                }));
            }
        }
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    // One head of one sequence: scores = Q_h K_hᵀ / √D, softmax by row, ctx_h = P V_h.
    private void head(TensorOps ops, float[] q, float[] k, float[] v, float[] ctx, int s0, int s1, int hd, int layer,
            int seq, Observer observer) {
        int Ts = s1 - s0;
        float sqrtD = (float) Math.sqrt(D);
        int off = hd * D;
        HeadScratch scratch = HeadScratch.get();
        float[] kt = scratch.keysT(D * Ts); // K_hᵀ: (D, Ts)
        for (int j = 0; j < Ts; j++) {
            int kj = (s0 + j) * C + off;
            for (int d = 0; d < D; d++) {
                kt[d * Ts + j] = k[kj + d];
            }
        }
        float[] p = scratch.scores(Ts * Ts); // (Ts, Ts)
        ops.gemm(q, s0 * C + off, C, kt, 0, Ts, p, 0, Ts, Ts, D, Ts);
        for (int i = 0; i < Ts * Ts; i++) {
            p[i] /= sqrtD;
        }
        for (int i = 0; i < Ts; i++) {
            ops.softmax(p, i * Ts, Ts);
        }
        if (observer.wantsAttention()) {
            observer.attention(layer, seq, hd, p, Ts);
        }
        ops.gemm(p, 0, Ts, v, s0 * C + off, C, ctx, s0 * C + off, C, Ts, Ts, D);
    }
}
