package dev.tongyeok.model.gpt2;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.model.decoder.DecoderConfig;
import dev.tongyeok.model.decoder.DecoderModel;
import dev.tongyeok.model.layer.Attention;
import dev.tongyeok.model.layer.EmbeddingTable;
import dev.tongyeok.model.layer.LayerNorm;
import dev.tongyeok.model.layer.Linear;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * HF transformers' {@code GPT2Model}: learned token and position embeddings added, then per layer
 * (pre-norm)
 *
 * <pre>
 * x += c_proj(attention(split(c_attn(ln_1(x)))))   causal; c_attn holds q, k, v side by side
 * x += mlp.c_proj(gelu_tanh(mlp.c_fc(ln_2(x))))
 * </pre>
 * and a final {@code ln_f}. GPT-2's {@code Conv1D} weights are (in, out) in its checkpoints.
 */
public final class Gpt2Model extends DecoderModel {
    private static final int H_IN = 0;
    private static final int QKV = 1;
    private static final int Q = 2;
    private static final int K = 3;
    private static final int V = 4;
    private static final int CTX = 5;
    private static final int OUT = 6;
    private static final int INNER = 7;

    private final EmbeddingTable wpe;
    private final Layer[] layers;
    private final LayerNorm lnF;
    private final Attention attention;

    /** The token embedding table's name after the checkpoint's prefix. */
    static final String TOKEN_TABLE = "wte.weight";
    /** The prefixes checkpoints put before the names: {@code GPT2LMHeadModel}'s, a bare {@code GPT2Model}'s. */
    static final String[] PREFIXES = {"transformer.", ""};

    private record Layer(LayerNorm ln1, Linear cAttn, Linear cProj, LayerNorm ln2, Linear cFc, Linear mlpProj) {}

    private Gpt2Model(WeightSource w, DecoderConfig cfg, TensorOps ops, String prefix, EmbeddingTable wpe, Layer[] layers, LayerNorm lnF) {
        super(w, cfg, ops, prefix + TOKEN_TABLE);
        this.wpe = wpe;
        this.layers = layers;
        this.lnF = lnF;
        this.attention = Attention.causal(cfg.num_attention_heads(), cfg.num_attention_heads(), cfg.head_dim());
    }

    /**
     * Builds the model from checkpoint tensors ({@code h.N.attn.c_attn.weight}, …, with or without
     * the {@code transformer.} prefix).
     *
     * @throws dev.tongyeok.load.ModelException when a tensor is missing or disagrees with cfg
     */
    public static Gpt2Model load(WeightSource w, DecoderConfig cfg) {
        return load(w, cfg, Ops.get());
    }

    /** As {@link #load(WeightSource, DecoderConfig)}, computing with {@code ops}. */
    public static Gpt2Model load(WeightSource w, DecoderConfig cfg, TensorOps ops) {
        String p = prefix(w, TOKEN_TABLE, PREFIXES);
        int C = cfg.hidden_size();
        int I = cfg.intermediate_size();
        double eps = cfg.norm_eps();
        Layer[] layers = new Layer[cfg.num_hidden_layers()];
        for (int l = 0; l < layers.length; l++) {
            String n = p + "h." + l + ".";
            layers[l] = new Layer(LayerNorm.load(w, n + "ln_1", C, eps), Linear.load(w, n + "attn.c_attn", C, 3 * C, true, null),
                    Linear.load(w, n + "attn.c_proj", C, C, true, null), LayerNorm.load(w, n + "ln_2", C, eps),
                    Linear.load(w, n + "mlp.c_fc", C, I, true, null), Linear.load(w, n + "mlp.c_proj", I, C, true, null));
        }
        checkNoMoreLayers(w, p + "h." + layers.length + ".ln_1.weight", layers.length);
        return new Gpt2Model(w, cfg, ops, p, EmbeddingTable.load(w, p + "wpe.weight", cfg.max_position_embeddings(), C), layers,
                LayerNorm.load(w, p + "ln_f", C, eps));
    }

    @Override
    public float[] forward(PackedBatch batch, Observer observer, Workspace ws) {
        float[] x = tokenRows(batch);
        int T = batch.tokens();
        int C = cfg.hidden_size();
        int I = cfg.intermediate_size();
        int[] starts = batch.seqStarts();
        float[] row = new float[C];
        for (int t = 0; t < T; t++) {
            wpe.add(batch.positions()[t], x, t * C, row);
        }
        if (observer.wantsHiddenStates()) {
            observer.hiddenState(0, x, T, C);
        }
        float[] h = ws.get(H_IN, T * C);
        float[] qkv = ws.get(QKV, T * 3 * C);
        float[] q = ws.get(Q, T * C);
        float[] k = ws.get(K, T * C);
        float[] v = ws.get(V, T * C);
        float[] ctx = ws.get(CTX, T * C);
        float[] out = ws.get(OUT, T * C);
        float[] inner = ws.get(INNER, T * I);
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            System.arraycopy(x, 0, h, 0, T * C);
            layer.ln1.forward(ops, h, T);
            layer.cAttn.forward(ops, h, T, starts, qkv);
            splitQkv(qkv, T, C, C, q, k, v);
            attention.forward(ops, q, k, v, ctx, batch, l, observer);
            layer.cProj.forward(ops, ctx, T, starts, out);
            ops.add(x, 0, out, 0, T * C);

            System.arraycopy(x, 0, h, 0, T * C);
            layer.ln2.forward(ops, h, T);
            layer.cFc.forward(ops, h, T, starts, inner);
            ops.geluTanh(inner, 0, T * I);
            layer.mlpProj.forward(ops, inner, T, starts, out);
            ops.add(x, 0, out, 0, T * C);
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
