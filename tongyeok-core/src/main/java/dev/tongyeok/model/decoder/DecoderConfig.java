package dev.tongyeok.model.decoder;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.layer.RopeScaling;
import java.util.Locale;
import java.util.Set;

/**
 * A decoder-only model's configuration (Llama, Qwen2, Qwen3, GPT-2, Falcon), read from its
 * {@code config.json} or its GGUF metadata by its family, with GPT-2's and Falcon's own key names
 * translated to these.
 *
 * @param architecture {@code llama}, {@code qwen2}, {@code qwen3}, {@code gpt2} or {@code falcon}
 * @param vocab_size rows of the token embedding table
 * @param hidden_size C
 * @param num_hidden_layers L
 * @param num_attention_heads H, query heads
 * @param num_key_value_heads key/value heads: H (multi-head), 1 (multi-query) or a divisor of H (grouped)
 * @param head_dim D, the width of one head (C / H unless the model says otherwise, as Qwen3 may)
 * @param intermediate_size the feed-forward's inner width
 * @param max_position_embeddings the longest sequence
 * @param norm_eps the RMSNorm or LayerNorm epsilon
 * @param rope_theta the rotary base; 0 when positions are learned (GPT-2)
 * @param rope_scaling rotary frequency scaling, or null
 * @param hidden_act {@code silu} (gated: SwiGLU), {@code gelu} (exact) or {@code gelu_new} (tanh approximation)
 * @param parallel_attn Falcon: attention and feed-forward both read the layer's input and are added
 * @param layer_norms Falcon with parallel attention: 1 (one norm feeds both) or 2 ({@code ln_attn}, {@code ln_mlp})
 * @param qkv_layout how a fused query/key/value weight orders its rows: {@code separate} (three
 *     weights), {@code contiguous} (all queries, all keys, all values), {@code grouped} (per key/value
 *     head: its queries, its key, its value; Falcon's new decoder architecture) or {@code interleaved}
 *     (per head: query, key, value; Falcon-RW)
 */
public record DecoderConfig(String architecture, int vocab_size, int hidden_size, int num_hidden_layers,
        int num_attention_heads, int num_key_value_heads, int head_dim, int intermediate_size,
        int max_position_embeddings, double norm_eps, double rope_theta, RopeScaling rope_scaling, String hidden_act,
        boolean parallel_attn, int layer_norms, String qkv_layout) implements ModelConfig {

    /**
     * @throws ModelException when the numbers cannot describe such a model
     */
    public DecoderConfig {
        if (architecture == null || architecture.isEmpty()) {
            throw new ModelException("config: a decoder configuration needs its architecture");
        }
        if (vocab_size <= 0 || hidden_size <= 0 || num_hidden_layers <= 0 || num_attention_heads <= 0
                || num_key_value_heads <= 0 || head_dim <= 0 || intermediate_size <= 0 || max_position_embeddings <= 0) {
            throw new ModelException("config: sizes must be positive, found vocab_size=" + vocab_size + " hidden_size="
                    + hidden_size + " num_hidden_layers=" + num_hidden_layers + " num_attention_heads="
                    + num_attention_heads + " num_key_value_heads=" + num_key_value_heads + " head_dim=" + head_dim
                    + " intermediate_size=" + intermediate_size + " max_position_embeddings=" + max_position_embeddings);
        }
        if (num_attention_heads % num_key_value_heads != 0) {
            throw new ModelException("config: num_attention_heads " + num_attention_heads
                    + " is not a multiple of num_key_value_heads " + num_key_value_heads);
        }
        if (rope_theta > 0 && head_dim % 2 != 0) {
            throw new ModelException("config: head_dim " + head_dim + " is odd; rotary embeddings need pairs");
        }
        hidden_act = hidden_act.toLowerCase(Locale.ROOT);
        if (hidden_act.equals("gelu_pytorch_tanh")) {
            hidden_act = "gelu_new";
        }
        if (!Set.of("silu", "gelu", "gelu_new").contains(hidden_act)) {
            throw new ModelException("config: hidden_act '" + hidden_act + "' is not supported (expected silu, gelu, "
                    + "gelu_new)");
        }
        if (!Set.of("separate", "contiguous", "grouped", "interleaved").contains(qkv_layout)) {
            throw new ModelException("config: qkv layout '" + qkv_layout + "' is unknown");
        }
        if (rope_scaling != null && !Set.of("linear", "llama3").contains(rope_scaling.type())) {
            throw new ModelException("config: rope_scaling type '" + rope_scaling.type()
                    + "' is not supported (expected linear or llama3)");
        }
    }

    /** Whether positions are rotary (else learned, GPT-2). */
    public boolean rotary() {
        return rope_theta > 0;
    }
}
