package dev.tongyeok.model.layer;

import dev.tongyeok.model.ModelConfig;
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
}
