package dev.tongyeok.load.gguf;

import dev.tongyeok.load.BertConfig;
import dev.tongyeok.load.DecoderConfig;
import dev.tongyeok.load.ModelConfig;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.Weight;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GGUF file's tensors under the checkpoint names HuggingFace gives them ({@code blk.0.attn_q.weight}
 * is {@code model.layers.0.self_attn.q_proj.weight} in a Llama, {@code encoder.layer.0.attention.self.query.weight}
 * in a BERT), so that each model family loads one way from every format; and its metadata as the
 * family's configuration.
 *
 * <p>Two things llama.cpp's converter changes are undone here: a Llama's query and key rows are
 * permuted back (the converter interleaves each head's two rotary halves, for GGML's pairwise
 * rotation), and GPT-2's {@code Conv1D} matrices, which GGUF holds as (out, in), are marked as
 * the transpose of their checkpoint's (in, out). Tensors that have no checkpoint name keep their
 * GGUF name ({@code rope_freqs.weight}: Llama 3's frequency factors).
 */
public final class GgufWeights implements WeightSource {
    private final GgufFile file;
    private final String architecture;
    private final Map<String, String> toGguf; // checkpoint name -> GGUF name
    private final Map<String, Weight> permuted = new java.util.concurrent.ConcurrentHashMap<>();

    private GgufWeights(GgufFile file, String architecture, Map<String, String> toGguf) {
        this.file = file;
        this.architecture = architecture;
        this.toGguf = Collections.unmodifiableMap(toGguf);
    }

    /**
     * The tensors of {@code file} under checkpoint names of its {@code general.architecture}.
     *
     * @throws ModelException when the architecture is not supported
     */
    public static GgufWeights of(GgufFile file) {
        String arch = file.architecture();
        Map<String, String> names = new LinkedHashMap<>();
        for (String g : file.tensors().keySet()) {
            names.put(checkpointName(arch, g, file), g);
        }
        return new GgufWeights(file, arch, names);
    }

    /** The file. */
    public GgufFile file() {
        return file;
    }

    @Override
    public String source() {
        return file.path().getFileName().toString();
    }

    @Override
    public Set<String> names() {
        return toGguf.keySet();
    }

    @Override
    public Optional<Weight> find(String name) {
        String g = toGguf.get(name);
        if (g == null) {
            return Optional.empty();
        }
        Tensor t = file.tensors().get(g);
        if (architecture.equals("llama") && (g.endsWith(".attn_q.weight") || g.endsWith(".attn_k.weight")
                || g.endsWith(".attn_q.bias") || g.endsWith(".attn_k.bias"))) {
            return Optional.of(permuted.computeIfAbsent(name, n -> Weight.of(n, unpermute(t, g))));
        }
        boolean conv1d = architecture.equals("gpt2") && t.rank() == 2 && Pattern.matches(
                "blk\\.\\d+\\.(attn_qkv|attn_output|ffn_up|ffn_down)\\.weight", g);
        return Optional.of(new Weight(name, t, conv1d, null, null, false));
    }

    // Row r of a permuted Llama query/key matrix: head h's rows come as pairs (i, D/2 + i) interleaved.
    private Tensor unpermute(Tensor t, String g) {
        int heads = (int) file.integer("llama.attention.head_count");
        if (g.contains(".attn_k.")) {
            heads = (int) file.integer("llama.attention.head_count_kv", heads);
        }
        long rows = t.dim(0);
        if (rows % (2L * heads) != 0) {
            throw new ModelException(source() + ": tensor " + g + " has " + rows + " rows, not a multiple of 2 × "
                    + heads + " heads");
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

    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.(.+)");

    /** The checkpoint name of GGUF tensor {@code g} in a model of {@code arch}; g itself when it has none. */
    static String checkpointName(String arch, String g, GgufFile file) {
        Matcher m = BLOCK.matcher(g);
        if (m.matches()) {
            String n = m.group(1);
            String rest = m.group(2);
            int dot = rest.lastIndexOf('.');
            String part = dot < 0 ? rest : rest.substring(0, dot);
            String suffix = dot < 0 ? "" : rest.substring(dot);
            String mapped = switch (arch) {
                case "llama", "qwen2", "qwen3" -> switch (part) {
                    case "attn_norm" -> "model.layers." + n + ".input_layernorm";
                    case "attn_q" -> "model.layers." + n + ".self_attn.q_proj";
                    case "attn_k" -> "model.layers." + n + ".self_attn.k_proj";
                    case "attn_v" -> "model.layers." + n + ".self_attn.v_proj";
                    case "attn_output" -> "model.layers." + n + ".self_attn.o_proj";
                    case "attn_q_norm" -> "model.layers." + n + ".self_attn.q_norm";
                    case "attn_k_norm" -> "model.layers." + n + ".self_attn.k_norm";
                    case "ffn_norm" -> "model.layers." + n + ".post_attention_layernorm";
                    case "ffn_gate" -> "model.layers." + n + ".mlp.gate_proj";
                    case "ffn_up" -> "model.layers." + n + ".mlp.up_proj";
                    case "ffn_down" -> "model.layers." + n + ".mlp.down_proj";
                    default -> null;
                };
                case "gpt2" -> switch (part) {
                    case "attn_norm" -> "h." + n + ".ln_1";
                    case "attn_qkv" -> "h." + n + ".attn.c_attn";
                    case "attn_output" -> "h." + n + ".attn.c_proj";
                    case "ffn_norm" -> "h." + n + ".ln_2";
                    case "ffn_up" -> "h." + n + ".mlp.c_fc";
                    case "ffn_down" -> "h." + n + ".mlp.c_proj";
                    default -> null;
                };
                case "falcon" -> switch (part) {
                    case "attn_norm" -> "transformer.h." + n + (file.tensors().containsKey("blk." + n + ".attn_norm_2.weight")
                            ? ".ln_attn" : ".input_layernorm");
                    case "attn_norm_2" -> "transformer.h." + n + ".ln_mlp";
                    case "attn_qkv" -> "transformer.h." + n + ".self_attention.query_key_value";
                    case "attn_output" -> "transformer.h." + n + ".self_attention.dense";
                    case "ffn_up" -> "transformer.h." + n + ".mlp.dense_h_to_4h";
                    case "ffn_down" -> "transformer.h." + n + ".mlp.dense_4h_to_h";
                    default -> null;
                };
                case "bert" -> switch (part) {
                    case "attn_q" -> "encoder.layer." + n + ".attention.self.query";
                    case "attn_k" -> "encoder.layer." + n + ".attention.self.key";
                    case "attn_v" -> "encoder.layer." + n + ".attention.self.value";
                    case "attn_output" -> "encoder.layer." + n + ".attention.output.dense";
                    case "attn_output_norm" -> "encoder.layer." + n + ".attention.output.LayerNorm";
                    case "ffn_up" -> "encoder.layer." + n + ".intermediate.dense";
                    case "ffn_down" -> "encoder.layer." + n + ".output.dense";
                    case "layer_output_norm" -> "encoder.layer." + n + ".output.LayerNorm";
                    default -> null;
                };
                default -> null;
            };
            return mapped == null ? g : mapped + suffix;
        }
        String mapped = switch (arch + "/" + g) {
            case "llama/token_embd.weight", "qwen2/token_embd.weight", "qwen3/token_embd.weight" -> "model.embed_tokens.weight";
            case "llama/output_norm.weight", "qwen2/output_norm.weight", "qwen3/output_norm.weight" -> "model.norm.weight";
            case "llama/output.weight", "qwen2/output.weight", "qwen3/output.weight" -> "lm_head.weight";
            case "gpt2/token_embd.weight" -> "wte.weight";
            case "gpt2/position_embd.weight" -> "wpe.weight";
            case "gpt2/output_norm.weight" -> "ln_f.weight";
            case "gpt2/output_norm.bias" -> "ln_f.bias";
            case "falcon/token_embd.weight" -> "transformer.word_embeddings.weight";
            case "falcon/output_norm.weight" -> "transformer.ln_f.weight";
            case "falcon/output_norm.bias" -> "transformer.ln_f.bias";
            case "bert/token_embd.weight" -> "embeddings.word_embeddings.weight";
            case "bert/position_embd.weight" -> "embeddings.position_embeddings.weight";
            case "bert/token_types.weight" -> "embeddings.token_type_embeddings.weight";
            case "bert/token_embd_norm.weight" -> "embeddings.LayerNorm.weight";
            case "bert/token_embd_norm.bias" -> "embeddings.LayerNorm.bias";
            default -> null;
        };
        return mapped == null ? g : mapped;
    }

    /**
     * The configuration the metadata gives ({@code <arch>.embedding_length}, {@code .block_count}, …).
     *
     * @throws ModelException when the architecture is not supported or a key is missing or wrong
     */
    public ModelConfig config() {
        String a = architecture;
        Tensor embd = file.tensors().get("token_embd.weight");
        if (embd == null || embd.rank() != 2) {
            throw new ModelException(source() + ": tensor token_embd.weight is missing");
        }
        int vocab = (int) embd.dim(0);
        int C = (int) file.integer(a + ".embedding_length");
        int L = (int) file.integer(a + ".block_count");
        int H = (int) file.integer(a + ".attention.head_count");
        int ctx = (int) file.integer(a + ".context_length");
        return switch (a) {
            case "bert" -> {
                Tensor types = file.tensors().get("token_types.weight");
                yield new BertConfig(vocab, C, L, H, (int) file.integer(a + ".feed_forward_length"), "gelu", ctx,
                        types == null ? 0 : (int) types.dim(0), file.number(a + ".attention.layer_norm_epsilon", 1e-12));
            }
            case "llama", "qwen2", "qwen3" -> {
                DecoderConfig.RopeScaling scaling = null;
                String type = file.string(a + ".rope.scaling.type", "none");
                if (type.equals("linear")) {
                    scaling = new DecoderConfig.RopeScaling("linear", file.number(a + ".rope.scaling.factor"), 1, 4, 0);
                } else if (!type.equals("none")) {
                    throw new ModelException(source() + ": metadata " + a + ".rope.scaling.type '" + type
                            + "' is not supported (none, linear; Llama 3 scaling comes as rope_freqs.weight)");
                }
                yield new DecoderConfig(a, vocab, C, L, H, (int) file.integer(a + ".attention.head_count_kv", H),
                        (int) file.integer(a + ".attention.key_length", C / H), (int) file.integer(a + ".feed_forward_length"),
                        ctx, file.number(a + ".attention.layer_norm_rms_epsilon", 1e-6),
                        file.number(a + ".rope.freq_base", 10000), scaling, "silu", false, 1, "separate");
            }
            case "gpt2" -> new DecoderConfig(a, vocab, C, L, H, H, C / H,
                    (int) file.integer(a + ".feed_forward_length", 4L * C), ctx,
                    file.number(a + ".attention.layer_norm_epsilon", 1e-5), 0, null, "gelu_new", false, 1, "contiguous");
            case "falcon" -> new DecoderConfig(a, vocab, C, L, H, (int) file.integer(a + ".attention.head_count_kv", 1),
                    C / H, (int) file.integer(a + ".feed_forward_length", 4L * C), ctx,
                    file.number(a + ".attention.layer_norm_epsilon", 1e-5), file.number(a + ".rope.freq_base", 10000), null,
                    "gelu", true, file.tensors().containsKey("blk.0.attn_norm_2.weight") ? 2 : 1, "contiguous");
            default -> throw new ModelException(source() + ": general.architecture '" + a
                    + "' is not supported (bert, llama, qwen2, qwen3, gpt2, falcon)");
        };
    }
}
