package dev.tongyeok.model.layer;

import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * Gated linear units over a batch: for every row t, {@code out(t) = act(gate(t)) · up(t)}, the
 * gate and up halves read from separate matrices or from one fused projection, the rows split
 * between threads when there are enough of them. Every element is computed alike whatever the split.
 */
public final class Glu {
    // Below this many elements the hand-off between threads costs more than it saves.
    private static final int PARALLEL_MIN = 1 << 16;

    private Glu() {}

    /**
     * Gate and up as separate (T, n) matrices; the result over the gate.
     *
     * <pre>gate: (T, n), up: (T, n) -> gate: (T, n)</pre>
     */
    public static void apply(TensorOps ops, TensorOps.Gate act, float[] gate, float[] up, int T, int n) {
        rows(T, n, (from, to) -> ops.glu(act, gate, from * n, up, from * n, gate, from * n, (to - from) * n));
    }

    /**
     * One fused projection of width 2n per row, whose half at {@code gateFirst ? 0 : n} is the gate
     * and the other half the up projection; the result into {@code out}.
     *
     * <pre>fused: (T, 2n) -> out: (T, n)</pre>
     */
    public static void fused(TensorOps ops, TensorOps.Gate act, float[] fused, boolean gateFirst, int T, int n,
            float[] out) {
        int g = gateFirst ? 0 : n;
        int u = gateFirst ? n : 0;
        rows(T, n, (from, to) -> {
            for (int t = from; t < to; t++) {
                ops.glu(act, fused, t * 2 * n + g, fused, t * 2 * n + u, out, t * n, n);
            }
        });
    }

    private static void rows(int T, int n, Ops.Run body) {
        if (T < 2 || (long) T * n < PARALLEL_MIN || !Ops.maySplit()) {
            body.run(0, T);
            return;
        }
        Ops.parallelRuns(T, t -> n, body);
    }
}
