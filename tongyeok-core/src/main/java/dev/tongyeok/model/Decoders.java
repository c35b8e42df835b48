package dev.tongyeok.model;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.WeightSource;

/** What the decoder families share: finding a checkpoint's name prefix, the activations, checks. */
public final class Decoders {
    private Decoders() {}

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

    /** SwiGLU's gate in place: g = silu(g) · u = g / (1 + e^(−g)) · u, over n values. */
    public static void swiglu(float[] g, float[] u, int n) {
        for (int i = 0; i < n; i++) {
            float x = g[i];
            g[i] = x / (1f + (float) Math.exp(-x)) * u[i];
        }
    }

    /**
     * Fails when an id or position of the batch is outside the model's tables.
     *
     * @throws IllegalArgumentException naming the row
     */
    public static void check(PackedBatch b, int vocab, int maxPositions) {
        for (int t = 0; t < b.tokens(); t++) {
            if (b.ids()[t] < 0 || b.ids()[t] >= vocab) {
                throw new IllegalArgumentException("token id " + b.ids()[t] + " at row " + t
                        + " is outside the vocabulary [0, " + vocab + ")");
            }
            if (b.positions()[t] < 0 || b.positions()[t] >= maxPositions) {
                throw new IllegalArgumentException("position " + b.positions()[t] + " at row " + t
                        + " is beyond the model's " + maxPositions + " positions");
            }
        }
    }

    /** A new array holding the first {@code n} values of {@code x}. */
    public static float[] copy(float[] x, int n) {
        return java.util.Arrays.copyOf(x, n);
    }
}
