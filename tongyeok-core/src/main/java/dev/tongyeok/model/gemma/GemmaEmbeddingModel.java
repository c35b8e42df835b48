package dev.tongyeok.model.gemma;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.model.layer.Attention;
import dev.tongyeok.model.layer.EmbeddingTable;
import dev.tongyeok.model.layer.EncoderBase;
import dev.tongyeok.model.layer.Glu;
import dev.tongyeok.model.layer.Linear;
import dev.tongyeok.model.layer.RmsNorm;
import dev.tongyeok.model.layer.Rope;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * EmbeddingGemma as HF transformers' {@code Gemma3TextModel} computes it with
 * {@code use_bidirectional_attention} (every RMSNorm scaling by 1 + weight):
 *
 * <pre>
 * x = embed_tokens[id] · √C
 * per layer l:  h = input_layernorm(x)
 *               q, k, v = q_proj(h), k_proj(h), v_proj(h); q, k: per-head q_norm, k_norm; rotated
 *               (rotate_half; θ = rope_local_base_freq on sliding layers, rope_theta on full ones)
 *               x = x + post_attention_layernorm(o_proj(softmax(q kᵀ / √query_pre_attn_scalar) v))
 *                   (sliding layers: |i − j| ≤ sliding_window / 2)
 *               h = pre_feedforward_layernorm(x)
 *               x = x + post_feedforward_layernorm(down_proj(gelu_tanh(gate_proj(h)) · up_proj(h)))
 * norm(x)
 * </pre>
 *
 * Immutable once loaded and safe to call from many threads.
 */
public final class GemmaEmbeddingModel extends EncoderBase<GemmaEmbeddingConfig> {
    static final String TOKEN_TABLE = "embed_tokens.weight";
    // Workspace buffers: x, h: (T, C); q, ctx: (T, H·D); k, v: (T, KV·D); out: (T, C); gate, up: (T, I).
    private static final int X = 0;
    private static final int HID = 1;
    private static final int Q = 2;
    private static final int K = 3;
    private static final int V = 4;
    private static final int CTX = 5;
    private static final int OUT = 6;
    private static final int GATE = 7;
    private static final int UP = 8;

    private record Layer(RmsNorm inputNorm, Linear q, Linear k, Linear v, RmsNorm qNorm, RmsNorm kNorm, Linear o,
            RmsNorm postAttnNorm, RmsNorm preFfnNorm, Linear gate, Linear up, Linear down, RmsNorm postFfnNorm) {}

    private final Layer[] layers;
    private final RmsNorm norm;
    private final Rope globalRope;
    private final Rope localRope;
    private final Attention full;
    private final Attention window;

    private GemmaEmbeddingModel(GemmaEmbeddingConfig cfg, String source, TensorOps ops, EmbeddingTable words,
            Layer[] layers, RmsNorm norm) {
        super(cfg, source, ops, words);
        this.layers = layers;
        this.norm = norm;
        int D = cfg.head_dim();
        this.globalRope = Rope.of(D, cfg.rope_theta(), null, null);
        this.localRope = Rope.of(D, cfg.rope_local_base_freq(), null, null);
        this.full = Attention.bidirectional(cfg.num_attention_heads(), cfg.num_key_value_heads(), D);
        this.window = full.withWindow(cfg.sliding_window() / 2);
    }

    /**
     * Builds the model from checkpoint tensors ({@code layers.N.self_attn.q_proj.weight}, …, with or
     * without a {@code model.} prefix), checking each shape against {@code cfg}.
     *
     * @throws ModelException when a tensor is missing or disagrees with cfg
     */
    public static GemmaEmbeddingModel load(WeightSource w, GemmaEmbeddingConfig cfg, TensorOps ops) {
        String p = w.find(TOKEN_TABLE).isPresent() ? "" : "model.";
        int C = cfg.hidden_size();
        int H = cfg.num_attention_heads();
        int KV = cfg.num_key_value_heads();
        int D = cfg.head_dim();
        int I = cfg.intermediate_size();
        double eps = cfg.rms_norm_eps();
        float s = cfg.norm_shift();
        Layer[] layers = new Layer[cfg.num_hidden_layers()];
        for (int l = 0; l < layers.length; l++) {
            String n = p + "layers." + l + ".";
            layers[l] = new Layer(RmsNorm.loadShifted(w, n + "input_layernorm", C, eps, s),
                    Linear.load(w, n + "self_attn.q_proj", C, H * D), Linear.load(w, n + "self_attn.k_proj", C, KV * D),
                    Linear.load(w, n + "self_attn.v_proj", C, KV * D),
                    RmsNorm.loadShifted(w, n + "self_attn.q_norm", D, eps, s),
                    RmsNorm.loadShifted(w, n + "self_attn.k_norm", D, eps, s), Linear.load(w, n + "self_attn.o_proj", H * D, C),
                    RmsNorm.loadShifted(w, n + "post_attention_layernorm", C, eps, s),
                    RmsNorm.loadShifted(w, n + "pre_feedforward_layernorm", C, eps, s), Linear.load(w, n + "mlp.gate_proj", C, I),
                    Linear.load(w, n + "mlp.up_proj", C, I), Linear.load(w, n + "mlp.down_proj", I, C),
                    RmsNorm.loadShifted(w, n + "post_feedforward_layernorm", C, eps, s));
        }
        if (w.find(p + "layers." + layers.length + ".input_layernorm.weight").isPresent()) {
            throw new ModelException(w.source() + ": holds more than num_hidden_layers=" + layers.length
                    + " layers (found " + p + "layers." + layers.length + ")");
        }
        return new GemmaEmbeddingModel(cfg, w.source(), ops, EmbeddingTable.load(w, p + TOKEN_TABLE, cfg.vocab_size(), C),
                layers, RmsNorm.loadShifted(w, p + "norm", C, eps, s));
    }

    @Override
    public float[] forward(PackedBatch batch, Observer observer, Workspace ws) {
        batch.checkTables(cfg.vocab_size(), cfg.max_position_embeddings(), 0);
        int T = batch.tokens();
        int C = cfg.hidden_size();
        int H = cfg.num_attention_heads();
        int KV = cfg.num_key_value_heads();
        int D = cfg.head_dim();
        int I = cfg.intermediate_size();
        int[] starts = batch.seqStarts();
        float[] x = ws.get(X, T * C);
        float scale = (float) Math.sqrt(C);
        for (int t = 0; t < T; t++) {
            words.lookup(batch.ids()[t], x, t * C);
            for (int c = 0; c < C; c++) {
                x[t * C + c] *= scale;
            }
        }
        if (observer.wantsHiddenStates()) {
            observer.hiddenState(0, x, T, C);
        }
        // Attention divides scores by √D; Gemma divides by √query_pre_attn_scalar.
        float qScale = (float) (Math.sqrt(D) / Math.sqrt(cfg.query_pre_attn_scalar()));
        float[] h = ws.get(HID, T * C);
        float[] q = ws.get(Q, T * H * D);
        float[] k = ws.get(K, T * KV * D);
        float[] v = ws.get(V, T * KV * D);
        float[] ctx = ws.get(CTX, T * H * D);
        float[] out = ws.get(OUT, T * C);
        float[] gate = ws.get(GATE, T * I);
        float[] up = ws.get(UP, T * I);
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            System.arraycopy(x, 0, h, 0, T * C);
            layer.inputNorm().forward(h, 0, T);
            layer.q().forward(ops, h, T, starts, q);
            layer.k().forward(ops, h, T, starts, k);
            layer.v().forward(ops, h, T, starts, v);
            layer.qNorm().forward(q, 0, T * H);
            layer.kNorm().forward(k, 0, T * KV);
            Rope rope = cfg.slides(l) ? localRope : globalRope;
            rope.apply(q, T, H, batch.positions());
            rope.apply(k, T, KV, batch.positions());
            if (qScale != 1f) {
                for (int i = 0; i < T * H * D; i++) {
                    q[i] *= qScale;
                }
            }
            (cfg.slides(l) ? window : full).forward(ops, q, k, v, ctx, batch, l, observer);
            layer.o().forward(ops, ctx, T, starts, out);
            layer.postAttnNorm().forward(out, 0, T);
            ops.add(x, 0, out, 0, T * C);

            System.arraycopy(x, 0, h, 0, T * C);
            layer.preFfnNorm().forward(h, 0, T);
            layer.gate().forward(ops, h, T, starts, gate);
            layer.up().forward(ops, h, T, starts, up);
            Glu.apply(ops, TensorOps.Gate.GELU_TANH, gate, up, T, I);
            layer.down().forward(ops, gate, T, starts, out);
            layer.postFfnNorm().forward(out, 0, T);
            ops.add(x, 0, out, 0, T * C);
            if (l == layers.length - 1) {
                norm.forward(x, 0, T);
            }
            if (observer.wantsHiddenStates()) {
                observer.hiddenState(l + 1, x, T, C);
            }
        }
        return x;
    }
}
