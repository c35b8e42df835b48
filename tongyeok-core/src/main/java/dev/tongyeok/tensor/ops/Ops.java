package dev.tongyeok.tensor.ops;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the kernels once: {@link VectorOps} when the {@code jdk.incubator.vector} module is
 * present and the platform has vectors of at least 128 bits, {@link ScalarOps} otherwise or when
 * the system property {@code tongyeok.ops=scalar} asks for it. Also runs matrix products on
 * several threads.
 */
public final class Ops {
    private static final TensorOps OPS = choose();
    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long PARALLEL_MIN_WORK = 1L << 18;

    private Ops() {}

    private static TensorOps choose() {
        if ("scalar".equals(System.getProperty("tongyeok.ops"))) {
            return new ScalarOps();
        }
        try {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return new ScalarOps();
            }
            TensorOps v = new VectorOps();
            return VectorOps.L >= 4 ? v : new ScalarOps();
        } catch (LinkageError e) {
            return new ScalarOps();
        }
    }

    /** The kernels this JVM uses. */
    public static TensorOps get() {
        return OPS;
    }

    /**
     * {@link TensorOps#matmul} over all OC columns, split into column ranges run in parallel on
     * the common fork-join pool when the product is large enough. Every output element is computed
     * by the same sequence of operations whatever the split.
     *
     * <pre>x: (T, C), w: (C, OC), bias: (OC) or null -> out: (T, OC)</pre>
     */
    public static void matmul(TensorOps ops, float[] x, int T, int C, MemorySegment w, int OC, float[] bias,
            float[] out) {
        int threads = ForkJoinPool.getCommonPoolParallelism() + 1;
        long work = (long) T * C * OC;
        if (threads <= 1 || work < PARALLEL_MIN_WORK || OC < 128) {
            ops.matmul(x, T, C, w, OC, bias, out, 0, OC);
            return;
        }
        // One column range per thread, aligned to 64 so that each range is whole vector blocks.
        int per = ((OC + threads - 1) / threads + 63) / 64 * 64;
        List<ForkJoinTask<?>> tasks = new ArrayList<>();
        for (int o0 = per; o0 < OC; o0 += per) {
            int a = o0;
            int b = Math.min(OC, o0 + per);
            tasks.add(ForkJoinPool.commonPool().submit(() -> ops.matmul(x, T, C, w, OC, bias, out, a, b)));
        }
        ops.matmul(x, T, C, w, OC, bias, out, 0, Math.min(per, OC));
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }
}
