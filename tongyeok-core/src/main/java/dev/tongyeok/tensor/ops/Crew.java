package dev.tongyeok.tensor.ops;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Helper threads that one caller at a time hands the parts of a split product to, in about a
 * microsecond. A fork/join hand-off wakes a parked worker and costs 13–18 µs for the round trip on
 * the 2-core benchmark machine; a short text's forward pass makes 30 of them, a sixth of its time.
 * A helper here spins for {@link #SPIN_NANOS} after each part before it parks, so the next product
 * of the same pass finds it awake; the caller spins as long while waiting, then parks.
 *
 * <p>Whoever finds the crew taken (another caller, or a part of the crew's own work that splits
 * again) is told so and uses the fork/join pool instead: the crew never waits for itself.
 */
final class Crew {
    /** How long a helper stays awake for the next part, and a caller spins before it parks. */
    static final long SPIN_NANOS = 50_000;

    private final Helper[] helpers;
    private final AtomicBoolean taken = new AtomicBoolean();

    Crew(int helpers) {
        this.helpers = new Helper[helpers];
        for (int i = 0; i < helpers; i++) {
            this.helpers[i] = new Helper("tongyeok-crew-" + i);
        }
    }

    /** Whether the calling thread is one of a crew's helpers. */
    static boolean isHelper() {
        return Thread.currentThread() instanceof Helper;
    }

    /**
     * Runs {@code part} for 1 … parts − 1 on the helpers and for 0 on the calling thread, and returns
     * true when all are done; false at once, with nothing run, when the crew is taken or has fewer
     * than parts − 1 helpers. A part's exception is rethrown here once every part has ended.
     */
    boolean run(int parts, IntConsumer part) {
        if (parts - 1 > helpers.length || !taken.compareAndSet(false, true)) {
            return false;
        }
        try {
            for (int i = 1; i < parts; i++) {
                helpers[i - 1].post(i, part);
            }
            Throwable failure = null;
            try {
                part.accept(0);
            } catch (Throwable t) {
                failure = t;
            }
            for (int i = 1; i < parts; i++) {
                Throwable t = helpers[i - 1].await();
                if (failure == null) {
                    failure = t;
                }
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return true;
        } finally {
            taken.set(false);
        }
    }

    private static final class Helper extends Thread {
        private volatile IntConsumer task; // set by the caller, cleared by the helper when it starts
        private int index;
        private Throwable failure;
        private volatile boolean done = true;
        private volatile Thread waiter; // a caller parked in await

        Helper(String name) {
            super(name);
            setDaemon(true);
            start();
        }

        void post(int i, IntConsumer part) {
            index = i;
            failure = null;
            done = false;
            task = part; // the volatile write publishes index, failure and done
            LockSupport.unpark(this);
        }

        /** Waits for the posted part; its exception, or null. */
        Throwable await() {
            long until = System.nanoTime() + SPIN_NANOS;
            while (!done && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            if (!done) {
                waiter = Thread.currentThread();
                while (!done) {
                    LockSupport.park(this);
                }
                waiter = null;
            }
            return failure;
        }

        @Override
        public void run() {
            while (true) {
                IntConsumer t = task;
                if (t == null) {
                    long until = System.nanoTime() + SPIN_NANOS;
                    while ((t = task) == null && System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    if (t == null) {
                        LockSupport.park(this);
                        continue;
                    }
                }
                task = null;
                try {
                    t.accept(index);
                } catch (Throwable e) {
                    failure = e;
                }
                done = true; // publishes failure
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }
    }
}
