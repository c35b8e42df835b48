package dev.tongyeok.model.bert;

import dev.tongyeok.load.BertConfig;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.Observer;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * HF transformers' {@code BertModel} without the pooler: embeddings, then
 * {@code num_hidden_layers} encoder layers; returns the last hidden state. Immutable once loaded
 * and safe to call from many threads.
 */
public final class BertModel {
    private final BertConfig config;
    private final String source;
    final BertEmbeddings embeddings;
    final BertLayer[] layers;
    private final TensorOps ops;

    private BertModel(BertConfig config, String source, BertEmbeddings embeddings, BertLayer[] layers, TensorOps ops) {
        this.config = config;
        this.source = source;
        this.embeddings = embeddings;
        this.layers = layers;
        this.ops = ops;
    }

    /**
     * Builds the model from checkpoint tensors, checking each shape against {@code config}.
     *
     * @throws dev.tongyeok.load.ModelException when a tensor is missing or disagrees with config
     */
    public static BertModel load(WeightSource weights, BertConfig config) {
        return load(weights, config, Ops.get());
    }

    /** As {@link #load(WeightSource, BertConfig)}, computing with {@code ops}. */
    public static BertModel load(WeightSource weights, BertConfig config, TensorOps ops) {
        BertEmbeddings e = new BertEmbeddings(weights, config);
        BertLayer[] layers = new BertLayer[config.num_hidden_layers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new BertLayer(weights, config, i);
        }
        if (weights.find("encoder.layer." + layers.length + ".attention.self.query.weight").isPresent()) {
            throw new dev.tongyeok.load.ModelException(weights.source() + ": holds more than num_hidden_layers="
                    + layers.length + " layers (found encoder.layer." + layers.length + ")");
        }
        return new BertModel(config, weights.source(), e, layers, ops);
    }

    /** The configuration. */
    public BertConfig config() {
        return config;
    }

    /** Where the weights came from. */
    public String source() {
        return source;
    }

    /** The kernels in use. */
    public TensorOps ops() {
        return ops;
    }

    /** Row {@code id} of the token embedding table. */
    public float[] wordVector(int id) {
        return embeddings.wordVector(id);
    }

    /**
     * Scratch matrices for forward passes, grown to the largest batch seen: one per caller (it is not
     * thread-safe), reused across the batches of one call so that large arrays are not allocated,
     * and collected, layer after layer.
     *
     * <pre>q, k, v, ctx, h, y: (T, C); inter: (T, I)</pre>
     */
    public static final class Workspace {
        float[] q = new float[0];
        float[] k = q;
        float[] v = q;
        float[] ctx = q;
        float[] h = q;
        float[] y = q;
        float[] inter = q;

        void ensure(int T, int C, int I) {
            if (q.length < T * C) {
                q = new float[T * C];
                k = new float[T * C];
                v = new float[T * C];
                ctx = new float[T * C];
                h = new float[T * C];
                y = new float[T * C];
            }
            if (inter.length < T * I) {
                inter = new float[T * I];
            }
        }
    }

    /**
     * The last hidden state of every token of the batch.
     *
     * <pre>batch: T rows -> (T, C)</pre>
     *
     * @throws IllegalArgumentException when an id, type id or position is outside its table
     */
    public float[] forward(PackedBatch batch, Observer observer) {
        return forward(batch, observer, new Workspace());
    }

    /**
     * As {@link #forward(PackedBatch, Observer)}, with scratch space from {@code ws}. The returned
     * array is new.
     */
    public float[] forward(PackedBatch batch, Observer observer, Workspace ws) {
        check(batch);
        int C = config.hidden_size();
        float[] x = embeddings.forward(ops, batch);
        if (observer.wantsHiddenStates()) {
            observer.hiddenState(0, x, batch.tokens(), C);
        }
        ws.ensure(batch.tokens(), C, config.intermediate_size());
        float[] y = ws.y;
        float[] first = x;
        for (int l = 0; l < layers.length; l++) {
            layers[l].forward(ops, x, y, batch, l, observer, ws);
            float[] swap = x;
            x = y;
            y = swap;
            if (observer.wantsHiddenStates()) {
                observer.hiddenState(l + 1, x, batch.tokens(), C);
            }
        }
        if (x != first) {
            // The result sits in the workspace: hand out a copy of exactly T rows.
            return java.util.Arrays.copyOf(x, batch.tokens() * C);
        }
        return x;
    }

    private void check(PackedBatch b) {
        for (int t = 0; t < b.tokens(); t++) {
            if (b.ids()[t] < 0 || b.ids()[t] >= config.vocab_size()) {
                throw new IllegalArgumentException("token id " + b.ids()[t] + " at row " + t + " is outside the vocabulary [0, "
                        + config.vocab_size() + ")");
            }
            if (b.positions()[t] < 0 || b.positions()[t] >= config.max_position_embeddings()) {
                throw new IllegalArgumentException("position " + b.positions()[t] + " at row " + t
                        + " is beyond max_position_embeddings " + config.max_position_embeddings());
            }
            int types = Math.max(1, config.type_vocab_size());
            if (b.typeIds()[t] < 0 || b.typeIds()[t] >= types) {
                throw new IllegalArgumentException("token type " + b.typeIds()[t] + " at row " + t + " is outside [0, "
                        + types + ")");
            }
        }
    }
}
