package dev.tongyeok.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.embed.Embedder;
import dev.tongyeok.load.SafetensorsWriter;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.load.gguf.GgufWeights;
import dev.tongyeok.load.gguf.GgufWriter;
import dev.tongyeok.load.safetensors.SafetensorsWeights;
import dev.tongyeok.model.registry.ModelFamilies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiny random-weight decoders of every family, written as HF checkpoints (config.json +
 * safetensors) and as llama.cpp's converter writes GGUF (F32 and Q8_0), run by our engine and
 * compared with a naive double-precision forward pass written here from each architecture's
 * definition.
 */
public class DecoderModelsTest {
    static final int V = 64;
    static final int C = 32;
    static final int L = 2;
    static final int P = 64;
    /** Our F32 forward against the double-precision one: max |Δ| on hidden states of magnitude ~1. */
    static final double F32_BOUND = 2e-4;
    /** Q8_0 weights against F32 ones: cosine of last-token vectors. */
    static final double Q8_COSINE = 0.999;

    @TempDir
    Path tmp;

    /** One tiny model: its configuration, HF tensors, and how llama.cpp names and lays them out. */
    public record Spec(String family, int H, int KV, int D, int I, Map<String, Object> config, Map<String, float[][]> w) {}

    public static Spec spec(String family) {
        Random r = new Random(family.hashCode());
        Map<String, Object> cfg = new LinkedHashMap<>();
        Map<String, float[][]> w = new LinkedHashMap<>(); // name -> {shape as floats, data}
        int H = 4;
        int KV;
        int D;
        int I;
        switch (family) {
            case "llama", "qwen2", "qwen3" -> {
                KV = family.equals("qwen3") ? 1 : 2;
                D = family.equals("qwen3") ? 16 : C / H;
                I = 64;
                String p = family.equals("qwen3") ? "" : "model.";
                cfg.put("model_type", family);
                cfg.put("vocab_size", V);
                cfg.put("hidden_size", C);
                cfg.put("num_hidden_layers", L);
                cfg.put("num_attention_heads", H);
                cfg.put("num_key_value_heads", KV);
                cfg.put("head_dim", D);
                cfg.put("intermediate_size", I);
                cfg.put("max_position_embeddings", P);
                cfg.put("rms_norm_eps", 1e-6);
                cfg.put("rope_theta", family.equals("llama") ? 10000.0 : 1000000.0);
                if (family.equals("llama")) {
                    cfg.put("rope_scaling", Map.of("rope_type", "llama3", "factor", 8.0, "low_freq_factor", 1.0,
                            "high_freq_factor", 4.0, "original_max_position_embeddings", 16));
                }
                put(w, p + "embed_tokens.weight", r, 1.0, V, C);
                for (int l = 0; l < L; l++) {
                    String n = p + "layers." + l + ".";
                    norm(w, n + "input_layernorm.weight", r, C);
                    put(w, n + "self_attn.q_proj.weight", r, 1 / Math.sqrt(C), H * D, C);
                    put(w, n + "self_attn.k_proj.weight", r, 1 / Math.sqrt(C), KV * D, C);
                    put(w, n + "self_attn.v_proj.weight", r, 1 / Math.sqrt(C), KV * D, C);
                    if (family.equals("qwen2")) {
                        put(w, n + "self_attn.q_proj.bias", r, 0.1, H * D);
                        put(w, n + "self_attn.k_proj.bias", r, 0.1, KV * D);
                        put(w, n + "self_attn.v_proj.bias", r, 0.1, KV * D);
                    }
                    if (family.equals("qwen3")) {
                        norm(w, n + "self_attn.q_norm.weight", r, D);
                        norm(w, n + "self_attn.k_norm.weight", r, D);
                    }
                    put(w, n + "self_attn.o_proj.weight", r, 1 / Math.sqrt(H * D), C, H * D);
                    norm(w, n + "post_attention_layernorm.weight", r, C);
                    put(w, n + "mlp.gate_proj.weight", r, 1 / Math.sqrt(C), I, C);
                    put(w, n + "mlp.up_proj.weight", r, 1 / Math.sqrt(C), I, C);
                    put(w, n + "mlp.down_proj.weight", r, 1 / Math.sqrt(I), C, I);
                }
                norm(w, p + "norm.weight", r, C);
            }
            case "gpt2" -> {
                KV = H;
                D = C / H;
                I = 4 * C;
                cfg.put("model_type", "gpt2");
                cfg.put("vocab_size", V);
                cfg.put("n_embd", C);
                cfg.put("n_layer", L);
                cfg.put("n_head", H);
                cfg.put("n_inner", null);
                cfg.put("n_positions", P);
                cfg.put("layer_norm_epsilon", 1e-5);
                cfg.put("activation_function", "gelu_new");
                put(w, "wte.weight", r, 1.0, V, C);
                put(w, "wpe.weight", r, 0.5, P, C);
                for (int l = 0; l < L; l++) {
                    String n = "h." + l + ".";
                    norm(w, n + "ln_1.weight", r, C);
                    put(w, n + "ln_1.bias", r, 0.1, C);
                    put(w, n + "attn.c_attn.weight", r, 1 / Math.sqrt(C), C, 3 * C); // Conv1D: (in, out)
                    put(w, n + "attn.c_attn.bias", r, 0.1, 3 * C);
                    put(w, n + "attn.c_proj.weight", r, 1 / Math.sqrt(C), C, C);
                    put(w, n + "attn.c_proj.bias", r, 0.1, C);
                    norm(w, n + "ln_2.weight", r, C);
                    put(w, n + "ln_2.bias", r, 0.1, C);
                    put(w, n + "mlp.c_fc.weight", r, 1 / Math.sqrt(C), C, I);
                    put(w, n + "mlp.c_fc.bias", r, 0.1, I);
                    put(w, n + "mlp.c_proj.weight", r, 1 / Math.sqrt(I), I, C);
                    put(w, n + "mlp.c_proj.bias", r, 0.1, C);
                }
                norm(w, "ln_f.weight", r, C);
                put(w, "ln_f.bias", r, 0.1, C);
            }
            case "falcon", "falcon-new" -> {
                boolean newArch = family.equals("falcon-new");
                KV = newArch ? 2 : 1;
                D = C / H;
                I = 4 * C;
                cfg.put("model_type", "falcon");
                cfg.put("vocab_size", V);
                cfg.put("hidden_size", C);
                cfg.put("num_hidden_layers", L);
                cfg.put("num_attention_heads", H);
                cfg.put("new_decoder_architecture", newArch);
                cfg.put("multi_query", !newArch);
                if (newArch) {
                    cfg.put("num_kv_heads", KV);
                }
                cfg.put("parallel_attn", true);
                cfg.put("bias", false);
                cfg.put("alibi", false);
                cfg.put("layer_norm_epsilon", 1e-5);
                cfg.put("max_position_embeddings", P);
                cfg.put("rope_theta", 10000.0);
                put(w, "transformer.word_embeddings.weight", r, 1.0, V, C);
                for (int l = 0; l < L; l++) {
                    String n = "transformer.h." + l + ".";
                    for (String ln : newArch ? new String[] {"ln_attn", "ln_mlp"} : new String[] {"input_layernorm"}) {
                        norm(w, n + ln + ".weight", r, C);
                        put(w, n + ln + ".bias", r, 0.1, C);
                    }
                    put(w, n + "self_attention.query_key_value.weight", r, 1 / Math.sqrt(C), (H + 2 * KV) * D, C);
                    put(w, n + "self_attention.dense.weight", r, 1 / Math.sqrt(C), C, H * D);
                    put(w, n + "mlp.dense_h_to_4h.weight", r, 1 / Math.sqrt(C), I, C);
                    put(w, n + "mlp.dense_4h_to_h.weight", r, 1 / Math.sqrt(I), C, I);
                }
                norm(w, "transformer.ln_f.weight", r, C);
                put(w, "transformer.ln_f.bias", r, 0.1, C);
            }
            default -> throw new IllegalArgumentException(family);
        }
        return new Spec(family, H, KV, D, I, cfg, w);
    }

    static void put(Map<String, float[][]> w, String name, Random r, double scale, int... shape) {
        int n = 1;
        float[] s = new float[shape.length];
        for (int i = 0; i < shape.length; i++) {
            n *= shape[i];
            s[i] = shape[i];
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        w.put(name, new float[][] {s, v});
    }

    static void norm(Map<String, float[][]> w, String name, Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (1 + 0.1 * r.nextGaussian());
        }
        w.put(name, new float[][] {new float[] {n}, v});
    }

    static long[] shape(float[][] t) {
        long[] s = new long[t[0].length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (long) t[0][i];
        }
        return s;
    }

    // ---------------------------------------------------------------- writing the files

    Path writeHf(Spec s) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(s.family() + "-hf"));
        Map<String, SafetensorsWriter.Entry> t = new LinkedHashMap<>();
        s.w().forEach((k, v) -> t.put(k, new SafetensorsWriter.Entry(shape(v), v[1])));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), t);
        Files.writeString(dir.resolve("config.json"), new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(s.config()));
        Files.writeString(dir.resolve("tokenizer.json"), wordLevelTokenizer());
        return dir;
    }

    /** A tokenizer whose tokens are t0..t63 separated by spaces, so that tests choose the ids. */
    static String wordLevelTokenizer() {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < V; i++) {
            v.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":").append(i);
        }
        return "{\"version\":\"1.0\",\"added_tokens\":[],\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"WhitespaceSplit\"},"
                + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + v
                + "},\"unk_token\":\"t0\"}}";
    }

    /** The GGUF llama.cpp's converter would write: its names, its Q/K permutation, Conv1D transposed, QKV regrouped. */
    Path writeGguf(Spec s, boolean q8) throws Exception {
        return writeGguf(s, q8, Files.createDirectories(tmp.resolve(s.family() + (q8 ? "-q8" : "-f32"))));
    }

    /** As llama.cpp's converter writes {@code s}: model.gguf in {@code dir}, with a tokenizer.json of t0..t63 beside it. */
    public static Path writeGguf(Spec s, boolean q8, Path dir) throws Exception {
        String arch = s.family().startsWith("falcon") ? "falcon" : s.family();
        GgufWriter g = new GgufWriter(3).string("general.architecture", arch).string("general.name", "tiny " + s.family())
                .u32(arch + ".context_length", P).u32(arch + ".embedding_length", C).u32(arch + ".block_count", L)
                .u32(arch + ".feed_forward_length", s.I()).u32(arch + ".attention.head_count", s.H());
        if (!arch.equals("gpt2")) {
            g.u32(arch + ".attention.head_count_kv", s.KV());
        }
        switch (arch) {
            case "llama", "qwen2", "qwen3" -> {
                g.f32(arch + ".attention.layer_norm_rms_epsilon", 1e-6f)
                        .f32(arch + ".rope.freq_base", ((Double) s.config().get("rope_theta")).floatValue())
                        .u32(arch + ".attention.key_length", s.D()).u32(arch + ".attention.value_length", s.D());
            }
            default -> g.f32(arch + ".attention.layer_norm_epsilon", 1e-5f).f32(arch + ".rope.freq_base", 10000f);
        }
        for (Map.Entry<String, float[][]> e : s.w().entrySet()) {
            String name = ggufName(arch, e.getKey());
            long[] shape = shape(e.getValue());
            float[] data = e.getValue()[1];
            if (arch.equals("llama") && (name.endsWith("attn_q.weight") || name.endsWith("attn_k.weight"))) {
                data = permute(data, (int) shape[0], (int) shape[1], name.endsWith("attn_q.weight") ? s.H() : s.KV());
            }
            if (arch.equals("gpt2") && shape.length == 2 && !name.contains("embd")) {
                data = transpose(data, (int) shape[0], (int) shape[1]);
                shape = new long[] {shape[1], shape[0]};
            }
            if (s.family().equals("falcon-new") && name.endsWith("attn_qkv.weight")) {
                data = ungroup(data, s.H(), s.KV(), s.D(), C);
            }
            if (q8 && shape.length == 2) {
                g.q8Tensor(name, shape, data);
            } else {
                g.f32Tensor(name, shape, data);
            }
        }
        if (arch.equals("llama")) {
            // Llama 3 scaling as the converter stores it: one divisor per frequency.
            float[] factors = new float[s.D() / 2];
            double[] base = invFreq(10000, s.D(), null);
            double[] scaled = invFreq(10000, s.D(), "llama3");
            for (int i = 0; i < factors.length; i++) {
                factors[i] = (float) (base[i] / scaled[i]);
            }
            g.f32Tensor("rope_freqs.weight", new long[] {factors.length}, factors);
        }
        // A vocabulary of t0..t63 in the metadata, so that llama.cpp loads the file; tests give it token ids.
        java.util.List<String> vocab = new java.util.ArrayList<>();
        for (int i = 0; i < V; i++) {
            vocab.add("t" + i);
        }
        g.string("tokenizer.ggml.model", "gpt2").string("tokenizer.ggml.pre", "default").strings("tokenizer.ggml.tokens", vocab)
                .ints("tokenizer.ggml.token_type", java.util.Collections.nCopies(V, 1))
                .strings("tokenizer.ggml.merges", java.util.List.of("t 1")).u32("tokenizer.ggml.bos_token_id", 1)
                .u32("tokenizer.ggml.eos_token_id", 2).bool("tokenizer.ggml.add_bos_token", false);
        Path file = dir.resolve("model.gguf");
        g.write(file);
        Files.writeString(dir.resolve("tokenizer.json"), wordLevelTokenizer());
        return file;
    }

    static String ggufName(String arch, String hf) {
        String n = hf.replaceFirst("^model\\.", "").replaceFirst("^transformer\\.", "");
        n = n.replaceFirst("^(layers|h)\\.(\\d+)\\.", "blk.$2.");
        String[][] map = {
            {"embed_tokens.", "token_embd."}, {"wte.", "token_embd."}, {"wpe.", "position_embd."},
            {"word_embeddings.", "token_embd."}, {"input_layernorm.", "attn_norm."}, {"ln_attn.", "attn_norm_2."},
            {"ln_mlp.", "attn_norm."}, {"self_attn.q_proj.", "attn_q."}, {"self_attn.k_proj.", "attn_k."},
            {"self_attn.v_proj.", "attn_v."}, {"self_attn.o_proj.", "attn_output."}, {"self_attn.q_norm.", "attn_q_norm."},
            {"self_attn.k_norm.", "attn_k_norm."}, {"post_attention_layernorm.", "ffn_norm."}, {"mlp.gate_proj.", "ffn_gate."},
            {"mlp.up_proj.", "ffn_up."}, {"mlp.down_proj.", "ffn_down."}, {"ln_1.", "attn_norm."},
            {"attn.c_attn.", "attn_qkv."}, {"attn.c_proj.", "attn_output."}, {"ln_2.", "ffn_norm."},
            {"mlp.c_fc.", "ffn_up."}, {"mlp.c_proj.", "ffn_down."}, {"self_attention.query_key_value.", "attn_qkv."},
            {"self_attention.dense.", "attn_output."}, {"mlp.dense_h_to_4h.", "ffn_up."}, {"mlp.dense_4h_to_h.", "ffn_down."},
            {"ln_f.", "output_norm."}, {"norm.", "output_norm."}};
        for (String[] m : map) {
            int at = n.indexOf(m[0]);
            if (at >= 0 && (at == 0 || n.charAt(at - 1) == '.')) {
                return n.substring(0, at) + m[1] + n.substring(at + m[0].length());
            }
        }
        throw new IllegalArgumentException(hf);
    }

    // The converter's permute: per head, rows (2, D/2) -> (D/2, 2).
    static float[] permute(float[] w, int rows, int cols, int heads) {
        float[] out = new float[w.length];
        int D = rows / heads;
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < D / 2; i++) {
                    int from = h * D + j * (D / 2) + i;
                    int to = h * D + i * 2 + j;
                    System.arraycopy(w, from * cols, out, to * cols, cols);
                }
            }
        }
        return out;
    }

    static float[] transpose(float[] w, int rows, int cols) {
        float[] out = new float[w.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = w[i * cols + j];
            }
        }
        return out;
    }

    // Falcon's grouped [per kv head: r queries, key, value] rows -> [all queries, all keys, all values].
    static float[] ungroup(float[] w, int H, int KV, int D, int cols) {
        int r = H / KV;
        float[] out = new float[w.length];
        int at = 0;
        for (int part = 0; part < 3; part++) {
            for (int g = 0; g < KV; g++) {
                int[] heads = part == 0 ? java.util.stream.IntStream.range(0, r).toArray() : new int[] {r + part - 1};
                for (int j : heads) {
                    System.arraycopy(w, (g * (r + 2) + j) * D * cols, out, at, D * cols);
                    at += D * cols;
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- the naive forward pass, in double

    static double[] invFreq(double theta, int D, String scaling) {
        double[] f = new double[D / 2];
        for (int i = 0; i < D / 2; i++) {
            f[i] = 1 / Math.pow(theta, (2.0 * i) / D);
            if ("llama3".equals(scaling)) {
                double factor = 8;
                double low = 1;
                double high = 4;
                double old = 16;
                double wavelen = 2 * Math.PI / f[i];
                if (wavelen < old / high) {
                    continue;
                }
                if (wavelen > old / low) {
                    f[i] = f[i] / factor;
                } else {
                    double smooth = (old / wavelen - low) / (high - low);
                    f[i] = (1 - smooth) * f[i] / factor + smooth * f[i];
                }
            }
        }
        return f;
    }

    /** Hidden states (T, C) of one sequence, computed in double from the HF tensors. */
    static double[][] naive(Spec s, int[] ids) {
        Map<String, float[][]> w = s.w();
        String fam = s.family();
        int T = ids.length;
        int H = s.H();
        int KV = s.KV();
        int D = s.D();
        double[][] x = new double[T][];
        String p = fam.equals("llama") || fam.equals("qwen2") ? "model." : fam.startsWith("falcon") ? "transformer." : "";
        String embed = switch (fam) {
            case "gpt2" -> "wte.weight";
            case "falcon", "falcon-new" -> "transformer.word_embeddings.weight";
            default -> p + "embed_tokens.weight";
        };
        for (int t = 0; t < T; t++) {
            x[t] = row(w.get(embed)[1], ids[t], C);
            if (fam.equals("gpt2")) {
                double[] pos = row(w.get("wpe.weight")[1], t, C);
                for (int c = 0; c < C; c++) {
                    x[t][c] += pos[c];
                }
            }
        }
        double theta = fam.equals("gpt2") ? 0 : ((Number) s.config().get("rope_theta")).doubleValue();
        double[] freq = fam.equals("gpt2") ? null : invFreq(theta, D, fam.equals("llama") ? "llama3" : null);
        for (int l = 0; l < L; l++) {
            switch (fam) {
                case "llama", "qwen2", "qwen3" -> {
                    String n = p + "layers." + l + ".";
                    double[][] h = rms(x, w.get(n + "input_layernorm.weight")[1], 1e-6);
                    double[][] q = linear(h, w.get(n + "self_attn.q_proj.weight")[1], bias(w, n + "self_attn.q_proj.bias"), H * D);
                    double[][] k = linear(h, w.get(n + "self_attn.k_proj.weight")[1], bias(w, n + "self_attn.k_proj.bias"), KV * D);
                    double[][] v = linear(h, w.get(n + "self_attn.v_proj.weight")[1], bias(w, n + "self_attn.v_proj.bias"), KV * D);
                    if (fam.equals("qwen3")) {
                        q = perHeadRms(q, w.get(n + "self_attn.q_norm.weight")[1], H, D);
                        k = perHeadRms(k, w.get(n + "self_attn.k_norm.weight")[1], KV, D);
                    }
                    rope(q, H, D, freq);
                    rope(k, KV, D, freq);
                    double[][] a = linear(attend(q, k, v, H, KV, D), w.get(n + "self_attn.o_proj.weight")[1], null, C);
                    add(x, a);
                    h = rms(x, w.get(n + "post_attention_layernorm.weight")[1], 1e-6);
                    double[][] g = linear(h, w.get(n + "mlp.gate_proj.weight")[1], null, s.I());
                    double[][] u = linear(h, w.get(n + "mlp.up_proj.weight")[1], null, s.I());
                    for (int t = 0; t < T; t++) {
                        for (int i = 0; i < s.I(); i++) {
                            g[t][i] = g[t][i] / (1 + Math.exp(-g[t][i])) * u[t][i];
                        }
                    }
                    add(x, linear(g, w.get(n + "mlp.down_proj.weight")[1], null, C));
                }
                case "gpt2" -> {
                    String n = "h." + l + ".";
                    double[][] h = layerNorm(x, w.get(n + "ln_1.weight")[1], w.get(n + "ln_1.bias")[1], 1e-5);
                    double[][] qkv = conv1d(h, w.get(n + "attn.c_attn.weight")[1], w.get(n + "attn.c_attn.bias")[1], 3 * C);
                    double[][] q = slice(qkv, 0, C);
                    double[][] k = slice(qkv, C, C);
                    double[][] v = slice(qkv, 2 * C, C);
                    add(x, conv1d(attend(q, k, v, H, H, D), w.get(n + "attn.c_proj.weight")[1], w.get(n + "attn.c_proj.bias")[1], C));
                    h = layerNorm(x, w.get(n + "ln_2.weight")[1], w.get(n + "ln_2.bias")[1], 1e-5);
                    double[][] f = conv1d(h, w.get(n + "mlp.c_fc.weight")[1], w.get(n + "mlp.c_fc.bias")[1], s.I());
                    for (double[] r : f) {
                        for (int i = 0; i < r.length; i++) {
                            double z = r[i];
                            r[i] = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
                        }
                    }
                    add(x, conv1d(f, w.get(n + "mlp.c_proj.weight")[1], w.get(n + "mlp.c_proj.bias")[1], C));
                }
                default -> {
                    String n = "transformer.h." + l + ".";
                    boolean newArch = fam.equals("falcon-new");
                    String la = newArch ? "ln_attn" : "input_layernorm";
                    String lm = newArch ? "ln_mlp" : "input_layernorm";
                    double[][] ha = layerNorm(x, w.get(n + la + ".weight")[1], w.get(n + la + ".bias")[1], 1e-5);
                    double[][] hm = layerNorm(x, w.get(n + lm + ".weight")[1], w.get(n + lm + ".bias")[1], 1e-5);
                    double[][] fused = linear(ha, w.get(n + "self_attention.query_key_value.weight")[1], null, (H + 2 * KV) * D);
                    // HF's _split_heads: multi-query [q heads, k, v]; new architecture (KV, H/KV + 2, D).
                    double[][] q = new double[T][H * D];
                    double[][] k = new double[T][KV * D];
                    double[][] v = new double[T][KV * D];
                    int r = H / KV;
                    for (int t = 0; t < T; t++) {
                        for (int hd = 0; hd < H; hd++) {
                            int src = newArch ? (hd / r) * (r + 2) + hd % r : hd;
                            System.arraycopy(fused[t], src * D, q[t], hd * D, D);
                        }
                        for (int g = 0; g < KV; g++) {
                            int ks = newArch ? g * (r + 2) + r : H;
                            System.arraycopy(fused[t], ks * D, k[t], g * D, D);
                            System.arraycopy(fused[t], (ks + 1) * D, v[t], g * D, D);
                        }
                    }
                    rope(q, H, D, freq);
                    rope(k, KV, D, freq);
                    double[][] a = linear(attend(q, k, v, H, KV, D), w.get(n + "self_attention.dense.weight")[1], null, C);
                    double[][] f = linear(hm, w.get(n + "mlp.dense_h_to_4h.weight")[1], null, s.I());
                    for (double[] row : f) {
                        for (int i = 0; i < row.length; i++) {
                            row[i] = 0.5 * row[i] * (1 + erf(row[i] / Math.sqrt(2)));
                        }
                    }
                    double[][] m = linear(f, w.get(n + "mlp.dense_4h_to_h.weight")[1], null, C);
                    add(m, a);
                    add(x, m);
                }
            }
        }
        return switch (fam) {
            case "gpt2" -> layerNorm(x, w.get("ln_f.weight")[1], w.get("ln_f.bias")[1], 1e-5);
            case "falcon", "falcon-new" -> layerNorm(x, w.get("transformer.ln_f.weight")[1], w.get("transformer.ln_f.bias")[1], 1e-5);
            default -> rms(x, w.get(p + "norm.weight")[1], 1e-6);
        };
    }

    static double[] row(float[] m, int r, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = m[r * n + i];
        }
        return out;
    }

    static float[] bias(Map<String, float[][]> w, String name) {
        return w.containsKey(name) ? w.get(name)[1] : null;
    }

    static void add(double[][] x, double[][] y) {
        for (int t = 0; t < x.length; t++) {
            for (int c = 0; c < x[t].length; c++) {
                x[t][c] += y[t][c];
            }
        }
    }

    static double[][] slice(double[][] x, int from, int n) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            out[t] = java.util.Arrays.copyOfRange(x[t], from, from + n);
        }
        return out;
    }

    // y = x Wᵀ + b with W (out, in)
    static double[][] linear(double[][] x, float[] W, float[] b, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * W[o * in + i];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    // y = x W + b with W (in, out): GPT-2's Conv1D
    static double[][] conv1d(double[][] x, float[] W, float[] b, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * W[i * out + o];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    static double[][] rms(double[][] x, float[] g, double eps) {
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double ms = 0;
            for (double v : x[t]) {
                ms += v * v;
            }
            double inv = 1 / Math.sqrt(ms / x[t].length + eps);
            y[t] = new double[x[t].length];
            for (int c = 0; c < x[t].length; c++) {
                y[t][c] = g[c] * x[t][c] * inv;
            }
        }
        return y;
    }

    static double[][] perHeadRms(double[][] x, float[] g, int heads, int D) {
        double[][] y = new double[x.length][heads * D];
        for (int t = 0; t < x.length; t++) {
            for (int h = 0; h < heads; h++) {
                double[][] one = rms(new double[][] {java.util.Arrays.copyOfRange(x[t], h * D, h * D + D)}, g, 1e-6);
                System.arraycopy(one[0], 0, y[t], h * D, D);
            }
        }
        return y;
    }

    static double[][] layerNorm(double[][] x, float[] g, float[] b, double eps) {
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int n = x[t].length;
            double mean = 0;
            for (double v : x[t]) {
                mean += v / n;
            }
            double var = 0;
            for (double v : x[t]) {
                var += (v - mean) * (v - mean) / n;
            }
            y[t] = new double[n];
            for (int c = 0; c < n; c++) {
                y[t][c] = (x[t][c] - mean) / Math.sqrt(var + eps) * g[c] + b[c];
            }
        }
        return y;
    }

    // rotate_half: (x_i, x_{i+D/2}) rotated by position · f_i, position = row index
    static void rope(double[][] x, int heads, int D, double[] f) {
        for (int t = 0; t < x.length; t++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < D / 2; i++) {
                    double a = t * f[i];
                    double x1 = x[t][h * D + i];
                    double x2 = x[t][h * D + i + D / 2];
                    x[t][h * D + i] = x1 * Math.cos(a) - x2 * Math.sin(a);
                    x[t][h * D + i + D / 2] = x2 * Math.cos(a) + x1 * Math.sin(a);
                }
            }
        }
    }

    static double[][] attend(double[][] q, double[][] k, double[][] v, int H, int KV, int D) {
        int T = q.length;
        double[][] out = new double[T][H * D];
        for (int h = 0; h < H; h++) {
            int g = h / (H / KV);
            for (int i = 0; i < T; i++) {
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int d = 0; d < D; d++) {
                        dot += q[i][h * D + d] * k[j][g * D + d];
                    }
                    s[j] = dot / Math.sqrt(D);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j <= i; j++) {
                    for (int d = 0; d < D; d++) {
                        out[i][h * D + d] += s[j] / sum * v[j][g * D + d];
                    }
                }
            }
        }
        return out;
    }

    // erf by its Taylor series (|x| small) or continued fraction, to double precision for |x| < 6
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax > 5.9) {
            return Math.signum(x);
        }
        double sum = 0;
        double term = ax;
        for (int n = 0; n < 200; n++) {
            double add = term / (2 * n + 1);
            sum += add;
            term *= -ax * ax / (n + 1);
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return Math.signum(x) * 2 / Math.sqrt(Math.PI) * sum;
    }

    // ---------------------------------------------------------------- the tests

    static final int[][] SEQUENCES = {{3, 17, 42, 5, 9}, {1}, {8, 8, 63, 0, 31, 22, 14, 7, 50, 2, 11, 40, 19}, {60, 4}};

    static Transformer load(WeightSource w, ModelConfig cfg) {
        return ModelFamilies.load(w, cfg);
    }

    static float[] run(Transformer m, int[][] seqs) {
        int[][] types = new int[seqs.length][];
        for (int i = 0; i < seqs.length; i++) {
            types[i] = new int[seqs[i].length];
        }
        return m.forward(PackedBatch.of(seqs, types), Observer.NONE);
    }

    @ParameterizedTest(name = "{0}: safetensors equals the double-precision forward; GGUF F32 equals safetensors; Q8_0 is close")
    @ValueSource(strings = {"llama", "qwen2", "qwen3", "gpt2", "falcon", "falcon-new"})
    void everyFormatComputesTheArchitecture(String family) throws Exception {
        Spec s = spec(family);
        Path hf = writeHf(s);
        Transformer st = load(SafetensorsWeights.read(hf.resolve("model.safetensors")),
                ModelFamilies.readConfig(hf.resolve("config.json")));
        assertTrue(st.causal());
        float[] got = run(st, SEQUENCES);
        int row = 0;
        double worst = 0;
        for (int[] seq : SEQUENCES) {
            double[][] want = naive(s, seq);
            float[] alone = run(st, new int[][] {seq});
            for (int t = 0; t < seq.length; t++) {
                for (int c = 0; c < C; c++) {
                    worst = Math.max(worst, Math.abs(got[(row + t) * C + c] - want[t][c]));
                    assertEquals(alone[t * C + c], got[(row + t) * C + c], 0f, "a sequence gives the same bits alone and batched");
                }
            }
            row += seq.length;
        }
        assertTrue(worst <= F32_BOUND, family + ": max |Δ| against the double-precision forward " + worst);

        GgufFile f32 = GgufFile.read(writeGguf(s, false));
        GgufWeights gw = ModelFamilies.ggufWeights(f32);
        ModelConfig gc = ModelFamilies.ggufConfig(f32);
        assertEquals(comparable(st.config()), comparable(gc), "GGUF metadata gives the config.json configuration");
        // Llama 3's frequency factors are stored as F32 in GGUF: the rotation angles may differ in the last bit.
        float exact = family.equals("llama") ? 1e-5f : 0f;
        assertArrayEquals(got, run(load(gw, gc), SEQUENCES), exact, "GGUF F32 gives the safetensors bits");

        GgufFile q8file = GgufFile.read(writeGguf(s, true));
        float[] quantized = run(load(ModelFamilies.ggufWeights(q8file), ModelFamilies.ggufConfig(q8file)), SEQUENCES);
        row = 0;
        for (int[] seq : SEQUENCES) {
            int last = (row + seq.length - 1) * C;
            double cos = cosine(java.util.Arrays.copyOfRange(got, last, last + C),
                    java.util.Arrays.copyOfRange(quantized, last, last + C));
            assertTrue(cos >= Q8_COSINE, family + ": Q8_0 last-token cosine " + cos);
            row += seq.length;
        }
    }

    @ParameterizedTest(name = "{0}: Embedder loads the directory and the .gguf alike, pooling the last token")
    @ValueSource(strings = {"llama", "gpt2"})
    void embedderLoadsBothFormats(String family) throws Exception {
        Spec s = spec(family);
        Path hf = writeHf(s);
        Path gguf = writeGguf(s, false);
        Embedder a = Embedder.load(hf.toString());
        Embedder b = Embedder.load(gguf.toString());
        assertEquals("last", a.defaultPooling().name().toLowerCase());
        assertEquals("last", b.defaultPooling().name().toLowerCase());
        float[] va = a.embed("t3 t17 t42 t5 t9");
        float[] vb = b.embed("t3 t17 t42 t5 t9");
        // Llama 3's frequency factors are F32 in GGUF (see above).
        assertArrayEquals(va, vb, family.equals("llama") ? 1e-6f : 0f);
        double[][] want = naive(s, SEQUENCES[0]);
        double[] last = want[want.length - 1];
        double norm = 0;
        for (double v : last) {
            norm += v * v;
        }
        for (int c = 0; c < C; c++) {
            assertEquals(last[c] / Math.sqrt(norm), va[c], 1e-4);
        }
        assertArrayEquals(row(s.w().get(family.equals("gpt2") ? "wte.weight" : "model.embed_tokens.weight")[1], 3, C),
                toDouble(b.model().wordVector(3)), 0, "the static vector is the table's row");
    }

    /**
     * A configuration without what legitimately differs between a checkpoint and its GGUF: where
     * a fused weight's rows lie (the converter regroups them) and Llama 3's scaling (GGUF stores it
     * as frequency factors, a tensor).
     */
    static ModelConfig comparable(ModelConfig c) {
        if (c instanceof dev.tongyeok.model.decoder.DecoderConfig d) {
            return new dev.tongyeok.model.decoder.DecoderConfig(d.architecture(), d.vocab_size(), d.hidden_size(),
                    d.num_hidden_layers(), d.num_attention_heads(), d.num_key_value_heads(), d.head_dim(),
                    d.intermediate_size(), d.max_position_embeddings(), d.norm_eps(), d.rope_theta(), null, d.hidden_act(),
                    d.parallel_attn(), d.layer_norms(), "contiguous");
        }
        return c;
    }

    @org.junit.jupiter.api.Test
    void shardedCheckpointGivesTheSingleFileBits() throws Exception {
        Spec s = spec("qwen2");
        Path hf = writeHf(s);
        Path sharded = Files.createDirectories(tmp.resolve("qwen2-sharded"));
        Map<String, SafetensorsWriter.Entry> a = new LinkedHashMap<>();
        Map<String, SafetensorsWriter.Entry> b = new LinkedHashMap<>();
        StringBuilder index = new StringBuilder("{\"metadata\":{},\"weight_map\":{");
        int i = 0;
        for (Map.Entry<String, float[][]> e : s.w().entrySet()) {
            boolean first = i++ % 2 == 0;
            (first ? a : b).put(e.getKey(), new SafetensorsWriter.Entry(shape(e.getValue()), e.getValue()[1]));
            index.append(i == 1 ? "" : ",").append('"').append(e.getKey()).append("\":\"")
                    .append(first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors").append('"');
        }
        SafetensorsWriter.write(sharded.resolve("model-00001-of-00002.safetensors"), a);
        SafetensorsWriter.write(sharded.resolve("model-00002-of-00002.safetensors"), b);
        Files.writeString(sharded.resolve("model.safetensors.index.json"), index.append("}}"));
        Files.copy(hf.resolve("config.json"), sharded.resolve("config.json"));
        Files.copy(hf.resolve("tokenizer.json"), sharded.resolve("tokenizer.json"));
        assertArrayEquals(Embedder.load(hf.toString()).embed("t3 t17 t42"), Embedder.load(sharded.toString()).embed("t3 t17 t42"),
                0f);
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
