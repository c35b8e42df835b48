package dev.tongyeok.model.gpt2;

import dev.tongyeok.load.ConfigJson;
import dev.tongyeok.load.Weight;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.load.gguf.GgufLayout;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.decoder.DecoderConfig;
import dev.tongyeok.model.decoder.DecoderFamily;
import dev.tongyeok.tensor.ops.TensorOps;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** GPT-2 ({@code GPT2Model}, {@code GPT2LMHeadModel}; GGUF {@code gpt2}): learned positions, {@code Conv1D} layers. */
public final class Gpt2Family extends DecoderFamily {
    /** The family, as the registry lists it. */
    public Gpt2Family() {
        super(Set.of("gpt2"), Gpt2Model.TOKEN_TABLE, Gpt2Model.PREFIXES);
    }

    @Override
    public String name() {
        return "gpt2";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("gpt2");
    }

    @Override
    public DecoderConfig config(ConfigJson k) {
        int C = k.integer("n_embd", -1);
        int H = k.integer("n_head", -1);
        return new DecoderConfig("gpt2", k.integer("vocab_size", -1), C, k.integer("n_layer", -1), H, H,
                C / Math.max(1, H), k.isNull("n_inner") ? 4 * C : k.integer("n_inner", -1),
                k.integer("n_positions", 1024), k.number("layer_norm_epsilon", 1e-5), 0, null,
                k.string("activation_function", "gelu_new"), false, 1, "contiguous");
    }

    @Override
    public DecoderConfig config(GgufFile f) {
        int C = (int) f.integer("gpt2.embedding_length");
        int H = (int) f.integer("gpt2.attention.head_count");
        return new DecoderConfig("gpt2", f.tokenEmbeddingRows(), C, (int) f.integer("gpt2.block_count"), H, H, C / H,
                (int) f.integer("gpt2.feed_forward_length", 4L * C), (int) f.integer("gpt2.context_length"),
                f.number("gpt2.attention.layer_norm_epsilon", 1e-5), 0, null, "gelu_new", false, 1, "contiguous");
    }

    private static final GgufLayout NAMES = GgufLayout.blocks("h.", Map.of(
            "attn_norm", "ln_1",
            "attn_qkv", "attn.c_attn",
            "attn_output", "attn.c_proj",
            "ffn_norm", "ln_2",
            "ffn_up", "mlp.c_fc",
            "ffn_down", "mlp.c_proj"), Map.of(
            "token_embd.weight", "wte.weight",
            "position_embd.weight", "wpe.weight",
            "output_norm.weight", "ln_f.weight",
            "output_norm.bias", "ln_f.bias"));

    private static final Pattern CONV1D = Pattern.compile("blk\\.\\d+\\.(attn_qkv|attn_output|ffn_up|ffn_down)\\.weight");

    /**
     * The names above; the {@code Conv1D} matrices, which GGUF holds as (out, in), are marked as the
     * transpose of their checkpoint's (in, out).
     */
    @Override
    public GgufLayout ggufLayout(GgufFile file) {
        return NAMES.withWeights((name, gguf, t) ->
                new Weight(name, t, t.rank() == 2 && CONV1D.matcher(gguf).matches(), null, null, false));
    }

    @Override
    public Transformer build(WeightSource weights, ModelConfig config, TensorOps ops) {
        return Gpt2Model.load(weights, (DecoderConfig) config, ops);
    }
}
