package dev.tongyeok.model;

import dev.tongyeok.tensor.ops.TensorOps;

/**
 * A loaded model of any family: token ids in, one contextual vector per token out. Immutable once
 * loaded and safe to call from many threads (each with its own {@link Workspace}).
 */
public interface Transformer {
    /** The configuration. */
    ModelConfig config();

    /** Where the weights came from. */
    String source();

    /** The kernels in use. */
    TensorOps ops();

    /** Row {@code id} of the token embedding table: the token's static vector. */
    float[] wordVector(int id);

    /**
     * Whether a token sees the whole sequence (an encoder) or only itself and the tokens before it
     * (a decoder, whose last token is the one that has seen everything).
     */
    boolean causal();

    /**
     * The last hidden state of every token of the batch, with scratch space from {@code ws}. The
     * result is in the first T × C floats of the returned array, which may be one of {@code ws}'s
     * buffers: read it before the workspace's next use.
     *
     * <pre>batch: T rows -> (T, C)</pre>
     *
     * @throws IllegalArgumentException when an id or position is outside its table
     */
    float[] forward(PackedBatch batch, Observer observer, Workspace ws);

    /** As {@link #forward(PackedBatch, Observer, Workspace)} with a workspace of its own: the returned array is the caller's. */
    default float[] forward(PackedBatch batch, Observer observer) {
        return forward(batch, observer, new Workspace());
    }
}
