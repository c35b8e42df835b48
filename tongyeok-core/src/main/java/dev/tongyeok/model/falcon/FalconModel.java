package dev.tongyeok.model.falcon;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.model.decoder.DecoderConfig;
import dev.tongyeok.model.decoder.DecoderModel;
import dev.tongyeok.model.layer.Attention;
import dev.tongyeok.model.layer.LayerNorm;
import dev.tongyeok.model.layer.Linear;
import dev.tongyeok.model.layer.Rope;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * HF transformers' {@code FalconModel} with rotary positions. With parallel attention (Falcon-7B,
 * -40B, -180B) attention and the feed-forward both read the normalized layer input and are added
 * together:
 *
 * <pre>
 * x += mlp(ln_mlp(x)) + dense(attention(rope(q), rope(k), v))   q, k, v from query_key_value(ln_attn(x))
 * </pre>
 * ({@code ln_attn} and {@code ln_mlp} are one {@code input_layernorm} in Falcon-7B); without it
 * (Falcon-RW) the two run one after the other, each with its own norm. Key/value heads: one
 * (multi-query, 7B) or groups (the new decoder architecture); the fused weight's rows are put in
 * the order all queries, all keys, all values whatever order the checkpoint keeps them in.
 * The feed-forward is {@code dense_4h_to_h(gelu(dense_h_to_4h(·)))}; a final {@code ln_f}.
 */
public final class FalconModel extends DecoderModel {
    private static final int LN_A = 0;
    private static final int LN_M = 1;
    private static final int QKV = 2;
    private static final int Q = 3;
    private static final int K = 4;
    private static final int V = 5;
    private static final int CTX = 6;
    private static final int ATT = 7;
    private static final int INNER = 8;
    private static final int MLP = 9;

    private final Layer[] layers;
    private final LayerNorm lnF;
    private final Rope rope;
    private final Attention attention;

    /** lnMlp is null when one norm feeds both branches; for Falcon-RW it is post_attention_layernorm. */
    private record Layer(LayerNorm lnAttn, LayerNorm lnMlp, Linear qkv, Linear dense, Linear up, Linear down) {}

    /** The token embedding table's name after the checkpoint's prefix. */
    static final String TOKEN_TABLE = "word_embeddings.weight";
    /** The prefixes checkpoints put before the names: {@code FalconForCausalLM}'s, a bare {@code FalconModel}'s. */
    static final String[] PREFIXES = {"transformer.", ""};

    private FalconModel(WeightSource w, DecoderConfig cfg, TensorOps ops, String prefix, Layer[] layers, LayerNorm lnF) {
        super(w, cfg, ops, prefix + TOKEN_TABLE);
        this.layers = layers;
        this.lnF = lnF;
        this.rope = Rope.of(cfg.head_dim(), cfg.rope_theta(), cfg.rope_scaling(), null);
        this.attention = Attention.causal(cfg.num_attention_heads(), cfg.num_key_value_heads(), cfg.head_dim());
    }

    /**
     * Builds the model from checkpoint tensors ({@code transformer.h.N.self_attention.query_key_value.weight}, …).
     *
     * @throws dev.tongyeok.load.ModelException when a tensor is missing or disagrees with cfg
     */
    public static FalconModel load(WeightSource w, DecoderConfig cfg) {
        return load(w, cfg, Ops.get());
    }

    /** As {@link #load(WeightSource, DecoderConfig)}, computing with {@code ops}. */
    public static FalconModel load(WeightSource w, DecoderConfig cfg, TensorOps ops) {
        String p = prefix(w, TOKEN_TABLE, PREFIXES);
        int C = cfg.hidden_size();
        int H = cfg.num_attention_heads();
        int KV = cfg.num_key_value_heads();
        int D = cfg.head_dim();
        int I = cfg.intermediate_size();
        double eps = cfg.norm_eps();
        int[] order = qkvOrder(cfg.qkv_layout(), H, KV, D);
        Layer[] layers = new Layer[cfg.num_hidden_layers()];
        for (int l = 0; l < layers.length; l++) {
            String n = p + "h." + l + ".";
            LayerNorm a;
            LayerNorm m;
            if (!cfg.parallel_attn()) {
                a = LayerNorm.load(w, n + "input_layernorm", C, eps);
                m = LayerNorm.load(w, n + "post_attention_layernorm", C, eps);
            } else if (cfg.layer_norms() == 2) {
                a = LayerNorm.load(w, n + "ln_attn", C, eps);
                m = LayerNorm.load(w, n + "ln_mlp", C, eps);
            } else {
                a = LayerNorm.load(w, n + "input_layernorm", C, eps);
                m = null;
            }
            layers[l] = new Layer(a, m, Linear.load(w, n + "self_attention.query_key_value", C, (H + 2 * KV) * D, false, order),
                    Linear.load(w, n + "self_attention.dense", H * D, C), Linear.load(w, n + "mlp.dense_h_to_4h", C, I),
                    Linear.load(w, n + "mlp.dense_4h_to_h", I, C));
        }
        checkNoMoreLayers(w, p + "h." + layers.length + ".self_attention.dense.weight", layers.length);
        return new FalconModel(w, cfg, ops, p, layers, LayerNorm.load(w, p + "ln_f", C, eps));
    }

    /**
     * Which checkpoint row of the fused weight feeds each row of [all queries; all keys; all values],
     * or null when the checkpoint already keeps that order.
     */
    static int[] qkvOrder(String layout, int H, int KV, int D) {
        if (layout.equals("contiguous")) {
            return null;
        }
        int[] order = new int[(H + 2 * KV) * D];
        int r = H / KV;
        for (int h = 0; h < H; h++) {
            for (int d = 0; d < D; d++) {
                order[h * D + d] = layout.equals("grouped") ? ((h / r) * (r + 2) + h % r) * D + d : 3 * h * D + d;
            }
        }
        for (int g = 0; g < KV; g++) {
            for (int d = 0; d < D; d++) {
                boolean grouped = layout.equals("grouped");
                order[(H + g) * D + d] = grouped ? (g * (r + 2) + r) * D + d : (3 * g + 1) * D + d;
                order[(H + KV + g) * D + d] = grouped ? (g * (r + 2) + r + 1) * D + d : (3 * g + 2) * D + d;
            }
        }
        return order;
    }

    @Override
    public float[] forward(PackedBatch batch, Observer observer, Workspace ws) {
        float[] x = tokenRows(batch);
        int T = batch.tokens();
        int C = cfg.hidden_size();
        int H = cfg.num_attention_heads();
        int KV = cfg.num_key_value_heads();
        int D = cfg.head_dim();
        int I = cfg.intermediate_size();
        int W = (H + 2 * KV) * D;
        int[] starts = batch.seqStarts();
        if (observer.wantsHiddenStates()) {
            observer.hiddenState(0, x, T, C);
        }
        float[] lnA = ws.get(LN_A, T * C);
        float[] lnM = ws.get(LN_M, T * C);
        float[] qkv = ws.get(QKV, T * W);
        float[] q = ws.get(Q, T * H * D);
        float[] k = ws.get(K, T * KV * D);
        float[] v = ws.get(V, T * KV * D);
        float[] ctx = ws.get(CTX, T * H * D);
        float[] att = ws.get(ATT, T * C);
        float[] inner = ws.get(INNER, T * I);
        float[] mlp = ws.get(MLP, T * C);
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            System.arraycopy(x, 0, lnA, 0, T * C);
            layer.lnAttn.forward(ops, lnA, T);
            layer.qkv.forward(ops, lnA, T, starts, qkv);
            splitQkv(qkv, T, H * D, KV * D, q, k, v);
            rope.apply(q, T, H, batch.positions());
            rope.apply(k, T, KV, batch.positions());
            attention.forward(ops, q, k, v, ctx, batch, l, observer);
            layer.dense.forward(ops, ctx, T, starts, att);
            if (!cfg.parallel_attn()) {
                ops.add(x, 0, att, 0, T * C);
            }
            // The feed-forward reads ln_mlp(x), the shared norm, or (sequential) the norm of x after attention.
            float[] mIn = lnA;
            if (layer.lnMlp != null) {
                System.arraycopy(x, 0, lnM, 0, T * C);
                layer.lnMlp.forward(ops, lnM, T);
                mIn = lnM;
            }
            layer.up.forward(ops, mIn, T, starts, inner);
            ops.gelu(inner, 0, T * I);
            layer.down.forward(ops, inner, T, starts, mlp);
            if (cfg.parallel_attn()) {
                ops.add(mlp, 0, att, 0, T * C);
            }
            ops.add(x, 0, mlp, 0, T * C);
            if (l == layers.length - 1) {
                lnF.forward(ops, x, T);
            }
            if (observer.wantsHiddenStates()) {
                observer.hiddenState(l + 1, x, T, C);
            }
        }
        return x;
    }
}
