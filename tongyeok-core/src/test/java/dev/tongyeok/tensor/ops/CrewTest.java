package dev.tongyeok.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The crew's hand-offs: every part runs once, on its own thread, a part's failure reaches the caller
 * without breaking the crew, a taken crew says so instead of waiting, and products split through it
 * (or, for callers who find it taken, through the pool) keep the single-thread product's bits.
 */
class CrewTest {
    @Test
    void everyPartRunsOnceAndPartZeroOnTheCaller() {
        Crew crew = new Crew(3);
        for (int round = 0; round < 2_000; round++) {
            int parts = 1 + round % 4;
            AtomicIntegerArray ran = new AtomicIntegerArray(parts);
            Thread[] on = new Thread[parts];
            assertTrue(crew.run(parts, i -> {
                ran.incrementAndGet(i);
                on[i] = Thread.currentThread();
            }));
            for (int i = 0; i < parts; i++) {
                assertEquals(1, ran.get(i), "part " + i + " of " + parts);
            }
            assertEquals(Thread.currentThread(), on[0]);
            for (int i = 1; i < parts; i++) {
                assertTrue(on[i] != Thread.currentThread() && on[i].getName().startsWith("tongyeok-crew-"), on[i].getName());
            }
        }
        assertFalse(crew.run(5, i -> {}), "more parts than helpers + 1");
    }

    @Test
    void aFailingPartReachesTheCallerAfterTheOthersEnd() throws InterruptedException {
        Crew crew = new Crew(1);
        AtomicInteger finished = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> crew.run(2, i -> {
            if (i == 1) {
                throw new IllegalStateException("part 1");
            }
            finished.incrementAndGet();
        }));
        assertEquals("part 1", e.getMessage());
        assertEquals(1, finished.get());
        // After a pause long enough for the helper to park, the crew still works.
        Thread.sleep(50);
        AtomicInteger sum = new AtomicInteger();
        assertTrue(crew.run(2, sum::addAndGet));
        assertEquals(1, sum.get());
    }

    @Test
    void aTakenCrewSaysSoInsteadOfWaiting() {
        Crew crew = new Crew(1);
        boolean[] inner = new boolean[1];
        assertTrue(crew.run(2, i -> {
            if (i == 0) {
                inner[0] = crew.run(2, j -> {});
            }
        }));
        assertFalse(inner[0]);
    }

    @Test
    void splitProductsKeepTheirBitsUnderConcurrentCallers() throws Exception {
        Random r = new Random(3);
        TensorOps ops = Ops.get();
        PackedMatrix w = PackedMatrix.pack(384, 1152, (c, o) -> (float) r.nextGaussian());
        float[] bias = new float[1152];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) r.nextGaussian();
        }
        int T = 12;
        float[][] xs = new float[16][T * 384];
        float[][] expected = new float[xs.length][T * 1152];
        for (int k = 0; k < xs.length; k++) {
            for (int i = 0; i < xs[k].length; i++) {
                xs[k][i] = (float) r.nextGaussian();
            }
            ops.matmul(xs[k], T, w, bias, expected[k], 0, w.panels()); // one thread, all panels
        }
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                done.add(callers.submit(() -> {
                    for (int round = 0; round < 50; round++) {
                        for (int k = 0; k < xs.length; k++) {
                            float[] out = new float[T * 1152];
                            Ops.matmul(ops, xs[k], T, w, bias, out);
                            assertArrayEquals(expected[k], out);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            callers.shutdown();
        }
    }
}
