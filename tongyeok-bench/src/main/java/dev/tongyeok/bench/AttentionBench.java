package dev.tongyeok.bench;

import dev.tongyeok.tensor.ops.VectorOps;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: attention's two products for one head of all-MiniLM-L6-v2 (head width 32) on one thread, as
 * the encoder calls them: the scores Q·Kᵀ (queries read in place from the fused Q/K/V rows, 1,152
 * floats apart; keys transposed) and the mix P·V (values read in place). At 27 tokens (a Brown
 * sentence) and 200 (a UDHR paragraph). {@link KernelBench#main} runs and reports them.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AttentionBench {
    static final int D = 32;
    static final int LD = 1152;

    @Param({"27", "200"})
    public int tokens;

    final VectorOps vector = new VectorOps();
    float[] qkv;
    float[] keysT;
    float[] probs;
    float[] ctx;

    @Setup
    public void setup() {
        Random r = new Random(3);
        qkv = new float[tokens * LD];
        for (int i = 0; i < qkv.length; i++) {
            qkv[i] = r.nextFloat() - 0.5f;
        }
        keysT = new float[D * tokens];
        for (int i = 0; i < keysT.length; i++) {
            keysT[i] = r.nextFloat() - 0.5f;
        }
        probs = new float[tokens * tokens];
        for (int i = 0; i < probs.length; i++) {
            probs[i] = r.nextFloat() / tokens;
        }
        ctx = new float[tokens * 384];
    }

    /** (T, 32) · (32, T). */
    @Benchmark
    public float[] scores() {
        vector.gemm(qkv, 0, LD, keysT, 0, tokens, probs, 0, tokens, tokens, D, tokens);
        return probs;
    }

    /** (T, T) · (T, 32). */
    @Benchmark
    public float[] mix() {
        vector.gemm(probs, 0, tokens, qkv, 2 * 384, LD, ctx, 0, 384, tokens, tokens, D);
        return ctx;
    }
}
