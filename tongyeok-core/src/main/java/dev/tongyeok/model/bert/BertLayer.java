package dev.tongyeok.model.bert;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.model.layer.Attention;
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
    private final Attention attention;
    private final int I;
    private final String act;

    BertLayer(WeightSource w, BertConfig cfg, int index) {
        String p = "encoder.layer." + index + ".";
        C = cfg.hidden_size();
        attention = Attention.bidirectional(cfg.num_attention_heads(), cfg.headSize());
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
        Attention.Heads in;
        if (qkv != null) {
            float[] f = ws.get(Q, T * 3 * C); // rows [q | k | v]
            qkv.forward(ops, x, T, starts, f);
            in = Attention.Heads.fused(f, C);
        } else {
            float[] q = ws.get(Q, T * C);
            float[] k = ws.get(K, T * C);
            float[] v = ws.get(V, T * C);
            query.forward(ops, x, T, starts, q);
            key.forward(ops, x, T, starts, k);
            value.forward(ops, x, T, starts, v);
            in = Attention.Heads.separate(q, k, v, C, C);
        }
        float[] ctx = ws.get(CTX, T * C);
        attention.forward(ops, in, ctx, batch, layer, observer);

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
}
