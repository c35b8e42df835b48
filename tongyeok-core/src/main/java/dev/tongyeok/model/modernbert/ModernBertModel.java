package dev.tongyeok.model.modernbert;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.model.layer.Attention;
import dev.tongyeok.model.layer.EmbeddingTable;
import dev.tongyeok.model.layer.EncoderBase;
import dev.tongyeok.model.layer.Glu;
import dev.tongyeok.model.layer.LayerNorm;
import dev.tongyeok.model.layer.Linear;
import dev.tongyeok.model.layer.Rope;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * ModernBERT as HF transformers' {@code ModernBertModel} computes it (its unpadded path, one
 * sequence at a time):
 *
 * <pre>
 * x = embeddings.norm(tok_embeddings[id])
 * per layer l:  h = attn_norm(x) (layer 0: h = x)
 *               q, k, v = attn.Wqkv(h); q, k rotated (rotate_half; θ global or local by layer)
 *               x = x + attn.Wo(softmax(q kᵀ / √D) v)   (local layers: |i − j| ≤ local_attention / 2)
 *               a, g = mlp.Wi(mlp_norm(x)) (first I columns, last I)
 *               x = x + mlp.Wo(gelu(a) · g)
 * final_norm(x)
 * </pre>
 *
 * LayerNorms without bias; linear biases read where the checkpoint has them. Immutable once
 * loaded and safe to call from many threads.
 */
public final class ModernBertModel extends EncoderBase<ModernBertConfig> {
    static final String TOKEN_TABLE = "embeddings.tok_embeddings.weight";
    // Workspace buffers: x: (T, C); h: (T, C); qkv: (T, 3C); q, k: (T, C); ctx, out: (T, C); wi: (T, 2I); act, up: (T, I).
    private static final int X = 0;
    private static final int HID = 1;
    private static final int QKV = 2;
    private static final int Q = 3;
    private static final int K = 4;
    private static final int CTX = 5;
    private static final int OUT = 6;
    private static final int WI = 7;
    private static final int ACT = 8;

    private record Layer(LayerNorm attnNorm, Linear wqkv, Linear wo, LayerNorm mlpNorm, Linear wi, Linear mlpWo) {}

    private final LayerNorm embNorm;
    private final Layer[] layers;
    private final LayerNorm finalNorm;
    private final Rope globalRope;
    private final Rope localRope;
    private final Attention global;
    private final Attention local;

    private ModernBertModel(ModernBertConfig cfg, String source, TensorOps ops, EmbeddingTable words, LayerNorm embNorm,
            Layer[] layers, LayerNorm finalNorm) {
        super(cfg, source, ops, words);
        this.embNorm = embNorm;
        this.layers = layers;
        this.finalNorm = finalNorm;
        int D = cfg.headSize();
        this.globalRope = Rope.of(D, cfg.global_rope_theta(), null, null);
        this.localRope = Rope.of(D, cfg.local_rope_theta(), null, null);
        this.global = Attention.bidirectional(cfg.num_attention_heads(), D);
        this.local = global.withWindow(cfg.local_attention() / 2);
    }

    /**
     * Builds the model from checkpoint tensors ({@code layers.N.attn.Wqkv.weight}, …, with or
     * without the {@code model.} prefix of the task models), checking each shape against {@code cfg}.
     *
     * @throws ModelException when a tensor is missing or disagrees with cfg
     */
    public static ModernBertModel load(WeightSource w, ModernBertConfig cfg, TensorOps ops) {
        String p = w.find(TOKEN_TABLE).isPresent() ? "" : "model.";
        int C = cfg.hidden_size();
        int I = cfg.intermediate_size();
        double eps = cfg.norm_eps();
        Layer[] layers = new Layer[cfg.num_hidden_layers()];
        for (int l = 0; l < layers.length; l++) {
            String n = p + "layers." + l + ".";
            // Layer 0's attention norm is the identity (the embeddings were just normalized).
            LayerNorm attnNorm = l == 0 && w.find(n + "attn_norm.weight").isEmpty() ? null
                    : LayerNorm.withoutBias(w, n + "attn_norm", C, eps);
            layers[l] = new Layer(attnNorm, Linear.load(w, n + "attn.Wqkv", C, 3 * C), Linear.load(w, n + "attn.Wo", C, C),
                    LayerNorm.withoutBias(w, n + "mlp_norm", C, eps), Linear.load(w, n + "mlp.Wi", C, 2 * I),
                    Linear.load(w, n + "mlp.Wo", I, C));
        }
        if (w.find(p + "layers." + layers.length + ".attn.Wqkv.weight").isPresent()) {
            throw new ModelException(w.source() + ": holds more than num_hidden_layers=" + layers.length
                    + " layers (found " + p + "layers." + layers.length + ")");
        }
        return new ModernBertModel(cfg, w.source(), ops, EmbeddingTable.load(w, p + TOKEN_TABLE, cfg.vocab_size(), C),
                LayerNorm.withoutBias(w, p + "embeddings.norm", C, eps), layers,
                LayerNorm.withoutBias(w, p + "final_norm", C, eps));
    }

    @Override
    public float[] forward(PackedBatch batch, Observer observer, Workspace ws) {
        batch.checkTables(cfg.vocab_size(), cfg.max_position_embeddings(), 0);
        int T = batch.tokens();
        int C = cfg.hidden_size();
        int I = cfg.intermediate_size();
        int H = cfg.num_attention_heads();
        int[] starts = batch.seqStarts();
        float[] x = ws.get(X, T * C);
        lookup(batch, x);
        embNorm.forward(ops, x, T);
        if (observer.wantsHiddenStates()) {
            observer.hiddenState(0, x, T, C);
        }
        float[] h = ws.get(HID, T * C);
        float[] qkv = ws.get(QKV, T * 3 * C);
        float[] q = ws.get(Q, T * C);
        float[] k = ws.get(K, T * C);
        float[] ctx = ws.get(CTX, T * C);
        float[] out = ws.get(OUT, T * C);
        float[] wi = ws.get(WI, T * 2 * I);
        float[] act = ws.get(ACT, T * I);
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            System.arraycopy(x, 0, h, 0, T * C);
            if (layer.attnNorm() != null) {
                layer.attnNorm().forward(ops, h, T);
            }
            layer.wqkv().forward(ops, h, T, starts, qkv);
            rotaryAttention(cfg.global(l) ? global : local, cfg.global(l) ? globalRope : localRope, qkv, q, k, ctx, batch, H,
                    l, observer);
            layer.wo().forward(ops, ctx, T, starts, out);
            ops.add(x, 0, out, 0, T * C);

            System.arraycopy(x, 0, h, 0, T * C);
            layer.mlpNorm().forward(ops, h, T);
            layer.wi().forward(ops, h, T, starts, wi);
            // The input half first, the gate half second: act(input) · gate.
            Glu.fused(ops, cfg.hidden_activation().equals("gelu") ? TensorOps.Gate.GELU : TensorOps.Gate.SILU, wi, true,
                    T, I, act);
            layer.mlpWo().forward(ops, act, T, starts, out);
            ops.add(x, 0, out, 0, T * C);
            if (l == layers.length - 1) {
                finalNorm.forward(ops, x, T);
            }
            if (observer.wantsHiddenStates()) {
                observer.hiddenState(l + 1, x, T, C);
            }
        }
        return x;
    }
}
