package dev.tongyeok.model.llama;

import dev.tongyeok.load.ConfigJson;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.Weight;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.load.gguf.GgufLayout;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.decoder.DecoderConfig;
import dev.tongyeok.model.decoder.DecoderFamily;
import dev.tongyeok.model.layer.RopeScaling;
import dev.tongyeok.tensor.Tensor;
import dev.tongyeok.tensor.ops.TensorOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Set;

/**
 * Llama-layout decoders: Llama 1–3, Mistral (inputs kept within its sliding window), Qwen2 and
 * Qwen3 (with its per-head query/key norms), from {@code config.json} {@code model_type} or GGUF
 * {@code general.architecture}. Their embeddings pool the last token, the one that has seen all
 * the others.
 */
public final class LlamaFamily extends DecoderFamily {
    private static final Set<String> ARCHITECTURES = Set.of("llama", "qwen2", "qwen3");

    /** The family, as the registry lists it. */
    public LlamaFamily() {
        super(ARCHITECTURES, LlamaModel.TOKEN_TABLE, LlamaModel.PREFIXES);
    }

    @Override
    public String name() {
        return "llama";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("llama", "mistral", "qwen2", "qwen3");
    }

    @Override
    public DecoderConfig config(ConfigJson k) {
        String type = k.modelType("");
        int C = k.integer("hidden_size", -1);
        int H = k.integer("num_attention_heads", -1);
        int max = k.integer("max_position_embeddings", 2048);
        // A sliding window longer than the input changes nothing: inputs are kept within it.
        if (!k.isNull("sliding_window") && k.bool("use_sliding_window", type.equals("mistral"))) {
            max = Math.min(max, k.integer("sliding_window", -1));
        }
        return new DecoderConfig(type.equals("mistral") ? "llama" : type, k.integer("vocab_size", -1), C,
                k.integer("num_hidden_layers", -1), H, k.integer("num_key_value_heads", H),
                k.integer("head_dim", H > 0 ? C / H : -1), k.integer("intermediate_size", -1), max,
                k.number("rms_norm_eps", 1e-6), k.number("rope_theta", 10000), ropeScaling(k),
                k.string("hidden_act", "silu"), false, 1, "separate");
    }

    private static RopeScaling ropeScaling(ConfigJson k) {
        var r = k.root().get("rope_scaling");
        if (r == null || r.isNull()) {
            return null;
        }
        String type = r.path("rope_type").asText(r.path("type").asText(""));
        if (type.equals("default")) {
            return null;
        }
        if (!r.path("factor").isNumber()) {
            throw k.error("rope_scaling needs a numeric \"factor\"");
        }
        return new RopeScaling(type, r.path("factor").asDouble(), r.path("low_freq_factor").asDouble(1),
                r.path("high_freq_factor").asDouble(4), r.path("original_max_position_embeddings").asInt(8192));
    }

    @Override
    public DecoderConfig config(GgufFile f) {
        String a = f.architecture();
        int C = (int) f.integer(a + ".embedding_length");
        int H = (int) f.integer(a + ".attention.head_count");
        RopeScaling scaling = null;
        String type = f.string(a + ".rope.scaling.type", "none");
        if (type.equals("linear")) {
            scaling = new RopeScaling("linear", f.number(a + ".rope.scaling.factor"), 1, 4, 0);
        } else if (!type.equals("none")) {
            throw new ModelException(f.path().getFileName() + ": metadata " + a + ".rope.scaling.type '" + type
                    + "' is not supported (none, linear; Llama 3 scaling comes as rope_freqs.weight)");
        }
        return new DecoderConfig(a, f.tokenEmbeddingRows(), C, (int) f.integer(a + ".block_count"), H,
                (int) f.integer(a + ".attention.head_count_kv", H), (int) f.integer(a + ".attention.key_length", C / H),
                (int) f.integer(a + ".feed_forward_length"), (int) f.integer(a + ".context_length"),
                f.number(a + ".attention.layer_norm_rms_epsilon", 1e-6), f.number(a + ".rope.freq_base", 10000), scaling,
                "silu", false, 1, "separate");
    }

    // gguf-py tensor_mapping.py, read backwards for LlamaForCausalLM (Qwen2 and Qwen3 name theirs alike).
    private static final GgufLayout NAMES = GgufLayout.blocks("model.layers.", Map.ofEntries(
            Map.entry("attn_norm", "input_layernorm"),
            Map.entry("attn_q", "self_attn.q_proj"),
            Map.entry("attn_k", "self_attn.k_proj"),
            Map.entry("attn_v", "self_attn.v_proj"),
            Map.entry("attn_output", "self_attn.o_proj"),
            Map.entry("attn_q_norm", "self_attn.q_norm"),
            Map.entry("attn_k_norm", "self_attn.k_norm"),
            Map.entry("ffn_norm", "post_attention_layernorm"),
            Map.entry("ffn_gate", "mlp.gate_proj"),
            Map.entry("ffn_up", "mlp.up_proj"),
            Map.entry("ffn_down", "mlp.down_proj")), Map.of(
            "token_embd.weight", "model.embed_tokens.weight",
            "output_norm.weight", "model.norm.weight",
            "output.weight", "lm_head.weight"));

    /**
     * The names above; for {@code llama} files also the converter's permutation of the query and key
     * rows undone (it interleaves each head's two rotary halves for GGML's pairwise rotation; Qwen's
     * files are written unpermuted).
     */
    @Override
    public GgufLayout ggufLayout(GgufFile file) {
        if (!file.architecture().equals("llama")) {
            return NAMES;
        }
        return NAMES.withWeights((name, gguf, tensor) -> {
            boolean permuted = gguf.endsWith(".attn_q.weight") || gguf.endsWith(".attn_k.weight")
                    || gguf.endsWith(".attn_q.bias") || gguf.endsWith(".attn_k.bias");
            return Weight.of(name, permuted ? unpermute(file, tensor, gguf) : tensor);
        });
    }

    // Row r of a permuted query/key matrix: head h's rows come as pairs (i, D/2 + i) interleaved.
    private static Tensor unpermute(GgufFile file, Tensor t, String g) {
        int heads = (int) file.integer("llama.attention.head_count");
        if (g.contains(".attn_k.")) {
            heads = (int) file.integer("llama.attention.head_count_kv", heads);
        }
        long rows = t.dim(0);
        if (rows % (2L * heads) != 0) {
            throw new ModelException(file.path().getFileName() + ": tensor " + g + " has " + rows
                    + " rows, not a multiple of 2 × " + heads + " heads");
        }
        long rowBytes = t.data().byteSize() / rows;
        int D = (int) (rows / heads);
        MemorySegment out = Arena.ofAuto().allocate(t.data().byteSize(), 16);
        for (int h = 0; h < heads; h++) {
            for (int half = 0; half < 2; half++) {
                for (int i = 0; i < D / 2; i++) {
                    long from = (long) h * D + 2L * i + half; // row in the file
                    long to = (long) h * D + (long) half * (D / 2) + i; // row in the checkpoint
                    MemorySegment.copy(t.data(), from * rowBytes, out, to * rowBytes, rowBytes);
                }
            }
        }
        return new Tensor(t.name(), t.type(), t.shape(), out);
    }

    @Override
    public Transformer build(WeightSource weights, ModelConfig config, TensorOps ops) {
        return LlamaModel.load(weights, (DecoderConfig) config, ops);
    }
}
