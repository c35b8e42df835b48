package dev.tongyeok.server;

import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.embed.EncodedInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching for one model: requests put their tokenized inputs in a queue; one dispatcher
 * per core takes its share of what is waiting (at most {@code maxBatchTokens} tokens) and runs it as
 * one encoder pass, while new requests queue up behind. Under load each pass runs on one core and
 * the cores work on different passes (the way the library embeds many texts); a pass that finds the
 * server otherwise idle spreads its matrix products over every core instead, for latency. A request with many inputs is split across passes and joined back in order;
 * the engine's packed batches carry no padding, so mixing lengths wastes nothing and no sorting by
 * length is needed, and each input's vector is the same whatever shares its pass.
 */
final class Batcher implements AutoCloseable {
    private final String model;
    private final Embedder embedder;
    private final int maxBatchTokens;
    private final Metrics metrics;
    private final ArrayDeque<Item> queue = new ArrayDeque<>(); // guarded by lock
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nonEmpty = lock.newCondition();
    private final List<Thread> dispatchers = new ArrayList<>();
    private final int workers = dev.tongyeok.tensor.ops.Ops.POOL.getParallelism();
    private int queuedTokens; // guarded by lock
    private int active;       // passes running, guarded by lock
    private volatile boolean closing;

    /** One request's inputs and where their results go. */
    private static final class Job {
        final Embedding[] results;
        final AtomicInteger remaining;
        final CompletableFuture<List<Embedding>> future = new CompletableFuture<>();

        Job(int n) {
            results = new Embedding[n];
            remaining = new AtomicInteger(n);
        }

        void deliver(int index, Embedding e) {
            results[index] = e;
            if (remaining.decrementAndGet() == 0) {
                future.complete(Arrays.asList(results));
            }
        }
    }

    private record Item(Job job, int index, EncodedInput input) {
    }

    Batcher(String model, Embedder embedder, int maxBatchTokens, Metrics metrics) {
        this.model = model;
        this.embedder = embedder;
        this.maxBatchTokens = maxBatchTokens;
        this.metrics = metrics;
        metrics.queue(model, this::queued);
        for (int w = 0; w < workers; w++) {
            dispatchers.add(Thread.ofPlatform().name("tongyeok-batcher-" + model + "-" + w).daemon().start(this::dispatch));
        }
    }

    /**
     * Queues one request's inputs; the future completes with their results in order. Cancelling the
     * future drops the inputs not yet run.
     */
    CompletableFuture<List<Embedding>> submit(List<EncodedInput> inputs) {
        Job job = new Job(inputs.size());
        if (inputs.isEmpty()) {
            job.future.complete(List.of());
            return job.future;
        }
        lock.lock();
        try { // all of a request's inputs at once, so a pass never starts between them needlessly
            if (closing) {
                job.future.completeExceptionally(new ApiException(ApiException.Kind.NOT_READY,
                        "the server is shutting down"));
                return job.future;
            }
            for (int i = 0; i < inputs.size(); i++) {
                queue.add(new Item(job, i, inputs.get(i)));
                queuedTokens += inputs.get(i).encoding().length();
            }
            nonEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        return job.future;
    }

    private void dispatch() {
        List<Item> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            boolean alone;
            lock.lock();
            try {
                while (queue.isEmpty()) {
                    if (closing) {
                        return;
                    }
                    nonEmpty.await(50, TimeUnit.MILLISECONDS);
                }
                // This dispatcher's share of what waits, at least one library-sized batch, at most the
                // budget; a longer single input still goes alone.
                int share = Math.max(Embedder.TOKEN_BUDGET, (queuedTokens + workers - 1) / workers);
                int cap = Math.min(maxBatchTokens, share);
                int tokens = 0;
                for (Item next; (next = queue.peek()) != null
                        && (batch.isEmpty() || tokens + next.input().encoding().length() <= cap); ) {
                    batch.add(queue.poll());
                    tokens += next.input().encoding().length();
                }
                queuedTokens -= tokens;
                alone = active == 0 && queue.isEmpty();
                active++;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                batch.removeIf(item -> item.job().future.isDone()); // timed out or failed: drop the rest
                if (!batch.isEmpty()) {
                    run(batch, alone);
                }
            } finally {
                lock.lock();
                try {
                    active--;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void run(List<Item> batch, boolean alone) {
        List<EncodedInput> inputs = new ArrayList<>(batch.size());
        int tokens = 0;
        for (Item item : batch) {
            inputs.add(item.input());
            tokens += item.input().encoding().length();
        }
        long t0 = System.nanoTime();
        List<Embedding> out = null;
        Throwable failure = null;
        try {
            // Alone: this thread's pass splits its products over the cores. Otherwise the pass runs
            // inside the compute pool, on one core, beside the other dispatchers' passes.
            out = alone ? embedder.embedEncoded(inputs)
                    : dev.tongyeok.tensor.ops.Ops.POOL.submit(() -> embedder.embedEncoded(inputs)).join();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // Counted before the results go out: a client that reads /metrics after its answer sees its batch.
        metrics.batchInputs.labelValues(model).observe(batch.size());
        metrics.batchTokens.labelValues(model).observe(tokens);
        metrics.batchSeconds.labelValues(model).observe((System.nanoTime() - t0) / 1e9);
        for (int i = 0; i < batch.size(); i++) {
            if (failure != null) {
                batch.get(i).job().future.completeExceptionally(failure);
            } else {
                batch.get(i).job().deliver(batch.get(i).index(), out.get(i));
            }
        }
    }

    /** Inputs waiting for a pass. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new work, finishes what is queued, and stops the dispatcher. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            nonEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            for (Thread t : dispatchers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
