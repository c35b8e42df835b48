package dev.tongyeok.server;

import dev.tongyeok.embed.Embedder;

/**
 * One model the server serves: its name in requests' {@code model} field, the engine, the input
 * limit that applies to it, and its batcher (null when batching is off).
 */
record ServedModel(String name, Embedder embedder, int maxInputTokens, Batcher batcher) {
}
