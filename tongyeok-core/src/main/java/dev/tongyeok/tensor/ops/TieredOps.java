package dev.tongyeok.tensor.ops;

import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The vector kernels, with their lane-exact scalar twin standing in while the JIT has not compiled
 * them yet. Until C2 compiles it, a Vector API kernel runs in the interpreter or in C1 code that
 * allocates every vector on the heap — 5–10× slower than plain scalar code: the first embedding
 * of a process spent ~0.85 s there against ~0.3 s with scalar loops. Since {@link ScalarOps} built
 * with the vector lane count gives the same bits as {@link VectorOps} in every kernel, the two can
 * be mixed freely, even inside one forward pass.
 *
 * <p>While cold, a small call runs on the scalar twin; a large matrix product (at least
 * {@link #LARGE} multiply-adds, as in batches of many texts) runs on the vector kernels at once,
 * since it compiles them faster than anything else would. The first large product, or the
 * {@link #WARM_AFTER}th small one (a server with short requests), starts a background thread that
 * runs every vector kernel and its twin on scratch data until the vector kernels are the faster
 * ones, then switches every call to them: the small calls of a batch (attention per head,
 * elementwise steps per row) switch only once their vector kernels are compiled, instead of running
 * in the interpreter for seconds. A one-text command of a small model ends before that.
 */
public final class TieredOps implements TensorOps {
    /** Multiply-adds from which a product runs on the vector kernels even cold (≈ 60 rows × 384 × 384). */
    static final long LARGE = 1L << 23;
    /** Cold small matrix products after which the background warm-up starts (a MiniLM pass makes 24). */
    static final int WARM_AFTER = 40;

    private final VectorOps vector;
    private final ScalarOps scalar;
    private volatile boolean warm;
    private final AtomicInteger coldProducts = new AtomicInteger();
    private final AtomicBoolean warming = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

    TieredOps(VectorOps vector) {
        this.vector = vector;
        this.scalar = new ScalarOps(VectorOps.L);
    }

    /** Whether every call now runs on the vector kernels. */
    public boolean warm() {
        return warm;
    }

    /** Whether the warm-up has started (on a background thread or a caller's) or is done. */
    boolean warmUpStarted() {
        return warming.get();
    }

    /**
     * Runs the background warm-up now, on the calling thread, and switches to the vector kernels.
     * For benchmarks and servers that would rather pay it before their first request.
     */
    public void warmUp() {
        if (warm) {
            return;
        }
        if (warming.compareAndSet(false, true)) {
            exercise();
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private TensorOps pick(long work) {
        return warm || work >= LARGE ? vector : scalar;
    }

    @Override
    public void matmul(float[] x, int T, PackedMatrix w, float[] bias, float[] out, int p0, int p1) {
        long work = (long) T * w.rows() * Math.min(w.cols(), (p1 - p0) * PackedMatrix.PANEL);
        // A product split between threads arrives in parts: only the part from panel 0 counts it.
        if (!warming.get() && (work >= LARGE || p0 == 0 && coldProducts.incrementAndGet() >= WARM_AFTER)) {
            startWarmUp();
        }
        pick(work).matmul(x, T, w, bias, out, p0, p1);
    }

    // The background warm-up, once: a batch starts it with its first large product (the other
    // kernels are called small there, per head and per row, and would stay scalar), a run of small
    // calls after WARM_AFTER of them, a caller about to compute in bulk before its first call.
    void startWarmUp() {
        if (warming.compareAndSet(false, true)) {
            Thread t = new Thread(this::exercise, "tongyeok-warm-up");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void matmulQuantized(float[] x, int T, QuantizedMatrix w, float[] bias, float[] out, int o0, int o1) {
        pick((long) T * w.cols() * (o1 - o0)).matmulQuantized(x, T, w, bias, out, o0, o1);
    }

    @Override
    public void gemm(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, int M,
            int K, int N) {
        pick((long) M * K * N).gemm(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, M, K, N);
    }

    @Override
    public void add(float[] dst, int dOff, float[] src, int sOff, int n) {
        pick(n).add(dst, dOff, src, sOff, n);
    }

    @Override
    public void softmax(float[] x, int off, int n) {
        pick(n).softmax(x, off, n);
    }

    @Override
    public void layerNorm(float[] x, int off, int n, float[] gamma, float[] beta, float eps) {
        pick(n).layerNorm(x, off, n, gamma, beta, eps);
    }

    @Override
    public void gelu(float[] x, int off, int n) {
        pick(n).gelu(x, off, n);
    }

    @Override
    public void geluTanh(float[] x, int off, int n) {
        pick(n).geluTanh(x, off, n);
    }

    @Override
    public void glu(Gate act, float[] gate, int gOff, float[] up, int uOff, float[] out, int oOff, int n) {
        pick(n).glu(act, gate, gOff, up, uOff, out, oOff, n);
    }

    @Override
    public String name() {
        return vector.name();
    }

    /**
     * Calls every vector kernel and its scalar twin on scratch data, at shapes that take each of
     * their branches (short row blocks, narrow panels, tails), round after round until the vector
     * round has been the faster one twice running (the JIT has compiled the vector kernels), or
     * 20 s have passed.
     */
    private void exercise() {
        try {
            Random r = new Random(1);
            int C = 384;
            PackedMatrix square = PackedMatrix.pack(C, C, (c, o) -> r.nextFloat() - 0.5f);
            PackedMatrix narrow = PackedMatrix.pack(C, 100, (c, o) -> r.nextFloat() - 0.5f);
            float[] x = new float[16 * 1536];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat() * 4 - 2;
            }
            float[] out = new float[16 * 1536];
            float[] gamma = new float[1536];
            float[] beta = new float[1536];
            java.util.Arrays.fill(gamma, 1);
            long deadline = System.nanoTime() + 20_000_000_000L;
            for (int faster = 0; faster < 2 && System.nanoTime() < deadline; ) {
                long v = round(vector, square, narrow, x, out, gamma, beta);
                long s = round(scalar, square, narrow, x, out, gamma, beta);
                faster = v < s ? faster + 1 : 0;
            }
        } finally {
            warm = true;
            done.countDown();
        }
    }

    private static long round(TensorOps ops, PackedMatrix square, PackedMatrix narrow, float[] x, float[] out,
            float[] gamma, float[] beta) {
        long t0 = System.nanoTime();
        int C = square.rows();
        for (int T = 1; T <= 13; T++) {
            ops.matmul(x, T, square, gamma, out, 0, square.panels());
            ops.matmul(x, T, narrow, null, out, 0, narrow.panels());
            ops.gemm(x, 0, C, x, 1, 64, out, 0, 64, T, 64, 40 + T);
            for (int n : new int[] {7, 16, 29, 384, 1000 + T}) {
                System.arraycopy(x, 0, out, 0, n);
                ops.softmax(out, 0, n);
                ops.layerNorm(out, 0, n, gamma, beta, 1e-12f);
                ops.gelu(out, 0, n);
                ops.geluTanh(out, 0, n);
                ops.glu(Gate.values()[n % Gate.values().length], out, 0, x, 0, out, 0, n);
                ops.add(out, 0, x, 0, n);
            }
        }
        return System.nanoTime() - t0;
    }
}
