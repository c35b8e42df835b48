package dev.tongyeok.tensor.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Picks the kernels once: the vector kernels ({@link TieredOps}: {@link VectorOps} with their
 * lane-exact scalar twin while the JIT warms them) when the {@code jdk.incubator.vector} module is
 * present and the platform has vectors of at least 128 bits, {@link ScalarOps} otherwise. The
 * system property {@code tongyeok.ops} can ask for {@code scalar}, {@code vector} (no cold scalar
 * stage) or {@code tiered} (the default). Without the module, {@code tongyeok.lanes} makes the
 * scalar kernels sum as vector kernels of that many lanes do ({@link #lanes()} of a JVM with the
 * module): the command line starts its light commands without the module and gets the same bits.
 * Also runs matrix products on several threads.
 */
public final class Ops {
    private static final TensorOps OPS = choose();
    /**
     * The threads tongyeok computes on, one per core unless the system property
     * {@code tongyeok.threads} says how many (daemon threads). Work already running on
     * one of them is not split again: a batch handed to a worker runs its products on that worker.
     */
    public static final ForkJoinPool POOL = new ForkJoinPool(threads(), pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setDaemon(true);
        t.setName("tongyeok-compute-" + Workers.MADE.getAndIncrement());
        return t;
    }, null, false);

    // The workers count themselves for their names: a worker's pool index is not assigned yet when the factory runs.
    private static final class Workers {
        static final java.util.concurrent.atomic.AtomicInteger MADE = new java.util.concurrent.atomic.AtomicInteger();
    }

    /**
     * The helpers a caller outside the pool splits its products with (one fewer than the pool's
     * threads; null with one thread): a hand-off to them takes about a microsecond, to the pool's
     * parked workers 13–18 µs. Taken by one caller at a time; the others use the pool.
     */
    private static final Crew CREW = POOL.getParallelism() > 1 ? new Crew(POOL.getParallelism() - 1) : null;
    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long PARALLEL_MIN_WORK = 1L << 18;

    private Ops() {}

    /** The system property {@code tongyeok.threads} when set to a positive number, else the number of cores. */
    private static int threads() {
        String p = System.getProperty("tongyeok.threads");
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the default, as for any other unusable value
            }
            System.err.println("tongyeok: ignoring tongyeok.threads=" + p + " (not a positive number)");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static TensorOps choose() {
        String want = System.getProperty("tongyeok.ops", "tiered");
        if ("scalar".equals(want)) {
            return new ScalarOps();
        }
        try {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                if (System.getProperty("tongyeok.lanes") == null) {
                    slow("the Vector API module is not loaded (start java with --add-modules jdk.incubator.vector; "
                            + "Maven Surefire: <argLine>--add-modules jdk.incubator.vector</argLine>; exec:java and "
                            + "spring-boot:run: MAVEN_OPTS or -Dspring-boot.run.jvmArguments=\"--add-modules "
                            + "jdk.incubator.vector\")");
                }
                try {
                    return new ScalarOps(Integer.getInteger("tongyeok.lanes", 1));
                } catch (IllegalArgumentException e) {
                    // A bad value must not stop the engine, but its vectors will not be the vector kernels' bits.
                    System.err.println("tongyeok: -Dtongyeok.lanes ignored (" + e.getMessage() + "); summing in plain order");
                    return new ScalarOps();
                }
            }
            VectorOps v = new VectorOps();
            if (VectorOps.L < 4) {
                slow("this platform's float vectors have " + VectorOps.L + " lanes, fewer than 4");
                return new ScalarOps();
            }
            return "vector".equals(want) ? v : new TieredOps(v);
        } catch (LinkageError e) {
            slow("the Vector API failed to start (" + e + ")");
            return new ScalarOps();
        }
    }

    /**
     * Says once, on standard error, why the scalar kernels run: the same results, 3–5 times slower.
     * Not said when the scalar kernels were asked for ({@code tongyeok.ops=scalar}) or when
     * {@code tongyeok.lanes} is set (the launcher's light commands, which choose them).
     */
    private static void slow(String why) {
        System.err.println("tongyeok: computing with the scalar kernels, 3-5x slower: " + why);
    }

    /** The kernels this JVM uses. */
    public static TensorOps get() {
        return OPS;
    }

    /**
     * The lane count whose order of summation this JVM's kernels follow: the vector kernels' lanes,
     * or what the scalar ones were built with (1: plain order).
     */
    public static int lanes() {
        return OPS instanceof ScalarOps s ? s.lanes() : VectorOps.L;
    }

    /**
     * Starts compiling the vector kernels now, on a background thread, for a caller about to embed
     * in bulk (a file of texts, a server): the JIT then compiles them while the model loads instead
     * of during the first batches, which would run them in the interpreter meanwhile. Nothing happens
     * when the kernels are already warm, are being warmed, or are not the tiered ones.
     */
    public static void warmUpInBackground() {
        if (OPS instanceof TieredOps tiered) {
            tiered.startWarmUp();
        }
    }

    /**
     * Waits until the vector kernels are warm, running the warm-up on this thread when nobody has
     * started it. For a caller with many seconds of work ahead: its first passes would otherwise run
     * partly on the scalar twins and on vector kernels still in the interpreter, and take the cores the
     * compiler needs (a file of 1,000 sentences finished 8 % sooner waiting). Returns at once when the
     * kernels are warm or are not the tiered ones.
     */
    public static void awaitWarmUp() {
        if (OPS instanceof TieredOps tiered) {
            tiered.warmUp();
        }
    }

    /** Whether the calling thread should split its work between threads: not when it is one of those threads. */
    public static boolean maySplit() {
        return ForkJoinTask.getPool() != POOL && POOL.getParallelism() > 1 && !Crew.isHelper();
    }

    /** Runs {@code part} for 0 … parts − 1, 0 on the calling thread: on the crew when it is free, else on the pool. */
    private static void split(int parts, java.util.function.IntConsumer part) {
        if (CREW != null && CREW.run(parts, part)) {
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>();
        for (int i = 1; i < parts; i++) {
            int p = i;
            tasks.add(POOL.submit(() -> part.accept(p)));
        }
        part.accept(0);
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    /**
     * {@link TensorOps#matmul} over all columns, the panels split between the caller and the crew's
     * helpers (or the pool's threads when another caller has the crew) when the product is large
     * enough and the caller is not one of those threads.
     * Every output element is computed by the same sequence of operations whatever the split.
     *
     * <pre>x: (T, C), w: (C, OC), bias: (OC) or null -> out: (T, OC)</pre>
     */
    public static void matmul(TensorOps ops, float[] x, int T, PackedMatrix w, float[] bias, float[] out) {
        int threads = POOL.getParallelism();
        int panels = w.panels();
        long work = (long) T * w.rows() * w.cols();
        if (!maySplit() || work < PARALLEL_MIN_WORK || panels < 2) {
            ops.matmul(x, T, w, bias, out, 0, panels);
            return;
        }
        int parts = Math.min(threads, panels);
        split(parts, i -> ops.matmul(x, T, w, bias, out, panels * i / parts, panels * (i + 1) / parts));
    }

    /** A run of consecutive work units [from, to). */
    @FunctionalInterface
    public interface Run {
        void run(int from, int to);
    }

    /**
     * Runs units [0, n) cut into one run of consecutive units per thread of {@link #POOL}, of about
     * equal {@code work} each: the caller computes the first run, the crew (or the pool) the others, and this
     * returns when all are done. A task per unit costs more in hand-offs between threads than small
     * units take to compute (the heads of a short text's attention).
     */
    public static void parallelRuns(int n, java.util.function.IntToLongFunction work, Run body) {
        int parts = POOL.getParallelism();
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += work.applyAsLong(i);
        }
        int[] cut = new int[parts + 1]; // run r covers units [cut[r], cut[r + 1])
        long done = 0;
        int r = 1;
        for (int i = 0; i < n && r < parts; i++) {
            done += work.applyAsLong(i);
            while (r < parts && done * parts >= total * r) {
                cut[r++] = i + 1;
            }
        }
        while (r <= parts) {
            cut[r++] = n;
        }
        split(parts, t -> {
            if (t == 0 || cut[t] < cut[t + 1]) {
                body.run(cut[t], cut[t + 1]);
            }
        });
    }

    /**
     * {@link TensorOps#matmulQuantized} over all outputs, split between the threads of {@link #POOL}
     * when the product is large enough; every output is computed alike whatever the split.
     *
     * <pre>x: (T, C), w: (OC, C) quantized, bias: (OC) or null -> out: (T, OC)</pre>
     */
    public static void matmulQuantized(TensorOps ops, float[] x, int T, QuantizedMatrix w, float[] bias, float[] out) {
        int OC = w.rows();
        long work = (long) T * w.rows() * w.cols();
        if (!maySplit() || work < PARALLEL_MIN_WORK || OC < 2) {
            ops.matmulQuantized(x, T, w, bias, out, 0, OC);
            return;
        }
        int parts = Math.min(POOL.getParallelism() * 4, OC);
        split(parts, i -> ops.matmulQuantized(x, T, w, bias, out, (int) ((long) OC * i / parts), (int) ((long) OC * (i + 1) / parts)));
    }
}
