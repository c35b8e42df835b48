package dev.tongyeok.spark;

import dev.tongyeok.embed.Embedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models loaded in this JVM, one per SPEC: every task of an executor shares one memory-mapped
 * copy of the weights (an {@link Embedder} is thread-safe), loaded by the first task that needs it.
 */
final class Models {
    private Models() {}

    private static final Map<String, Embedder> LOADED = new ConcurrentHashMap<>();

    static Embedder get(String spec) {
        return LOADED.computeIfAbsent(spec, s -> {
            try {
                return Embedder.load(s);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load model " + s + " on this executor: " + e.getMessage(), e);
            }
        });
    }
}
