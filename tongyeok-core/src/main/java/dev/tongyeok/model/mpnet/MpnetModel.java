package dev.tongyeok.model.mpnet;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.HeadScratch;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.model.layer.EmbeddingTable;
import dev.tongyeok.model.layer.EncoderBase;
import dev.tongyeok.model.layer.LayerNorm;
import dev.tongyeok.model.layer.Linear;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * MPNet as HF transformers' {@code MPNetModel} computes it:
 *
 * <pre>
 * x = LayerNorm(word_embeddings[id] + position_embeddings[pad_token_id + 1 + position])
 * B[h][i][j] = relative_attention_bias[bucket(j − i)][h]            (once, shared by every layer)
 * per layer:  x = attention.LayerNorm(x + o(softmax(q kᵀ / √D + B) v))   (attention.attn.q, k, v, o)
 *             x = output.LayerNorm(x + output.dense(gelu(intermediate.dense(x))))
 * </pre>
 *
 * Immutable once loaded and safe to call from many threads.
 */
public final class MpnetModel extends EncoderBase<MpnetConfig> {
    static final String TOKEN_TABLE = "embeddings.word_embeddings.weight";
    // Workspace buffers: x, y: (T, C), swapped layer by layer; q, k, v, ctx, h: (T, C); inter: (T, I).
    private static final int X = 0;
    private static final int Y = 1;
    private static final int Q = 2;
    private static final int K = 3;
    private static final int V = 4;
    private static final int CTX = 5;
    private static final int HID = 6;
    private static final int INTER = 7;

    private record Layer(Linear q, Linear k, Linear v, Linear o, LayerNorm attnNorm, Linear inter, Linear out,
            LayerNorm outNorm) {}

    private final EmbeddingTable positions;
    private final LayerNorm embNorm;
    private final float[] bias; // (buckets, H)
    private final int[] buckets; // the bucket of relative position r at [r + max_position_embeddings - 1]
    private final Layer[] layers;

    private MpnetModel(MpnetConfig cfg, String source, TensorOps ops, EmbeddingTable words, EmbeddingTable positions,
            LayerNorm embNorm, float[] bias, Layer[] layers) {
        super(cfg, source, ops, words);
        this.positions = positions;
        this.embNorm = embNorm;
        this.bias = bias;
        this.layers = layers;
        int P = cfg.max_position_embeddings();
        this.buckets = new int[2 * P - 1];
        for (int r = -(P - 1); r < P; r++) {
            buckets[r + P - 1] = RelativePositions.bucket(r, cfg.relative_attention_num_buckets(),
                    RelativePositions.MAX_DISTANCE);
        }
    }

    /**
     * Builds the model from checkpoint tensors (with or without the {@code mpnet.} prefix of the task
     * models), checking each shape against {@code cfg}.
     *
     * @throws ModelException when a tensor is missing or disagrees with cfg
     */
    public static MpnetModel load(WeightSource w, MpnetConfig cfg, TensorOps ops) {
        String p = w.find(TOKEN_TABLE).isPresent() ? "" : "mpnet.";
        int C = cfg.hidden_size();
        int I = cfg.intermediate_size();
        double eps = cfg.layer_norm_eps();
        Layer[] layers = new Layer[cfg.num_hidden_layers()];
        for (int l = 0; l < layers.length; l++) {
            String n = p + "encoder.layer." + l + ".";
            layers[l] = new Layer(Linear.load(w, n + "attention.attn.q", C, C), Linear.load(w, n + "attention.attn.k", C, C),
                    Linear.load(w, n + "attention.attn.v", C, C), Linear.load(w, n + "attention.attn.o", C, C),
                    LayerNorm.load(w, n + "attention.LayerNorm", C, eps), Linear.load(w, n + "intermediate.dense", C, I),
                    Linear.load(w, n + "output.dense", I, C), LayerNorm.load(w, n + "output.LayerNorm", C, eps));
        }
        if (w.find(p + "encoder.layer." + layers.length + ".attention.attn.q.weight").isPresent()) {
            throw new ModelException(w.source() + ": holds more than num_hidden_layers=" + layers.length
                    + " layers (found " + p + "encoder.layer." + layers.length + ")");
        }
        int H = cfg.num_attention_heads();
        int buckets = cfg.relative_attention_num_buckets();
        float[] bias = w.get(p + "encoder.relative_attention_bias.weight", new long[] {buckets, H}).tensor().toFloatArray();
        return new MpnetModel(cfg, w.source(), ops, EmbeddingTable.load(w, p + TOKEN_TABLE, cfg.vocab_size(), C),
                EmbeddingTable.load(w, p + "embeddings.position_embeddings.weight",
                        cfg.max_position_embeddings() + cfg.position_offset(), C),
                LayerNorm.load(w, p + "embeddings.LayerNorm", C, eps), bias, layers);
    }

    @Override
    public float[] forward(PackedBatch batch, Observer observer, Workspace ws) {
        batch.checkTables(cfg.vocab_size(), cfg.max_position_embeddings(), 0);
        int T = batch.tokens();
        int C = cfg.hidden_size();
        int I = cfg.intermediate_size();
        int[] starts = batch.seqStarts();
        float[] x = ws.get(X, T * C);
        float[] scratch = new float[C];
        for (int t = 0; t < T; t++) {
            words.lookup(batch.ids()[t], x, t * C);
            positions.add(batch.positions()[t] + cfg.position_offset(), x, t * C, scratch);
        }
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
        float[] inter = ws.get(INTER, T * I);
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            layer.q().forward(ops, x, T, starts, q);
            layer.k().forward(ops, x, T, starts, k);
            layer.v().forward(ops, x, T, starts, v);
            int layerIndex = l;
            batch.forEachHead(cfg.num_attention_heads(), C, observer.wantsAttention(),
                    (s, s0, s1, hd) -> head(q, k, v, ctx, s0, s1, hd, layerIndex, s, observer));
            layer.o().forward(ops, ctx, T, starts, h);
            ops.add(h, 0, x, 0, T * C);
            layer.attnNorm().forward(ops, h, T);
            layer.inter().forward(ops, h, T, starts, inter);
            ops.gelu(inter, 0, T * I);
            layer.out().forward(ops, inter, T, starts, y);
            ops.add(y, 0, h, 0, T * C);
            layer.outNorm().forward(ops, y, T);
            float[] swap = x;
            x = y;
            y = swap;
            if (observer.wantsHiddenStates()) {
                observer.hiddenState(l + 1, x, T, C);
            }
        }
        return x;
    }

    // One head of one sequence: P = softmax(Q_h K_hᵀ / √D + B_h), ctx_h = P V_h.
    private void head(float[] q, float[] k, float[] v, float[] ctx, int s0, int s1, int h, int layer, int seq,
            Observer observer) {
        int Ts = s1 - s0;
        int C = cfg.hidden_size();
        int D = cfg.headSize();
        int H = cfg.num_attention_heads();
        int P = cfg.max_position_embeddings();
        HeadScratch scratch = HeadScratch.get();
        float[] kt = scratch.keysT(D * Ts);
        for (int j = 0; j < Ts; j++) {
            for (int d = 0; d < D; d++) {
                kt[d * Ts + j] = k[(s0 + j) * C + h * D + d];
            }
        }
        float[] p = scratch.scores(Ts * Ts);
        ops.gemm(q, s0 * C + h * D, C, kt, 0, Ts, p, 0, Ts, Ts, D, Ts);
        float sqrtD = (float) Math.sqrt(D);
        for (int i = 0; i < Ts; i++) {
            for (int j = 0; j < Ts; j++) {
                p[i * Ts + j] = p[i * Ts + j] / sqrtD
                        + bias[buckets[j - i + P - 1] * H + h];
            }
            ops.softmax(p, i * Ts, Ts);
        }
        if (observer.wantsAttention()) {
            observer.attention(layer, seq, h, p, Ts);
        }
        ops.gemm(p, 0, Ts, v, s0 * C + h * D, C, ctx, s0 * C + h * D, C, Ts, Ts, D);
    }
}
