package dev.tongyeok.bench;

import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.ops.PackedMatrix;
import dev.tongyeok.tensor.ops.QuantizedMatrix;
import dev.tongyeok.tensor.ops.ScalarOps;
import dev.tongyeok.tensor.ops.VectorOps;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
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
 * JMH: the GGML Q8_0 / Q4_0 product kernels on one thread at a decoder's shapes (one token and 16
 * tokens times a 1024×3072 matrix), their scalar twin, and the F32 kernel on a matrix of that
 * shape. {@link KernelBench#main} runs and reports them.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QuantizedKernelBench {
    final VectorOps vector = new VectorOps();
    final ScalarOps scalar = new ScalarOps(FloatVector.SPECIES_PREFERRED.length());

    /** "rows x in x out". */
    @Param({"1x1024x3072", "16x1024x3072"})
    public String qshape;

    @Param({"Q8_0", "Q4_0"})
    public String type;

    int T;
    QuantizedMatrix q;
    PackedMatrix f32;
    float[] x;
    float[] out;

    @Setup
    public void setup() {
        String[] p = qshape.split("x");
        T = Integer.parseInt(p[0]);
        int C = Integer.parseInt(p[1]);
        int OC = Integer.parseInt(p[2]);
        DType t = DType.valueOf(type);
        Random r = new Random(2);
        byte[] raw = new byte[(int) (OC * t.byteSize(C))];
        r.nextBytes(raw);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < raw.length; at += t.blockBytes()) {
            b.putShort(at, Float.floatToFloat16(0.01f));
        }
        q = new QuantizedMatrix(t, OC, C, java.lang.foreign.MemorySegment.ofArray(raw));
        f32 = PackedMatrix.pack(C, OC, (c, o) -> r.nextFloat() - 0.5f);
        x = new float[T * C];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        out = new float[T * OC];
    }

    @Benchmark
    public float[] quantized() {
        vector.matmulQuantized(x, T, q, null, out, 0, q.rows());
        return out;
    }

    @Benchmark
    @Measurement(iterations = 2, time = 1)
    @Warmup(iterations = 1, time = 1)
    public float[] quantizedScalar() {
        scalar.matmulQuantized(x, T, q, null, out, 0, q.rows());
        return out;
    }

    @Benchmark
    public float[] quantizedAsF32() {
        vector.matmul(x, T, f32, null, out, 0, f32.panels());
        return out;
    }
}
