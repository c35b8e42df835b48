/**
 * EmbeddingGemma ({@code gemma3_text} with bidirectional attention; GGUF {@code gemma-embedding}):
 * Gemma 3 layers (RMSNorms before and after each block, query and key norms, GELU-gated
 * feed-forward, embeddings scaled by √C) attending both ways, in a sliding window on five layers of
 * six, with a rotary base per kind of layer.
 *
 * <p>Dimension legend: T rows of a packed batch, C {@code hidden_size}, H {@code num_attention_heads},
 * KV {@code num_key_value_heads}, D {@code head_dim}, I {@code intermediate_size}.
 */
package dev.tongyeok.model.gemma;
