package dev.tongyeok.model.bert;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.HeadScratch;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.model.layer.LayerNorm;
import dev.tongyeok.model.layer.Linear;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * HF transformers' {@code BertLayer} (post-norm): self attention softmax(QKᵀ/√D)·V per head,
 * {@code attention.output.dense} plus the residual, LayerNorm; then
 * {@code intermediate.dense} + GELU, {@code output.dense} plus the residual, LayerNorm.
 * Attention runs sequence by sequence over a packed batch, so there is nothing to mask.
 */
public final class BertLayer {
    // Workspace buffers: q, k, v, ctx, h, y: (T, C), q holding [q | k | v] (T, 3C) when fused; inter: (T, I);
    // x: (T, C), the embeddings, which the model swaps with y layer by layer.
    private static final int Q = 0;
    private static final int K = 1;
    private static final int V = 2;
    private static final int CTX = 3;
    private static final int HID = 4;
    static final int Y = 5;
    private static final int INTER = 6;
    static final int X = 7;

    // Q, K and V as one product of 3C columns where their weights allow it (F32 panels, C whole
    // panels): one pass and one hand-off between threads instead of three. Otherwise the three.
    private final Linear qkv;
    private final Linear query;
    private final Linear key;
    private final Linear value;
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
        Linear q = Linear.load(w, p + "attention.self.query", C, C);
        Linear k = Linear.load(w, p + "attention.self.key", C, C);
        Linear v = Linear.load(w, p + "attention.self.value", C, C);
        qkv = Linear.fuse(q, k, v);
        query = qkv == null ? q : null;
        key = qkv == null ? k : null;
        value = qkv == null ? v : null;
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
        Heads in;
        if (qkv != null) {
            float[] f = ws.get(Q, T * 3 * C); // rows [q | k | v]
            qkv.forward(ops, x, T, starts, f);
            in = new Heads(f, f, f, 0, C, 2 * C, 3 * C);
        } else {
            float[] q = ws.get(Q, T * C);
            float[] k = ws.get(K, T * C);
            float[] v = ws.get(V, T * C);
            query.forward(ops, x, T, starts, q);
            key.forward(ops, x, T, starts, k);
            value.forward(ops, x, T, starts, v);
            in = new Heads(q, k, v, 0, 0, 0, C);
        }
        float[] ctx = ws.get(CTX, T * C);
        attention(ops, in, ctx, batch, layer, observer);

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
    private void attention(TensorOps ops, Heads in, float[] ctx, PackedBatch batch, int layer, Observer observer) {
        batch.forEachHead(H, C, observer.wantsAttention(),
                (s, s0, s1, hd) -> head(ops, in, ctx, s0, s1, hd, layer, s, observer));
    }

    /**
     * Where attention reads Q, K and V: row t of Q starts at {@code q[t * ld + qOff]}, of K at
     * {@code k[t * ld + kOff]}, of V at {@code v[t * ld + vOff]} (one fused matrix, or three).
     */
    private record Heads(float[] q, float[] k, float[] v, int qOff, int kOff, int vOff, int ld) {}

    // One head of one sequence: scores = Q_h K_hᵀ / √D, softmax by row, ctx_h = P V_h.
    private void head(TensorOps ops, Heads in, float[] ctx, int s0, int s1, int hd, int layer, int seq,
            Observer observer) {
        int Ts = s1 - s0;
        float sqrtD = (float) Math.sqrt(D);
        int off = hd * D;
        int ld = in.ld();
        HeadScratch scratch = HeadScratch.get();
        float[] k = in.k();
        float[] kt = scratch.keysT(D * Ts); // K_hᵀ: (D, Ts)
        for (int j = 0; j < Ts; j++) {
            int kj = (s0 + j) * ld + in.kOff() + off;
            for (int d = 0; d < D; d++) {
                kt[d * Ts + j] = k[kj + d];
            }
        }
        float[] p = scratch.scores(Ts * Ts); // (Ts, Ts)
        ops.gemm(in.q(), s0 * ld + in.qOff() + off, ld, kt, 0, Ts, p, 0, Ts, Ts, D, Ts);
        for (int i = 0; i < Ts * Ts; i++) {
            p[i] /= sqrtD;
        }
        for (int i = 0; i < Ts; i++) {
            ops.softmax(p, i * Ts, Ts);
        }
        if (observer.wantsAttention()) {
            observer.attention(layer, seq, hd, p, Ts);
        }
        ops.gemm(p, 0, Ts, in.v(), s0 * ld + in.vOff() + off, ld, ctx, s0 * C + off, C, Ts, Ts, D);
    }
}
