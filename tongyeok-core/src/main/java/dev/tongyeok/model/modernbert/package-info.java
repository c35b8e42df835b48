/**
 * ModernBERT ({@code modernbert}; GGUF {@code modern-bert}): modernbert-embed-base,
 * gte-modernbert-base, granite-embedding-english-r2. Pre-norm layers without biases, rotary
 * positions, local (sliding-window) and global attention alternating, a GeGLU feed-forward and a
 * final norm.
 *
 * <p>Dimension legend: T rows of a packed batch, C {@code hidden_size}, H {@code num_attention_heads},
 * D head size (C / H), I {@code intermediate_size} (the fused {@code Wi} has 2I rows).
 */
package dev.tongyeok.model.modernbert;
