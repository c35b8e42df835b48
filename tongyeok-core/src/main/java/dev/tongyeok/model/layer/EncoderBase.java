package dev.tongyeok.model.layer;

import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * What every encoder family's model has alike: its configuration, where its weights came from, the
 * kernels it computes with, its token table, and bidirectional attention. A family's model adds its
 * layers and its forward pass.
 *
 * @param <C> the family's configuration
 */
public abstract class EncoderBase<C extends ModelConfig> implements Transformer {
    protected final C cfg;
    private final String source;
    protected final TensorOps ops;
    protected final EmbeddingTable words;

    protected EncoderBase(C cfg, String source, TensorOps ops, EmbeddingTable words) {
        this.cfg = cfg;
        this.source = source;
        this.ops = ops;
        this.words = words;
    }

    @Override
    public C config() {
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
        return false;
    }

    @Override
    public float[] wordVector(int id) {
        float[] v = new float[words.width()];
        words.lookup(id, v, 0);
        return v;
    }

    /**
     * Writes each token's row of the token table into the first T rows of {@code x}.
     *
     * <pre>batch: T rows -> x: (T, C)</pre>
     */
    protected void lookup(PackedBatch batch, float[] x) {
        lookup(batch, x, null);
    }

    /**
     * As {@link #lookup(PackedBatch, float[])}, adding each token's row of {@code types} (the token
     * type table, by the batch's type ids) when it is not null.
     */
    protected void lookup(PackedBatch batch, float[] x, EmbeddingTable types) {
        int C = words.width();
        float[] scratch = types == null ? null : new float[C];
        for (int t = 0; t < batch.tokens(); t++) {
            words.lookup(batch.ids()[t], x, t * C);
            if (types != null) {
                types.add(batch.typeIds()[t], x, t * C, scratch);
            }
        }
    }

    /**
     * Attention over one fused projection with rotary positions: the rows of {@code qkv} are
     * [q | k | v], each C wide; q and k are copied out into {@code q} and {@code k} and rotated
     * there, v is read in place.
     *
     * <pre>qkv: (T, 3C) -> ctx: (T, C)</pre>
     */
    protected void rotaryAttention(Attention attention, Rope rope, float[] qkv, float[] q, float[] k, float[] ctx,
            PackedBatch batch, int heads, int layer, Observer observer) {
        int T = batch.tokens();
        int C = cfg.hidden_size();
        for (int t = 0; t < T; t++) {
            System.arraycopy(qkv, t * 3 * C, q, t * C, C);
            System.arraycopy(qkv, t * 3 * C + C, k, t * C, C);
        }
        rope.apply(q, T, heads, batch.positions());
        rope.apply(k, T, heads, batch.positions());
        attention.forward(ops, new Attention.Heads(q, 0, C, k, 0, C, qkv, 2 * C, 3 * C), ctx, batch, layer, observer);
    }
}
