package dev.tongyeok.model.llama;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.model.decoder.DecoderConfig;
import dev.tongyeok.model.decoder.DecoderModel;
import dev.tongyeok.model.layer.Attention;
import dev.tongyeok.model.layer.Glu;
import dev.tongyeok.model.layer.Linear;
import dev.tongyeok.model.layer.RmsNorm;
import dev.tongyeok.model.layer.Rope;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * HF transformers' {@code LlamaModel} and the models built like it: Qwen2 (biases on the query,
 * key and value projections, picked up when present) and Qwen3 (an RMSNorm on each query and key
 * head before the rotation). Each layer (pre-norm):
 *
 * <pre>
 * x += o_proj(attention(rope(q_proj(rms(x))), rope(k_proj(rms(x))), v_proj(rms(x))))   causal, grouped-query
 * x += down_proj(silu(gate_proj(rms(x))) · up_proj(rms(x)))                              SwiGLU
 * </pre>
 * then a final RMSNorm. Returns the last hidden state (after the final norm).
 */
public final class LlamaModel extends DecoderModel {
    // Workspace buffers.
    private static final int H_IN = 0;
    private static final int Q = 1;
    private static final int K = 2;
    private static final int V = 3;
    private static final int CTX = 4;
    private static final int OUT = 5;
    private static final int GATE = 6;
    private static final int UP = 7;

    /** The token embedding table's name after the checkpoint's prefix. */
    static final String TOKEN_TABLE = "embed_tokens.weight";
    /** The prefixes checkpoints put before the names: {@code LlamaForCausalLM}'s, a bare {@code LlamaModel}'s. */
    static final String[] PREFIXES = {"model.", ""};

    private final Layer[] layers;
    private final RmsNorm norm;
    private final Rope rope;
    private final Attention attention;

    private record Layer(RmsNorm inputNorm, Linear q, Linear k, Linear v, RmsNorm qNorm, RmsNorm kNorm, Linear o,
            RmsNorm postNorm, Linear gate, Linear up, Linear down) {}

    private LlamaModel(WeightSource w, DecoderConfig cfg, TensorOps ops, String prefix, Layer[] layers, RmsNorm norm, Rope rope) {
        super(w, cfg, ops, prefix + TOKEN_TABLE);
        this.layers = layers;
        this.norm = norm;
        this.rope = rope;
        this.attention = Attention.causal(cfg.num_attention_heads(), cfg.num_key_value_heads(), cfg.head_dim());
    }

    /**
     * Builds the model from checkpoint tensors ({@code model.layers.N.self_attn.q_proj.weight}, …,
     * with or without the {@code model.} prefix), checking each shape against {@code cfg}.
     *
     * @throws dev.tongyeok.load.ModelException when a tensor is missing or disagrees with cfg
     */
    public static LlamaModel load(WeightSource w, DecoderConfig cfg) {
        return load(w, cfg, Ops.get());
    }

    /** As {@link #load(WeightSource, DecoderConfig)}, computing with {@code ops}. */
    public static LlamaModel load(WeightSource w, DecoderConfig cfg, TensorOps ops) {
        String p = prefix(w, TOKEN_TABLE, PREFIXES);
        int C = cfg.hidden_size();
        int H = cfg.num_attention_heads();
        int KV = cfg.num_key_value_heads();
        int D = cfg.head_dim();
        int I = cfg.intermediate_size();
        double eps = cfg.norm_eps();
        Layer[] layers = new Layer[cfg.num_hidden_layers()];
        for (int l = 0; l < layers.length; l++) {
            String n = p + "layers." + l + ".";
            boolean qkNorm = w.find(n + "self_attn.q_norm.weight").isPresent();
            layers[l] = new Layer(RmsNorm.load(w, n + "input_layernorm", C, eps),
                    Linear.load(w, n + "self_attn.q_proj", C, H * D), Linear.load(w, n + "self_attn.k_proj", C, KV * D),
                    Linear.load(w, n + "self_attn.v_proj", C, KV * D),
                    qkNorm ? RmsNorm.load(w, n + "self_attn.q_norm", D, eps) : null,
                    qkNorm ? RmsNorm.load(w, n + "self_attn.k_norm", D, eps) : null,
                    Linear.load(w, n + "self_attn.o_proj", H * D, C), RmsNorm.load(w, n + "post_attention_layernorm", C, eps),
                    Linear.load(w, n + "mlp.gate_proj", C, I), Linear.load(w, n + "mlp.up_proj", C, I),
                    Linear.load(w, n + "mlp.down_proj", I, C));
        }
        checkNoMoreLayers(w, p + "layers." + layers.length + ".input_layernorm.weight", layers.length);
        float[] factors = w.find("rope_freqs.weight").map(f -> f.tensor().toFloatArray()).orElse(null);
        return new LlamaModel(w, cfg, ops, p, layers, RmsNorm.load(w, p + "norm", C, eps), Rope.of(cfg.head_dim(), cfg.rope_theta(), cfg.rope_scaling(), factors));
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
        int[] starts = batch.seqStarts();
        if (observer.wantsHiddenStates()) {
            observer.hiddenState(0, x, T, C);
        }
        float[] h = ws.get(H_IN, T * C);
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
            layer.inputNorm.forward(h, 0, T);
            layer.q.forward(ops, h, T, starts, q);
            layer.k.forward(ops, h, T, starts, k);
            layer.v.forward(ops, h, T, starts, v);
            if (layer.qNorm != null) {
                layer.qNorm.forward(q, 0, T * H);
                layer.kNorm.forward(k, 0, T * KV);
            }
            rope.apply(q, T, H, batch.positions());
            rope.apply(k, T, KV, batch.positions());
            attention.forward(ops, q, k, v, ctx, batch, l, observer);
            layer.o.forward(ops, ctx, T, starts, out);
            ops.add(x, 0, out, 0, T * C);

            System.arraycopy(x, 0, h, 0, T * C);
            layer.postNorm.forward(h, 0, T);
            layer.gate.forward(ops, h, T, starts, gate);
            layer.up.forward(ops, h, T, starts, up);
            Glu.apply(ops, TensorOps.Gate.SILU, gate, up, T, I);
            layer.down.forward(ops, gate, T, starts, out);
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
