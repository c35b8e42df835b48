package dev.tongyeok.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * A decoder-only model's configuration (Llama, Qwen2, Qwen3, GPT-2, Falcon), read from its
 * {@code config.json} or its GGUF metadata, with GPT-2's and Falcon's own key names translated to
 * these.
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

    /** The families a decoder configuration may name. */
    public static final Set<String> ARCHITECTURES = Set.of("llama", "qwen2", "qwen3", "gpt2", "falcon");

    /**
     * Rotary frequency scaling, as config.json's {@code rope_scaling} gives it.
     *
     * @param type {@code linear} (positions divided by factor) or {@code llama3} (low frequencies
     *     divided by factor, high ones kept, the band between blended)
     * @param factor the scaling factor
     * @param low_freq_factor llama3: wavelengths beyond original / low_freq_factor are scaled
     * @param high_freq_factor llama3: wavelengths below original / high_freq_factor are kept
     * @param original_max_position_embeddings llama3: the context the model was trained on
     */
    public record RopeScaling(String type, double factor, double low_freq_factor, double high_freq_factor,
            int original_max_position_embeddings) {}

    /**
     * @throws ModelException when the numbers cannot describe such a model
     */
    public DecoderConfig {
        if (!ARCHITECTURES.contains(architecture)) {
            throw new ModelException("config: architecture '" + architecture + "' is not a supported decoder "
                    + "(llama, qwen2, qwen3, gpt2, falcon)");
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

    /** The default pooling of such a model: the last token, the one that has seen all the others. */
    public String defaultPooling() {
        return "last";
    }

    /**
     * A config.json of a decoder family, read by {@code model_type}.
     *
     * @throws ModelException when a key is missing or wrong, naming the file and the key
     */
    static DecoderConfig fromJson(JsonNode root, Path file) {
        String type = root.path("model_type").asText("");
        Keys k = new Keys(root, file);
        return switch (type) {
            case "llama", "mistral", "qwen2", "qwen3" -> {
                int C = k.integer("hidden_size", -1);
                int H = k.integer("num_attention_heads", -1);
                String arch = type.equals("mistral") ? "llama" : type;
                int max = k.integer("max_position_embeddings", 2048);
                // A sliding window longer than the input changes nothing: inputs are kept within it.
                if (!k.isNull("sliding_window") && root.path("use_sliding_window").asBoolean(type.equals("mistral"))) {
                    max = Math.min(max, k.integer("sliding_window", -1));
                }
                yield new DecoderConfig(arch, k.integer("vocab_size", -1), C, k.integer("num_hidden_layers", -1), H,
                        k.integer("num_key_value_heads", H), k.integer("head_dim", H > 0 ? C / H : -1),
                        k.integer("intermediate_size", -1), max,
                        k.number("rms_norm_eps", 1e-6), k.number("rope_theta", 10000), ropeScaling(root, file),
                        root.path("hidden_act").asText("silu"), false, 1, "separate");
            }
            case "gpt2" -> {
                int C = k.integer("n_embd", -1);
                int inner = k.isNull("n_inner") ? 4 * C : k.integer("n_inner", -1);
                yield new DecoderConfig("gpt2", k.integer("vocab_size", -1), C, k.integer("n_layer", -1),
                        k.integer("n_head", -1), k.integer("n_head", -1), C / Math.max(1, k.integer("n_head", -1)),
                        inner, k.integer("n_positions", 1024), k.number("layer_norm_epsilon", 1e-5), 0, null,
                        root.path("activation_function").asText("gelu_new"), false, 1, "contiguous");
            }
            case "falcon", "RefinedWeb", "RefinedWebModel" -> {
                if (root.path("alibi").asBoolean(false)) {
                    throw new ModelException(file + ": Falcon with alibi positions is not supported (rotary is)");
                }
                int C = k.integer("hidden_size", -1);
                int H = k.integer(root.has("num_attention_heads") ? "num_attention_heads" : "n_head", -1);
                boolean newArch = root.path("new_decoder_architecture").asBoolean(false);
                boolean multiQuery = root.path("multi_query").asBoolean(true);
                int kv = newArch ? k.integer("num_kv_heads", k.integer("n_head_kv", H)) : multiQuery ? 1 : H;
                String layout = newArch ? "grouped" : multiQuery ? "contiguous" : "interleaved";
                int norms = newArch ? k.integer("num_ln_in_parallel_attn", 2) : 1;
                yield new DecoderConfig("falcon", k.integer("vocab_size", -1), C,
                        k.integer(root.has("num_hidden_layers") ? "num_hidden_layers" : "n_layer", -1), H, kv,
                        C / Math.max(1, H),
                        k.integer("ffn_hidden_size", 4 * C), k.integer("max_position_embeddings", 2048),
                        k.number("layer_norm_epsilon", 1e-5), k.number("rope_theta", 10000), null, "gelu",
                        newArch || root.path("parallel_attn").asBoolean(true), norms, layout);
            }
            default -> throw new ModelException(file + ": model_type '" + type
                    + "' is not supported (expected bert, llama, mistral, qwen2, qwen3, gpt2, falcon)");
        };
    }

    private static RopeScaling ropeScaling(JsonNode root, Path file) {
        JsonNode r = root.get("rope_scaling");
        if (r == null || r.isNull()) {
            return null;
        }
        String type = r.path("rope_type").asText(r.path("type").asText(""));
        if (type.equals("default")) {
            return null;
        }
        if (!r.path("factor").isNumber()) {
            throw new ModelException(file + ": rope_scaling needs a numeric \"factor\"");
        }
        return new RopeScaling(type, r.path("factor").asDouble(), r.path("low_freq_factor").asDouble(1),
                r.path("high_freq_factor").asDouble(4), r.path("original_max_position_embeddings").asInt(8192));
    }

    /** Typed reads of config.json keys with errors naming the file and the key. */
    private record Keys(JsonNode root, Path file) {
        int integer(String key, int fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                if (fallback < 0) {
                    throw new ModelException(file + ": key " + key + " is missing");
                }
                return fallback;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new ModelException(file + ": key " + key + " must be an integer, found " + n);
            }
            return n.intValue();
        }

        double number(String key, double fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.isNumber()) {
                throw new ModelException(file + ": key " + key + " must be a number, found " + n);
            }
            return n.doubleValue();
        }

        boolean isNull(String key) {
            return root.get(key) == null || root.get(key).isNull();
        }
    }
}
