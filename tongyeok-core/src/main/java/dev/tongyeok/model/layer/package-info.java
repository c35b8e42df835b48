/**
 * The building blocks of transformer models, named after their PyTorch modules ({@code Linear},
 * {@code LayerNorm}, {@code EmbeddingTable}). Each reads its tensors from a
 * {@link dev.tongyeok.load.WeightSource} by checkpoint name.
 *
 * <p>Dimension legend: T tokens (rows of a packed batch), C channels, V vocabulary rows.
 */
package dev.tongyeok.model.layer;
