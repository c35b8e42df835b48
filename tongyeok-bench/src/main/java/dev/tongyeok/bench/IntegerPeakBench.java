package dev.tongyeok.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: how fast int8 arithmetic can go through the Vector API, to set against
 * {@link KernelBench#fmaPeak}. The API has no integer dot product (the instruction that makes int8
 * fast in native code, VPDPBUSD, is out of its reach), so the best route is int8 values held in
 * int16 lanes: two products summed in int16 (127 · 127 · 2 still fits), widened to int32 and
 * added to the accumulators. Operands stay in registers (no loads, no broadcasts), so this is a
 * ceiling for any int8 matrix kernel written with the API. {@link KernelBench#main} reports it.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IntegerPeakBench {
    static final VectorSpecies<Short> SS = ShortVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED;
    static final int STEPS = 4096;
    /** Multiply-adds per call of {@link #int8AsInt16Pairs}: per step, four pairs of products in every int16 lane. */
    static final long MACS = 4L * 2 * SS.length() * STEPS;

    short seed = 3;

    @Benchmark
    public int int8AsInt16Pairs() {
        ShortVector w0 = ShortVector.broadcast(SS, (short) (seed + 1));
        ShortVector w1 = ShortVector.broadcast(SS, (short) (seed + 2));
        ShortVector w2 = ShortVector.broadcast(SS, (short) (seed + 3));
        ShortVector w3 = ShortVector.broadcast(SS, (short) (seed + 4));
        ShortVector x0 = ShortVector.broadcast(SS, (short) 5);
        ShortVector x1 = ShortVector.broadcast(SS, (short) 7);
        IntVector a0 = IntVector.zero(SI), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int i = 0; i < STEPS; i++) {
            ShortVector p0 = w0.mul(x0).add(w1.mul(x1));
            ShortVector p1 = w2.mul(x0).add(w3.mul(x1));
            ShortVector p2 = w1.mul(x0).add(w2.mul(x1));
            ShortVector p3 = w3.mul(x0).add(w0.mul(x1));
            a0 = a0.add(p0.convertShape(VectorOperators.S2I, SI, 0));
            a1 = a1.add(p0.convertShape(VectorOperators.S2I, SI, 1));
            a2 = a2.add(p1.convertShape(VectorOperators.S2I, SI, 0));
            a3 = a3.add(p1.convertShape(VectorOperators.S2I, SI, 1));
            a4 = a4.add(p2.convertShape(VectorOperators.S2I, SI, 0));
            a5 = a5.add(p2.convertShape(VectorOperators.S2I, SI, 1));
            a6 = a6.add(p3.convertShape(VectorOperators.S2I, SI, 0));
            a7 = a7.add(p3.convertShape(VectorOperators.S2I, SI, 1));
            x0 = x0.add((short) 1); // the inputs change, so the loop cannot be folded away
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).lane(0);
    }
}
