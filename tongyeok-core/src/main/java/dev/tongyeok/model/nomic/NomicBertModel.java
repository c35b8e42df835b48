package dev.tongyeok.model.nomic;

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
 * NomicBERT as nomic's {@code NomicBertModel} computes it (post-norm, {@code prenorm: false}):
 *
 * <pre>
 * x = emb_ln(word_embeddings[id] + token_type_embeddings[0])
 * per layer:  q, k, v = Wqkv(x); q, k rotated (rotate_half, θ = rotary_emb_base)
 *             x = norm1(x + out_proj(softmax(q kᵀ / √D) v))
 *             x = norm2(x + fc2(silu(fc12(x)) · fc11(x)))
 * </pre>
 *
 * Biases are read where the checkpoint has them. Immutable once loaded and safe to call from many threads.
 */
public final class NomicBertModel extends EncoderBase<NomicBertConfig> {
    static final String TOKEN_TABLE = "embeddings.word_embeddings.weight";
    // Workspace buffers: x and y: (T, C), swapped layer by layer; qkv: (T, 3C); q, k: (T, C); ctx, h: (T, C);
    // up, gate: (T, I).
    private static final int X = 0;
    private static final int Y = 1;
    private static final int QKV = 2;
    private static final int Q = 3;
    private static final int K = 4;
    private static final int CTX = 5;
    private static final int HID = 6;
    private static final int UP = 7;
    private static final int GATE = 8;

    private record Layer(Linear qkv, Linear out, LayerNorm norm1, Linear fc11, Linear fc12, Linear fc2, LayerNorm norm2) {}

    private final EmbeddingTable types; // null without token types
    private final LayerNorm embNorm;
    private final Layer[] layers;
    private final Rope rope;
    private final Attention attention;

    private NomicBertModel(NomicBertConfig cfg, String source, TensorOps ops, EmbeddingTable words, EmbeddingTable types,
            LayerNorm embNorm, Layer[] layers) {
        super(cfg, source, ops, words);
        this.types = types;
        this.embNorm = embNorm;
        this.layers = layers;
        this.rope = Rope.of(cfg.headSize(), cfg.rope_theta(), null, null);
        this.attention = Attention.bidirectional(cfg.num_attention_heads(), cfg.headSize());
    }

    /**
     * Builds the model from checkpoint tensors, checking each shape against {@code cfg}.
     *
     * @throws ModelException when a tensor is missing or disagrees with cfg
     */
    public static NomicBertModel load(WeightSource w, NomicBertConfig cfg, TensorOps ops) {
        int C = cfg.hidden_size();
        int I = cfg.intermediate_size();
        double eps = cfg.layer_norm_eps();
        Layer[] layers = new Layer[cfg.num_hidden_layers()];
        for (int l = 0; l < layers.length; l++) {
            String p = "encoder.layers." + l + ".";
            layers[l] = new Layer(Linear.load(w, p + "attn.Wqkv", C, 3 * C), Linear.load(w, p + "attn.out_proj", C, C),
                    LayerNorm.load(w, p + "norm1", C, eps), Linear.load(w, p + "mlp.fc11", C, I),
                    Linear.load(w, p + "mlp.fc12", C, I), Linear.load(w, p + "mlp.fc2", I, C),
                    LayerNorm.load(w, p + "norm2", C, eps));
        }
        if (w.find("encoder.layers." + layers.length + ".attn.Wqkv.weight").isPresent()) {
            throw new ModelException(w.source() + ": holds more than n_layer=" + layers.length
                    + " layers (found encoder.layers." + layers.length + ")");
        }
        EmbeddingTable types = cfg.type_vocab_size() == 0 ? null
                : EmbeddingTable.load(w, "embeddings.token_type_embeddings.weight", cfg.type_vocab_size(), C);
        return new NomicBertModel(cfg, w.source(), ops, EmbeddingTable.load(w, TOKEN_TABLE, cfg.vocab_size(), C), types,
                LayerNorm.load(w, "emb_ln", C, eps), layers);
    }

    @Override
    public float[] forward(PackedBatch batch, Observer observer, Workspace ws) {
        batch.checkTables(cfg.vocab_size(), cfg.max_position_embeddings(), Math.max(1, cfg.type_vocab_size()));
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
        float[] up = ws.get(UP, T * I);
        float[] gate = ws.get(GATE, T * I);
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            layer.qkv().forward(ops, x, T, starts, qkv);
            rotaryAttention(attention, rope, qkv, q, k, ctx, batch, H, l, observer);
            layer.out().forward(ops, ctx, T, starts, h);
            ops.add(h, 0, x, 0, T * C);
            layer.norm1().forward(ops, h, T);

            layer.fc11().forward(ops, h, T, starts, up);
            layer.fc12().forward(ops, h, T, starts, gate);
            Glu.apply(ops, TensorOps.Gate.SILU, gate, up, T, I);
            layer.fc2().forward(ops, gate, T, starts, y);
            ops.add(y, 0, h, 0, T * C);
            layer.norm2().forward(ops, y, T);
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
