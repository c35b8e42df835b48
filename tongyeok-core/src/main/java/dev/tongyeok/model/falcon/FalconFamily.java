package dev.tongyeok.model.falcon;

import dev.tongyeok.load.ConfigJson;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.load.gguf.GgufLayout;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.decoder.DecoderConfig;
import dev.tongyeok.model.decoder.DecoderFamily;
import dev.tongyeok.tensor.ops.TensorOps;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Falcon ({@code falcon}, and the {@code RefinedWeb}/{@code RefinedWebModel} names of its first
 * checkpoints; GGUF {@code falcon}): rotary positions, multi-query or grouped key/value heads,
 * attention and feed-forward in parallel.
 */
public final class FalconFamily extends DecoderFamily {
    /** The family, as the registry lists it. */
    public FalconFamily() {
        super(Set.of("falcon"), FalconModel.TOKEN_TABLE, FalconModel.PREFIXES);
    }

    @Override
    public String name() {
        return "falcon";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("falcon", "RefinedWeb", "RefinedWebModel");
    }

    @Override
    public DecoderConfig config(ConfigJson k) {
        if (k.bool("alibi", false)) {
            throw k.error("Falcon with alibi positions is not supported (rotary is)");
        }
        int C = k.integer("hidden_size", -1);
        int H = k.integer(k.has("num_attention_heads") ? "num_attention_heads" : "n_head", -1);
        boolean newArch = k.bool("new_decoder_architecture", false);
        boolean multiQuery = k.bool("multi_query", true);
        int kv = newArch ? k.integer("num_kv_heads", k.integer("n_head_kv", H)) : multiQuery ? 1 : H;
        String layout = newArch ? "grouped" : multiQuery ? "contiguous" : "interleaved";
        int norms = newArch ? k.integer("num_ln_in_parallel_attn", 2) : 1;
        return new DecoderConfig("falcon", k.integer("vocab_size", -1), C,
                k.integer(k.has("num_hidden_layers") ? "num_hidden_layers" : "n_layer", -1), H, kv, C / Math.max(1, H),
                k.integer("ffn_hidden_size", 4 * C), k.integer("max_position_embeddings", 2048),
                k.number("layer_norm_epsilon", 1e-5), k.number("rope_theta", 10000), null, "gelu",
                newArch || k.bool("parallel_attn", true), norms, layout);
    }

    @Override
    public DecoderConfig config(GgufFile f) {
        int C = (int) f.integer("falcon.embedding_length");
        int H = (int) f.integer("falcon.attention.head_count");
        return new DecoderConfig("falcon", f.tokenEmbeddingRows(), C, (int) f.integer("falcon.block_count"), H,
                (int) f.integer("falcon.attention.head_count_kv", 1), C / H,
                (int) f.integer("falcon.feed_forward_length", 4L * C), (int) f.integer("falcon.context_length"),
                f.number("falcon.attention.layer_norm_epsilon", 1e-5), f.number("falcon.rope.freq_base", 10000), null,
                "gelu", true, twoNorms(f) ? 2 : 1, "contiguous");
    }

    private static boolean twoNorms(GgufFile f) {
        return f.tensors().containsKey("blk.0.attn_norm_2.weight");
    }

    @Override
    public GgufLayout ggufLayout(GgufFile file) {
        // llama.cpp's converter (gguf-py tensor_mapping.py) names Falcon-40B's ln_mlp attn_norm and its
        // ln_attn attn_norm_2: llama.cpp normalizes the attention's input with attn_norm_2 when there
        // is one, the feed-forward's always with attn_norm.
        Map<String, String> block = new HashMap<>(Map.of(
                "attn_norm_2", "ln_attn",
                "attn_qkv", "self_attention.query_key_value",
                "attn_output", "self_attention.dense",
                "ffn_up", "mlp.dense_h_to_4h",
                "ffn_down", "mlp.dense_4h_to_h"));
        block.put("attn_norm", twoNorms(file) ? "ln_mlp" : "input_layernorm");
        return GgufLayout.blocks("transformer.h.", block, Map.of(
                "token_embd.weight", "transformer.word_embeddings.weight",
                "output_norm.weight", "transformer.ln_f.weight",
                "output_norm.bias", "transformer.ln_f.bias"));
    }

    @Override
    public Transformer build(WeightSource weights, ModelConfig config, TensorOps ops) {
        return FalconModel.load(weights, (DecoderConfig) config, ops);
    }
}
