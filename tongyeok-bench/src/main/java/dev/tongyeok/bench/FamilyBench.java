package dev.tongyeok.bench;

import dev.tongyeok.load.SafetensorsWriter;
import dev.tongyeok.load.safetensors.SafetensorsWeights;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.model.registry.ModelFamilies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Each model family's forward pass at its base model's layer shapes (width, heads, feed-forward),
 * with random weights, two layers and a small vocabulary (neither changes the work per layer),
 * timed on one batch of 16 sequences of 128 tokens and reported as GFLOP/s of its matrix products
 * and attention against BERT's at the same width: a family whose kernels are as good as BERT's
 * does as many FLOP per second.
 */
final class FamilyBench {
    static final int V = 1000;
    static final int L = 2;
    static final int SEQS = 16;
    static final int T = 128;

    private FamilyBench() {}

    /** One family's base shape: its config.json and its tensors' shapes (matrices and vectors). */
    record Shape(String name, String config, Map<String, long[]> tensors, int attentionWidth) {}

    static Map<String, long[]> shapes(Object... nameThenShape) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenShape.length; i += 2) {
            m.put((String) nameThenShape[i], (long[]) nameThenShape[i + 1]);
        }
        return m;
    }

    static long[] s(long... dims) {
        return dims;
    }

    static List<Shape> families() {
        int C = 768;
        List<Shape> out = new ArrayList<>();
        // BERT base (bge-base, e5-base): the reference.
        Map<String, long[]> bert = shapes("embeddings.word_embeddings.weight", s(V, C), "embeddings.position_embeddings.weight",
                s(512, C), "embeddings.token_type_embeddings.weight", s(2, C), "embeddings.LayerNorm.weight", s(C),
                "embeddings.LayerNorm.bias", s(C));
        for (int l = 0; l < L; l++) {
            String p = "encoder.layer." + l + ".";
            for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense"}) {
                bert.put(p + m + ".weight", s(C, C));
                bert.put(p + m + ".bias", s(C));
            }
            bert.put(p + "intermediate.dense.weight", s(3072, C));
            bert.put(p + "intermediate.dense.bias", s(3072));
            bert.put(p + "output.dense.weight", s(C, 3072));
            bert.put(p + "output.dense.bias", s(C));
            for (String n : new String[] {"attention.output.LayerNorm", "output.LayerNorm"}) {
                bert.put(p + n + ".weight", s(C));
                bert.put(p + n + ".bias", s(C));
            }
        }
        out.add(new Shape("bert", config("bert", "\"intermediate_size\": 3072, \"max_position_embeddings\": 512"), bert, C));
        // NomicBERT (nomic-embed-text-v1.5).
        Map<String, long[]> nomic = shapes("embeddings.word_embeddings.weight", s(V, C),
                "embeddings.token_type_embeddings.weight", s(2, C), "emb_ln.weight", s(C), "emb_ln.bias", s(C));
        for (int l = 0; l < L; l++) {
            String p = "encoder.layers." + l + ".";
            nomic.putAll(shapes(p + "attn.Wqkv.weight", s(3 * C, C), p + "attn.out_proj.weight", s(C, C), p + "norm1.weight",
                    s(C), p + "norm1.bias", s(C), p + "mlp.fc11.weight", s(3072, C), p + "mlp.fc12.weight", s(3072, C),
                    p + "mlp.fc2.weight", s(C, 3072), p + "norm2.weight", s(C), p + "norm2.bias", s(C)));
        }
        out.add(new Shape("nomic_bert", "{\"model_type\": \"nomic_bert\", \"vocab_size\": " + V + ", \"n_embd\": " + C
                + ", \"n_layer\": " + L + ", \"n_head\": 12, \"n_inner\": 3072, \"n_positions\": 2048, \"rotary_emb_base\": 1000}",
                nomic, C));
        // JinaBERT v2 (jina-embeddings-v2-base-en).
        Map<String, long[]> jina = shapes("embeddings.word_embeddings.weight", s(V, C),
                "embeddings.token_type_embeddings.weight", s(2, C), "embeddings.LayerNorm.weight", s(C),
                "embeddings.LayerNorm.bias", s(C));
        for (int l = 0; l < L; l++) {
            String p = "encoder.layer." + l + ".";
            for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense"}) {
                jina.put(p + m + ".weight", s(C, C));
                jina.put(p + m + ".bias", s(C));
            }
            jina.putAll(shapes(p + "attention.output.LayerNorm.weight", s(C), p + "attention.output.LayerNorm.bias", s(C),
                    p + "mlp.gated_layers.weight", s(2 * 3072, C), p + "mlp.wo.weight", s(C, 3072), p + "mlp.wo.bias", s(C),
                    p + "mlp.layernorm.weight", s(C), p + "mlp.layernorm.bias", s(C)));
        }
        out.add(new Shape("jina-bert-v2", "{\"model_type\": \"bert\", \"architectures\": [\"JinaBertModel\"], "
                + "\"vocab_size\": " + V + ", \"hidden_size\": " + C + ", \"num_hidden_layers\": " + L
                + ", \"num_attention_heads\": 12, \"intermediate_size\": 3072, \"max_position_embeddings\": 8192}", jina, C));
        // ModernBERT base.
        Map<String, long[]> modern = shapes("embeddings.tok_embeddings.weight", s(V, C), "embeddings.norm.weight", s(C),
                "final_norm.weight", s(C));
        for (int l = 0; l < L; l++) {
            String p = "layers." + l + ".";
            if (l > 0) {
                modern.put(p + "attn_norm.weight", s(C));
            }
            modern.putAll(shapes(p + "attn.Wqkv.weight", s(3 * C, C), p + "attn.Wo.weight", s(C, C), p + "mlp_norm.weight", s(C),
                    p + "mlp.Wi.weight", s(2 * 1152, C), p + "mlp.Wo.weight", s(C, 1152)));
        }
        out.add(new Shape("modernbert", "{\"model_type\": \"modernbert\", \"vocab_size\": " + V + ", \"hidden_size\": " + C
                + ", \"num_hidden_layers\": " + L + ", \"num_attention_heads\": 12, \"intermediate_size\": 1152}", modern, C));
        // EmbeddingGemma 300m: 3 heads of 256, one key/value head.
        Map<String, long[]> gemma = shapes("embed_tokens.weight", s(V, C), "norm.weight", s(C));
        for (int l = 0; l < L; l++) {
            String p = "layers." + l + ".";
            gemma.putAll(shapes(p + "input_layernorm.weight", s(C), p + "self_attn.q_proj.weight", s(768, C),
                    p + "self_attn.k_proj.weight", s(256, C), p + "self_attn.v_proj.weight", s(256, C),
                    p + "self_attn.q_norm.weight", s(256), p + "self_attn.k_norm.weight", s(256), p + "self_attn.o_proj.weight",
                    s(C, 768), p + "post_attention_layernorm.weight", s(C), p + "pre_feedforward_layernorm.weight", s(C),
                    p + "mlp.gate_proj.weight", s(1152, C), p + "mlp.up_proj.weight", s(1152, C), p + "mlp.down_proj.weight",
                    s(C, 1152), p + "post_feedforward_layernorm.weight", s(C)));
        }
        out.add(new Shape("gemma-embedding", "{\"model_type\": \"gemma3_text\", \"use_bidirectional_attention\": true, "
                + "\"vocab_size\": " + V + ", \"hidden_size\": " + C + ", \"num_hidden_layers\": " + L
                + ", \"num_attention_heads\": 3, \"num_key_value_heads\": 1, \"head_dim\": 256, \"intermediate_size\": 1152, "
                + "\"sliding_window\": 512, \"query_pre_attn_scalar\": 256}", gemma, 768));
        // MPNet base (all-mpnet-base-v2).
        Map<String, long[]> mpnet = shapes("embeddings.word_embeddings.weight", s(V, C), "embeddings.position_embeddings.weight",
                s(514, C), "embeddings.LayerNorm.weight", s(C), "embeddings.LayerNorm.bias", s(C),
                "encoder.relative_attention_bias.weight", s(32, 12));
        for (int l = 0; l < L; l++) {
            String p = "encoder.layer." + l + ".";
            for (String m : new String[] {"q", "k", "v", "o"}) {
                mpnet.put(p + "attention.attn." + m + ".weight", s(C, C));
                mpnet.put(p + "attention.attn." + m + ".bias", s(C));
            }
            mpnet.putAll(shapes(p + "attention.LayerNorm.weight", s(C), p + "attention.LayerNorm.bias", s(C),
                    p + "intermediate.dense.weight", s(3072, C), p + "intermediate.dense.bias", s(3072), p + "output.dense.weight",
                    s(C, 3072), p + "output.dense.bias", s(C), p + "output.LayerNorm.weight", s(C), p + "output.LayerNorm.bias",
                    s(C)));
        }
        out.add(new Shape("mpnet", config("mpnet", "\"intermediate_size\": 3072, \"max_position_embeddings\": 514"), mpnet, C));
        // GTE base en v1.5.
        Map<String, long[]> gte = shapes("embeddings.word_embeddings.weight", s(V, C), "embeddings.LayerNorm.weight", s(C),
                "embeddings.LayerNorm.bias", s(C));
        for (int l = 0; l < L; l++) {
            String p = "encoder.layer." + l + ".";
            gte.putAll(shapes(p + "attention.qkv_proj.weight", s(3 * C, C), p + "attention.qkv_proj.bias", s(3 * C),
                    p + "attention.o_proj.weight", s(C, C), p + "attention.o_proj.bias", s(C), p + "attn_ln.weight", s(C),
                    p + "attn_ln.bias", s(C), p + "mlp.up_gate_proj.weight", s(2 * 3072, C), p + "mlp.down_proj.weight",
                    s(C, 3072), p + "mlp.down_proj.bias", s(C), p + "mlp_ln.weight", s(C), p + "mlp_ln.bias", s(C)));
        }
        out.add(new Shape("new (GTE)", config("new", "\"intermediate_size\": 3072, \"max_position_embeddings\": 8192, "
                + "\"rope_theta\": 500000, \"rope_scaling\": {\"type\": \"ntk\", \"factor\": 2.0}"), gte, C));
        return out;
    }

    static String config(String type, String rest) {
        return "{\"model_type\": \"" + type + "\", \"vocab_size\": " + V + ", \"hidden_size\": 768, \"num_hidden_layers\": " + L
                + ", \"num_attention_heads\": 12, " + rest + "}";
    }

    /** FLOPs of one forward pass: 2 per weight of every layer matrix per token, and attention's QKᵀ and PV. */
    static double flops(Shape s) {
        double perToken = 0;
        for (Map.Entry<String, long[]> e : s.tensors().entrySet()) {
            long[] d = e.getValue();
            if (d.length == 2 && e.getKey().contains("layer") && d[0] > 64 && d[1] > 64) {
                perToken += 2.0 * d[0] * d[1];
            }
        }
        perToken += L * 4.0 * T * s.attentionWidth();
        return perToken * SEQS * T;
    }

    static void run(int rounds) throws Exception {
        Path dir = Files.createTempDirectory("tongyeok-family-bench");
        Random r = new Random(1);
        int[][] ids = new int[SEQS][T];
        int[][] types = new int[SEQS][T];
        for (int[] seq : ids) {
            for (int t = 0; t < T; t++) {
                seq[t] = 1 + r.nextInt(V - 1);
            }
        }
        PackedBatch batch = PackedBatch.of(ids, types);
        List<Shape> shapes = families();
        List<Transformer> models = new ArrayList<>();
        for (Shape s : shapes) {
            Path d = Files.createDirectories(dir.resolve(s.name().replaceAll("[^a-z0-9-]", "_")));
            Map<String, SafetensorsWriter.Entry> t = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : s.tensors().entrySet()) {
                long n = 1;
                for (long x : e.getValue()) {
                    n *= x;
                }
                float[] v = new float[(int) n];
                double scale = e.getValue().length == 2 ? 1 / Math.sqrt(e.getValue()[1]) : 0.1;
                // Norm gains around 1 (Gemma's around 0: it scales by 1 + weight).
                double mean = e.getValue().length == 1 && e.getKey().endsWith("weight") && !s.name().startsWith("gemma") ? 1 : 0;
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * scale + mean);
                }
                t.put(e.getKey(), new SafetensorsWriter.Entry(e.getValue(), v));
            }
            SafetensorsWriter.write(d.resolve("model.safetensors"), t);
            Files.writeString(d.resolve("config.json"), s.config());
            models.add(ModelFamilies.load(SafetensorsWeights.read(d.resolve("model.safetensors")),
                    ModelFamilies.readConfig(d.resolve("config.json"))));
        }
        // Interleaved rounds (one warm-up, then N measured; the median counts), so that the machine's
        // drift falls on every family alike.
        double[][] rates = new double[shapes.size()][rounds];
        // One workspace per model, reused across rounds as the Embedder reuses its own: a fresh one per
        // pass would time the garbage collector (tens of MB of activations each time) more than the model.
        List<Workspace> workspaces = new ArrayList<>();
        for (int f = 0; f < shapes.size(); f++) {
            workspaces.add(new Workspace());
        }
        for (int round = -1; round < rounds; round++) {
            for (int f = 0; f < shapes.size(); f++) {
                long t0 = System.nanoTime();
                models.get(f).forward(batch, Observer.NONE, workspaces.get(f));
                double gflops = flops(shapes.get(f)) / ((System.nanoTime() - t0) / 1e9) / 1e9;
                if (round >= 0) {
                    rates[f][round] = gflops;
                }
                PerfBench.log("  family %s round %d: %.1f GFLOP/s", shapes.get(f).name(), round, gflops);
            }
        }
        double bertRate = PerfBench.median(rates[0]);
        for (int f = 1; f < shapes.size(); f++) {
            double med = PerfBench.median(rates[f]);
            double ratio = med / bertRate;
            PerfBench.ROWS.add(new PerfBench.Row(shapes.get(f).name()
                    + " forward, 16 x 128 tokens at its base shape, GFLOP/s vs BERT's", PerfBench.fmt(med),
                    PerfBench.fmt(bertRate), ratio, "≥ 0.9× (per FLOP)", ratio >= 0.9));
        }
    }
}
