package dev.tongyeok.bench;

import dev.tongyeok.tensor.ops.PackedMatrix;
import dev.tongyeok.tensor.ops.ScalarOps;
import dev.tongyeok.tensor.ops.VectorOps;
import java.util.Collection;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
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
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH: the matrix kernel on one thread at all-MiniLM-L6-v2's shapes (a 512-token batch times
 * 384×384, 384×1536 and 1536×384), its scalar twin, and this machine's FP32 peak on one core
 * measured with a tight loop of independent fused multiply-adds; and the GGML Q8_0 / Q4_0 product
 * kernels at a decoder's shapes (one token and 16 tokens times 1024×3072) against the F32 kernel on
 * the same matrix; attention's two products per head ({@link AttentionBench}); and the int8 ceiling
 * of the Vector API ({@link IntegerPeakBench}). {@link #main} runs
 * them (those whose name matches its argument, if one is given) and prints GFLOP/s and the share of
 * the peak.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KernelBench {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Fused multiply-adds per call of {@link #fmaPeak}: 12 chains × 4096 steps. */
    static final int PEAK_STEPS = 4096;

    /** "rows x in x out". */
    @Param({"512x384x384", "512x384x1536", "512x1536x384"})
    public String shape;

    int T;
    PackedMatrix w;
    float[] x;
    float[] out;
    float[] bias;
    final VectorOps vector = new VectorOps();
    final ScalarOps scalar = new ScalarOps(S.length());

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        T = Integer.parseInt(p[0]);
        int C = Integer.parseInt(p[1]);
        int OC = Integer.parseInt(p[2]);
        Random r = new Random(1);
        w = PackedMatrix.pack(C, OC, (c, o) -> r.nextFloat() - 0.5f);
        x = new float[T * C];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        out = new float[T * OC];
        bias = new float[OC];
    }

    @Benchmark
    public float[] matmul() {
        vector.matmul(x, T, w, bias, out, 0, w.panels());
        return out;
    }

    @Benchmark
    @Measurement(iterations = 2, time = 1)
    @Warmup(iterations = 1, time = 1)
    public float[] matmulScalar() {
        scalar.matmul(x, T, w, bias, out, 0, w.panels());
        return out;
    }

    /**
     * 12 independent chains of vector FMAs: enough in flight to cover the latency on two FMA ports.
     * The peak is the best of its iterations (this machine's neighbours make any single second slower).
     */
    @Benchmark
    @Measurement(iterations = 10, time = 1)
    public float fmaPeak() {
        FloatVector m = FloatVector.broadcast(S, 0.999f);
        FloatVector a = FloatVector.broadcast(S, 1e-3f);
        FloatVector v0 = FloatVector.broadcast(S, 0.1f), v1 = v0.add(0.01f), v2 = v0.add(0.02f), v3 = v0.add(0.03f);
        FloatVector v4 = v0.add(0.04f), v5 = v0.add(0.05f), v6 = v0.add(0.06f), v7 = v0.add(0.07f);
        FloatVector v8 = v0.add(0.08f), v9 = v0.add(0.09f), v10 = v0.add(0.10f), v11 = v0.add(0.11f);
        for (int i = 0; i < PEAK_STEPS; i++) {
            v0 = v0.fma(m, a);
            v1 = v1.fma(m, a);
            v2 = v2.fma(m, a);
            v3 = v3.fma(m, a);
            v4 = v4.fma(m, a);
            v5 = v5.fma(m, a);
            v6 = v6.fma(m, a);
            v7 = v7.fma(m, a);
            v8 = v8.fma(m, a);
            v9 = v9.fma(m, a);
            v10 = v10.fma(m, a);
            v11 = v11.fma(m, a);
        }
        return v0.add(v1).add(v2).add(v3).add(v4).add(v5).add(v6).add(v7).add(v8).add(v9).add(v10).add(v11).lane(0);
    }

    public static void main(String[] args) throws Exception {
        String include = "dev\\.tongyeok\\.bench\\.(Kernel|QuantizedKernel|Attention|IntegerPeak)Bench\\." + (args.length > 0 ? args[0] : "");
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(include).build()).run();
        double peak = 0;
        double int8 = 0;
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("fmaPeak")) {
                peak = Math.max(peak, r.getPrimaryResult().getStatistics().getMax() * 12.0 * PEAK_STEPS * 2 * S.length() / 1e9);
            }
            if (r.getParams().getBenchmark().endsWith("int8AsInt16Pairs")) {
                int8 = Math.max(int8, r.getPrimaryResult().getStatistics().getMax() * IntegerPeakBench.MACS * 2 / 1e9);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "FP32 peak, one core (%d-lane FMA loop, best second): %.1f GFLOP/s%n", S.length(), peak);
        if (int8 > 0) {
            System.out.printf(Locale.ROOT, "int8 as int16 pairs, one core, registers only (best second): %.1f GOP/s, %.2f× the FMA loop%n",
                    int8, int8 / peak);
        }
        System.out.println();
        System.out.println("| kernel, one thread | shape (rows × in × out) | GFLOP/s | share of peak |");
        System.out.println("|---|---|---:|---:|");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            if (name.endsWith("fmaPeak") || name.endsWith("int8AsInt16Pairs")) {
                continue;
            }
            String shape;
            if (name.contains("AttentionBench")) {
                String t = r.getParams().getParam("tokens");
                shape = name.endsWith("scores") ? t + "x32x" + t : t + "x" + t + "x32";
            } else {
                shape = name.contains("quantized") ? r.getParams().getParam("qshape") : r.getParams().getParam("shape");
            }
            String[] p = shape.split("x");
            if (name.contains("quantized")) {
                shape += " " + r.getParams().getParam("type");
            }
            double flops = 2.0 * Long.parseLong(p[0]) * Long.parseLong(p[1]) * Long.parseLong(p[2]);
            double gflops = r.getPrimaryResult().getScore() * flops / 1e9;
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.0f %% |%n", name.substring(name.lastIndexOf('.') + 1),
                    shape.replace("x", " × "), gflops, 100 * gflops / peak);
        }
    }
}
