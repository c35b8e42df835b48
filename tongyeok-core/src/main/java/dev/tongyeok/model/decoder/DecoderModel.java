package dev.tongyeok.model.decoder;

import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.layer.EmbeddingTable;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * What the decoder families share: the configuration, the kernels, the token embedding table and
 * its lookup, causality; and the helpers their loading and forward passes use (a checkpoint's name
 * prefix, the layer count check, SwiGLU, splitting a fused QKV product).
 */
public abstract class DecoderModel implements Transformer {
    /** The configuration. */
    protected final DecoderConfig cfg;
    /** The kernels. */
    protected final TensorOps ops;
    private final String source;
    private final EmbeddingTable embed;

    /**
     * Reads the token embedding table {@code tokenTable} of {@code w}.
     *
     * @throws ModelException when the table is missing or of another shape
     */
    protected DecoderModel(WeightSource w, DecoderConfig cfg, TensorOps ops, String tokenTable) {
        this.cfg = cfg;
        this.ops = ops;
        this.source = w.source();
        this.embed = tokenTable(w, cfg, tokenTable);
    }

    /**
     * The token embedding table called {@code name} in {@code w}, of the configured shape.
     *
     * @throws ModelException when it is missing or of another shape
     */
    public static EmbeddingTable tokenTable(WeightSource w, DecoderConfig cfg, String name) {
        return EmbeddingTable.load(w, name, cfg.vocab_size(), cfg.hidden_size());
    }

    @Override
    public DecoderConfig config() {
        return cfg;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public TensorOps ops() {
        return ops;
    }

    @Override
    public boolean causal() {
        return true;
    }

    @Override
    public float[] wordVector(int id) {
        float[] v = new float[cfg.hidden_size()];
        embed.lookup(id, v, 0);
        return v;
    }

    /**
     * The batch's token rows, after checking its ids and positions against the tables.
     *
     * <pre>batch: T rows -> x: (T, C), new</pre>
     *
     * @throws IllegalArgumentException when an id or position is outside its table, naming the row
     */
    protected float[] tokenRows(PackedBatch batch) {
        batch.checkTables(cfg.vocab_size(), cfg.max_position_embeddings(), 0);
        int C = cfg.hidden_size();
        float[] x = new float[batch.tokens() * C];
        for (int t = 0; t < batch.tokens(); t++) {
            embed.lookup(batch.ids()[t], x, t * C);
        }
        return x;
    }

    /**
     * Splits a fused product's rows [q | k | v] into three matrices.
     *
     * <pre>qkv: (T, qw + 2·kvw) -> q: (T, qw), k, v: (T, kvw)</pre>
     */
    protected static void splitQkv(float[] qkv, int T, int qw, int kvw, float[] q, float[] k, float[] v) {
        int w = qw + 2 * kvw;
        for (int t = 0; t < T; t++) {
            System.arraycopy(qkv, t * w, q, t * qw, qw);
            System.arraycopy(qkv, t * w + qw, k, t * kvw, kvw);
            System.arraycopy(qkv, t * w + qw + kvw, v, t * kvw, kvw);
        }
    }

    /**
     * The prefix the checkpoint puts before its names: the first of {@code candidates} for which
     * {@code probe} exists ({@code "model."} for a {@code LlamaForCausalLM}, {@code ""} for a bare
     * {@code Qwen3Model}).
     *
     * @throws ModelException when none does
     */
    public static String prefix(WeightSource w, String probe, String... candidates) {
        for (String p : candidates) {
            if (w.find(p + probe).isPresent()) {
                return p;
            }
        }
        throw new ModelException(w.source() + ": tensor " + (candidates.length > 0 ? candidates[0] : "") + probe
                + " is missing");
    }

    /**
     * Fails when the checkpoint holds a layer beyond the configured count.
     *
     * @throws ModelException when {@code probe(L)} exists
     */
    public static void checkNoMoreLayers(WeightSource w, String name, int L) {
        if (w.find(name).isPresent()) {
            throw new ModelException(w.source() + ": holds more than num_hidden_layers=" + L + " layers (found " + name
                    + ")");
        }
    }
}
