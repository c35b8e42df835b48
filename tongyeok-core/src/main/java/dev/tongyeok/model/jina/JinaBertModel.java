package dev.tongyeok.model.jina;

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
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * JinaBERT v2 as jina's {@code JinaBertModel} computes it:
 *
 * <pre>
 * x = LayerNorm(word_embeddings[id] + token_type_embeddings[type])
 * per layer:  x = attention.output.LayerNorm(x + dense(softmax(q kᵀ / √D − m_h |i − j|) v))
 *             g, u = mlp.gated_layers(x) (first I columns, last I)
 *             x = mlp.layernorm(x + mlp.wo(gelu(g) · u))
 * </pre>
 *
 * with q and k optionally LayerNorm'd first (jina-embeddings-v2-base-code's
 * {@code layer_norm_q}, {@code layer_norm_k}). Immutable once loaded and safe to call from many threads.
 */
public final class JinaBertModel extends EncoderBase<JinaBertConfig> {
    static final String TOKEN_TABLE = "embeddings.word_embeddings.weight";
    /** ALiBi's largest bias, as JinaBERT (and llama.cpp for it) sets it. */
    static final double ALIBI_MAX_BIAS = 8;
    // Workspace buffers: x, y: (T, C), swapped layer by layer; q, k, v, ctx, h: (T, C); gated: (T, 2I); act: (T, I).
    private static final int X = 0;
    private static final int Y = 1;
    private static final int Q = 2;
    private static final int K = 3;
    private static final int V = 4;
    private static final int CTX = 5;
    private static final int HID = 6;
    private static final int GATED = 7;
    private static final int ACT = 8;

    private record Layer(Linear q, Linear k, Linear v, LayerNorm qNorm, LayerNorm kNorm, Linear out, LayerNorm outNorm,
            Linear gated, Linear wo, LayerNorm mlpNorm) {}

    private final EmbeddingTable types;
    private final LayerNorm embNorm;
    private final Layer[] layers;
    private final Attention attention;

    private JinaBertModel(JinaBertConfig cfg, String source, TensorOps ops, EmbeddingTable words, EmbeddingTable types,
            LayerNorm embNorm, Layer[] layers) {
        super(cfg, source, ops, words);
        this.types = types;
        this.embNorm = embNorm;
        this.layers = layers;
        this.attention = Attention.bidirectional(cfg.num_attention_heads(), cfg.headSize()).withAlibi(ALIBI_MAX_BIAS);
    }

    /**
     * Builds the model from checkpoint tensors, checking each shape against {@code cfg}.
     *
     * @throws ModelException when a tensor is missing or disagrees with cfg
     */
    public static JinaBertModel load(WeightSource w, JinaBertConfig cfg, TensorOps ops) {
        int C = cfg.hidden_size();
        int I = cfg.intermediate_size();
        double eps = cfg.layer_norm_eps();
        Layer[] layers = new Layer[cfg.num_hidden_layers()];
        for (int l = 0; l < layers.length; l++) {
            String p = "encoder.layer." + l + ".";
            if (w.find(p + "layer_norm_1.weight").isPresent()) {
                throw new ModelException(w.source() + ": " + p + "layer_norm_1 (jina-embeddings-v2-base-code's second "
                        + "attention norm) is not supported");
            }
            boolean qkNorm = w.find(p + "attention.self.layer_norm_q.weight").isPresent();
            layers[l] = new Layer(Linear.load(w, p + "attention.self.query", C, C), Linear.load(w, p + "attention.self.key", C, C),
                    Linear.load(w, p + "attention.self.value", C, C),
                    qkNorm ? LayerNorm.load(w, p + "attention.self.layer_norm_q", C, eps) : null,
                    qkNorm ? LayerNorm.load(w, p + "attention.self.layer_norm_k", C, eps) : null,
                    Linear.load(w, p + "attention.output.dense", C, C),
                    LayerNorm.load(w, p + "attention.output.LayerNorm", C, eps), Linear.load(w, p + "mlp.gated_layers", C, 2 * I),
                    Linear.load(w, p + "mlp.wo", I, C), LayerNorm.load(w, p + "mlp.layernorm", C, eps));
        }
        if (w.find("encoder.layer." + layers.length + ".attention.self.query.weight").isPresent()) {
            throw new ModelException(w.source() + ": holds more than num_hidden_layers=" + layers.length
                    + " layers (found encoder.layer." + layers.length + ")");
        }
        EmbeddingTable types = cfg.type_vocab_size() == 0 ? null
                : EmbeddingTable.load(w, "embeddings.token_type_embeddings.weight", cfg.type_vocab_size(), C);
        return new JinaBertModel(cfg, w.source(), ops, EmbeddingTable.load(w, TOKEN_TABLE, cfg.vocab_size(), C), types,
                LayerNorm.load(w, "embeddings.LayerNorm", C, eps), layers);
    }

    @Override
    public float[] forward(PackedBatch batch, Observer observer, Workspace ws) {
        batch.checkTables(cfg.vocab_size(), cfg.max_position_embeddings(), Math.max(1, cfg.type_vocab_size()));
        int T = batch.tokens();
        int C = cfg.hidden_size();
        int I = cfg.intermediate_size();
        int[] starts = batch.seqStarts();
        float[] x = ws.get(X, T * C);
        lookup(batch, x, types);
        embNorm.forward(ops, x, T);
        if (observer.wantsHiddenStates()) {
            observer.hiddenState(0, x, T, C);
        }
        float[] y = ws.get(Y, T * C);
        float[] q = ws.get(Q, T * C);
        float[] k = ws.get(K, T * C);
        float[] v = ws.get(V, T * C);
        float[] ctx = ws.get(CTX, T * C);
        float[] h = ws.get(HID, T * C);
        float[] gated = ws.get(GATED, T * 2 * I);
        float[] act = ws.get(ACT, T * I);
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            layer.q().forward(ops, x, T, starts, q);
            layer.k().forward(ops, x, T, starts, k);
            layer.v().forward(ops, x, T, starts, v);
            if (layer.qNorm() != null) {
                layer.qNorm().forward(ops, q, T);
                layer.kNorm().forward(ops, k, T);
            }
            attention.forward(ops, q, k, v, ctx, batch, l, observer);
            layer.out().forward(ops, ctx, T, starts, h);
            ops.add(h, 0, x, 0, T * C);
            layer.outNorm().forward(ops, h, T);

            layer.gated().forward(ops, h, T, starts, gated);
            Glu.fused(ops, cfg.gate().equals("geglu") ? TensorOps.Gate.GELU : TensorOps.Gate.RELU, gated, true, T, I, act);
            layer.wo().forward(ops, act, T, starts, y);
            ops.add(y, 0, h, 0, T * C);
            layer.mlpNorm().forward(ops, y, T);
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
