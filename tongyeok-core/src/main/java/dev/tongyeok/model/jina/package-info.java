/**
 * JinaBERT v2 ({@code model_type: bert} with {@code architectures: JinaBertModel}; GGUF
 * {@code jina-bert-v2}): jina-embeddings-v2-small/base-en, -de, -zh, -code. BERT's post-norm layers
 * with ALiBi instead of a position table (8,192 tokens) and a gated GELU feed-forward.
 *
 * <p>Dimension legend: T rows of a packed batch, C {@code hidden_size}, H
 * {@code num_attention_heads}, D head size (C / H), I {@code intermediate_size}.
 */
package dev.tongyeok.model.jina;
