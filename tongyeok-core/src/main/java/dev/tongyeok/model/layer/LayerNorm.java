package dev.tongyeok.model.layer;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.tensor.ops.TensorOps;

/** {@code torch.nn.LayerNorm} over the last dimension, with {@code prefix.weight} and {@code prefix.bias}. */
public final class LayerNorm {
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
        for (int t = 0; t < T; t++) {
            ops.layerNorm(x, t * C, C, weight, bias, eps);
        }
    }
}
