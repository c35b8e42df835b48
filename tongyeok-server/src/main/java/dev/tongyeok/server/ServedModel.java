package dev.tongyeok.server;

import dev.tongyeok.embed.Embedder;
import dev.tongyeok.rerank.Reranker;

/**
 * One model the server serves: its name in requests' {@code model} field, the engine, the input
 * limit that applies to it, its batcher (null when batching is off), and the cross-encoder over it
 * when the model has a one-label classification head (null otherwise: an embedding model).
 */
record ServedModel(String name, Embedder embedder, int maxInputTokens, Batcher batcher, Reranker reranker) {
    /** An embedding model. */
    ServedModel(String name, Embedder embedder, int maxInputTokens, Batcher batcher) {
        this(name, embedder, maxInputTokens, batcher, null);
    }
}
