/**
 * The HTTP API: OpenAI's {@code /v1/embeddings}, HuggingFace text-embeddings-inference's routes,
 * Ollama's {@code /api/embed}, tongyeok's own {@code /inspect}, and Prometheus {@code /metrics},
 * over the engine in {@code dev.tongyeok.embed}. {@link dev.tongyeok.server.EmbeddingServer} is the
 * public entry; concurrent requests are tokenized on their own threads and their encoder work is
 * batched by token budget in {@link dev.tongyeok.server.Batcher}.
 */
package dev.tongyeok.server;
