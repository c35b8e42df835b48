package dev.tongyeok.model.layer;

/** Gated linear units: the gate's activation times the up projection, written over the gate. */
public final class Glu {
    private Glu() {}

    /** SwiGLU: g[i] = silu(g[i]) · u[i] for i < n, silu(x) = x / (1 + e^−x). */
    public static void swiglu(float[] g, float[] u, int n) {
        for (int i = 0; i < n; i++) {
            float x = g[i];
            g[i] = x / (1f + (float) Math.exp(-x)) * u[i];
        }
    }
}
