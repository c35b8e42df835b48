package dev.tongyeok.model.bert;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * HF transformers' {@code BertModel} without the pooler: embeddings, then
 * {@code num_hidden_layers} encoder layers; returns the last hidden state. Immutable once loaded
 * and safe to call from many threads.
 */
public final class BertModel implements Transformer {
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

    @Override
    public BertConfig config() {
        return config;
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
    public float[] wordVector(int id) {
        return embeddings.wordVector(id);
    }

    @Override
    public boolean causal() {
        return false;
    }

    @Override
    public float[] forward(PackedBatch batch, Observer observer, Workspace ws) {
        batch.checkTables(config.vocab_size(), config.max_position_embeddings(),
                Math.max(1, config.type_vocab_size()));
        int C = config.hidden_size();
        // Both buffers come from the workspace: a pass allocates nothing per batch, so a young
        // collection in the middle of a pass has no megabyte of activations to promote.
        float[] x = ws.get(BertLayer.X, batch.tokens() * C);
        embeddings.forward(ops, batch, x);
        if (observer.wantsHiddenStates()) {
            observer.hiddenState(0, x, batch.tokens(), C);
        }
        float[] y = ws.get(BertLayer.Y, batch.tokens() * C);
        for (int l = 0; l < layers.length; l++) {
            layers[l].forward(ops, x, y, batch, l, observer, ws);
            float[] swap = x;
            x = y;
            y = swap;
            if (observer.wantsHiddenStates()) {
                observer.hiddenState(l + 1, x, batch.tokens(), C);
            }
        }
        return x;
    }
}
