/**
 * NomicBERT ({@code nomic_bert}; GGUF {@code nomic-bert}): nomic-embed-text v1 and v1.5. BERT's
 * post-norm layers with rotary positions instead of a position table, one fused QKV projection and
 * a SwiGLU feed-forward, without biases.
 *
 * <p>Dimension legend: T rows of a packed batch, C {@code n_embd}, H {@code n_head}, D head size
 * (C / H), I {@code n_inner}.
 */
package dev.tongyeok.model.nomic;
