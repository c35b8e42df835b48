package dev.tongyeok.model.layer;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.tensor.ops.Ops;

/**
 * Root-mean-square normalization ({@code LlamaRMSNorm}): x / √(mean(x²) + eps) · weight, over
 * rows of width n (the hidden state, or one attention head for Qwen3's query and key norms).
 */
public final class RmsNorm {
    // Below this many elements the hand-off between threads costs more than it saves.
    private static final int PARALLEL_MIN = 1 << 16;

    private final float[] weight;
    private final float eps;

    private RmsNorm(float[] weight, float eps) {
        this.weight = weight;
        this.eps = eps;
    }

    /**
     * The norm whose weight is {@code prefix.weight}, of width {@code n}.
     *
     * @throws dev.tongyeok.load.ModelException when the tensor is missing or not of width n
     */
    public static RmsNorm load(WeightSource source, String prefix, int n, double eps) {
        return new RmsNorm(Linear.vector(source, source.get(prefix + ".weight"), n), (float) eps);
    }

    /**
     * As {@link #load}, the weight plus {@code shift}: Gemma's norms scale by 1 + weight, which its
     * checkpoints store as weight and llama.cpp's GGUF files as 1 + weight (shift 0).
     *
     * @throws dev.tongyeok.load.ModelException when the tensor is missing or not of width n
     */
    public static RmsNorm loadShifted(WeightSource source, String prefix, int n, double eps, float shift) {
        float[] w = Linear.vector(source, source.get(prefix + ".weight"), n);
        if (shift != 0) {
            w = w.clone();
            for (int i = 0; i < w.length; i++) {
                w[i] += shift;
            }
        }
        return new RmsNorm(w, (float) eps);
    }

    /** The width of a normalized row. */
    public int width() {
        return weight.length;
    }

    /**
     * Normalizes {@code rows} consecutive rows of width n in place, starting at {@code off}; many
     * rows are split between threads (each row is computed alike whatever the split).
     *
     * <pre>x: (rows, n) -> (rows, n)</pre>
     */
    public void forward(float[] x, int off, int rows) {
        int n = weight.length;
        if (rows < 2 || (long) rows * n < PARALLEL_MIN || !Ops.maySplit()) {
            rows(x, off, 0, rows);
            return;
        }
        Ops.parallelRuns(rows, r -> n, (from, to) -> rows(x, off, from, to));
    }

    // Rows [from, to): the squares summed in double, in order.
    private void rows(float[] x, int off, int from, int to) {
        int n = weight.length;
        for (int r = from; r < to; r++) {
            int o = off + r * n;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                sq += (double) x[o + i] * x[o + i];
            }
            float inv = (float) (1 / Math.sqrt(sq / n + eps));
            for (int i = 0; i < n; i++) {
                x[o + i] = weight[i] * (x[o + i] * inv);
            }
        }
    }
}
