package dev.tongyeok.model.gte;

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
 * GTE as Alibaba-NLP's {@code NewModel} computes it (eager attention, {@code pack_qkv},
 * {@code layer_norm_type: layer_norm}, no log-n scaling):
 *
 * <pre>
 * x = embeddings.LayerNorm(word_embeddings[id] (+ token_type_embeddings[type]))
 * per layer:  q, k, v = attention.qkv_proj(x); q, k rotated (rotate_half, NTK-scaled θ)
 *             x = attn_ln(x + attention.o_proj(softmax(q kᵀ / √D) v))
 *             u, g = mlp.up_gate_proj(x) (first I columns, last I)
 *             x = mlp_ln(x + mlp.down_proj(u · gelu(g)))
 * </pre>
 *
 * Immutable once loaded and safe to call from many threads.
 */
public final class GteModel extends EncoderBase<GteConfig> {
    static final String TOKEN_TABLE = "embeddings.word_embeddings.weight";
    // Workspace buffers: x, y: (T, C), swapped layer by layer; qkv: (T, 3C); q, k, ctx, h: (T, C); ug: (T, 2I); act: (T, I).
    private static final int X = 0;
    private static final int Y = 1;
    private static final int QKV = 2;
    private static final int Q = 3;
    private static final int K = 4;
    private static final int CTX = 5;
    private static final int HID = 6;
    private static final int UG = 7;
    private static final int ACT = 8;

    private record Layer(Linear qkv, Linear o, LayerNorm attnLn, Linear upGate, Linear down, LayerNorm mlpLn) {}

    private final EmbeddingTable types;
    private final LayerNorm embNorm;
    private final Layer[] layers;
    private final Rope rope;
    private final Attention attention;

    private GteModel(GteConfig cfg, String source, TensorOps ops, EmbeddingTable words, EmbeddingTable types,
            LayerNorm embNorm, Layer[] layers) {
        super(cfg, source, ops, words);
        this.types = types;
        this.embNorm = embNorm;
        this.layers = layers;
        this.rope = Rope.of(cfg.headSize(), cfg.rope_theta(), cfg.rope_scaling(), null);
        this.attention = Attention.bidirectional(cfg.num_attention_heads(), cfg.headSize());
    }

    /**
     * Builds the model from checkpoint tensors (with or without the {@code new.} prefix of the task
     * models), checking each shape against {@code cfg}.
     *
     * @throws ModelException when a tensor is missing or disagrees with cfg
     */
    public static GteModel load(WeightSource w, GteConfig cfg, TensorOps ops) {
        String p = w.find(TOKEN_TABLE).isPresent() ? "" : "new.";
        int C = cfg.hidden_size();
        int I = cfg.intermediate_size();
        double eps = cfg.layer_norm_eps();
        Layer[] layers = new Layer[cfg.num_hidden_layers()];
        for (int l = 0; l < layers.length; l++) {
            String n = p + "encoder.layer." + l + ".";
            layers[l] = new Layer(Linear.load(w, n + "attention.qkv_proj", C, 3 * C), Linear.load(w, n + "attention.o_proj", C, C),
                    LayerNorm.load(w, n + "attn_ln", C, eps), Linear.load(w, n + "mlp.up_gate_proj", C, 2 * I),
                    Linear.load(w, n + "mlp.down_proj", I, C), LayerNorm.load(w, n + "mlp_ln", C, eps));
        }
        if (w.find(p + "encoder.layer." + layers.length + ".attention.qkv_proj.weight").isPresent()) {
            throw new ModelException(w.source() + ": holds more than num_hidden_layers=" + layers.length
                    + " layers (found " + p + "encoder.layer." + layers.length + ")");
        }
        EmbeddingTable types = cfg.type_vocab_size() == 0 ? null
                : EmbeddingTable.load(w, p + "embeddings.token_type_embeddings.weight", cfg.type_vocab_size(), C);
        return new GteModel(cfg, w.source(), ops, EmbeddingTable.load(w, p + TOKEN_TABLE, cfg.vocab_size(), C), types,
                LayerNorm.load(w, p + "embeddings.LayerNorm", C, eps), layers);
    }

    @Override
    public float[] forward(PackedBatch batch, Observer observer, Workspace ws) {
        batch.checkTables(cfg.vocab_size(), cfg.max_position_embeddings(), cfg.type_vocab_size());
        int T = batch.tokens();
        int C = cfg.hidden_size();
        int I = cfg.intermediate_size();
        int H = cfg.num_attention_heads();
        int[] starts = batch.seqStarts();
        float[] x = ws.get(X, T * C);
        lookup(batch, x, types);
        embNorm.forward(ops, x, T);
        if (observer.wantsHiddenStates()) {
            observer.hiddenState(0, x, T, C);
        }
        float[] y = ws.get(Y, T * C);
        float[] qkv = ws.get(QKV, T * 3 * C);
        float[] q = ws.get(Q, T * C);
        float[] k = ws.get(K, T * C);
        float[] ctx = ws.get(CTX, T * C);
        float[] h = ws.get(HID, T * C);
        float[] ug = ws.get(UG, T * 2 * I);
        float[] act = ws.get(ACT, T * I);
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            layer.qkv().forward(ops, x, T, starts, qkv);
            rotaryAttention(attention, rope, qkv, q, k, ctx, batch, H, l, observer);
            layer.o().forward(ops, ctx, T, starts, h);
            ops.add(h, 0, x, 0, T * C);
            layer.attnLn().forward(ops, h, T);

            layer.upGate().forward(ops, h, T, starts, ug);
            Glu.fused(ops, TensorOps.Gate.GELU, ug, false, T, I, act); // the gate: the second half
            layer.down().forward(ops, act, T, starts, y);
            ops.add(y, 0, h, 0, T * C);
            layer.mlpLn().forward(ops, y, T);
            float[] swap = x;
            x = y;
            y = swap;
            if (observer.wantsHiddenStates()) {
                observer.hiddenState(l + 1, x, T, C);
            }
        }
        return x;
    }
}
