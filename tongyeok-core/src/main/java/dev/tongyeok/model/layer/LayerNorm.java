package dev.tongyeok.model.layer;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;

/** {@code torch.nn.LayerNorm} over the last dimension, with {@code prefix.weight} and {@code prefix.bias}. */
public final class LayerNorm {
    // Below this many elements the hand-off between threads costs more than it saves.
    private static final int PARALLEL_MIN = 1 << 16;

    private final float[] weight; // (C)
    private final float[] bias; // (C)
    private final float eps;

    private LayerNorm(float[] weight, float[] bias, float eps) {
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
    }

    /**
     * @throws dev.tongyeok.load.ModelException when a tensor is missing or not of width {@code C}
     */
    public static LayerNorm load(WeightSource source, String prefix, int C, double eps) {
        return new LayerNorm(Linear.vector(source, source.get(prefix + ".weight"), C),
                Linear.vector(source, source.get(prefix + ".bias"), C), (float) eps);
    }

    /**
     * A LayerNorm without a bias ({@code bias=False}, ModernBERT's): {@code prefix.weight} only.
     *
     * @throws dev.tongyeok.load.ModelException when the weight is missing or not of width {@code C}
     */
    public static LayerNorm withoutBias(WeightSource source, String prefix, int C, double eps) {
        return new LayerNorm(Linear.vector(source, source.get(prefix + ".weight"), C), new float[C], (float) eps);
    }

    /**
     * Normalizes every row in place.
     *
     * <pre>x: (T, C) -> (T, C)</pre>
     */
    public void forward(TensorOps ops, float[] x, int T) {
        int C = weight.length;
        if (T < 2 || (long) T * C < PARALLEL_MIN || !Ops.maySplit()) {
            rows(ops, x, 0, T);
            return;
        }
        Ops.parallelRuns(T, t -> C, (from, to) -> rows(ops, x, from, to));
    }

    // Rows [from, to): each row is computed alike whatever the split between threads.
    private void rows(TensorOps ops, float[] x, int from, int to) {
        int C = weight.length;
        for (int t = from; t < to; t++) {
            ops.layerNorm(x, t * C, C, weight, bias, eps);
        }
    }
}
