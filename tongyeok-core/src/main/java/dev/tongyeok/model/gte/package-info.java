/**
 * GTE's {@code NewModel} ({@code model_type: new}): Alibaba-NLP/gte-base-en-v1.5,
 * gte-large-en-v1.5, gte-multilingual-base. BERT's post-norm layers with rotary positions (NTK-aware
 * scaling), one fused QKV projection and a gated GELU feed-forward. llama.cpp does not run it;
 * the tests check it against the reference formulas.
 *
 * <p>Dimension legend: T rows of a packed batch, C {@code hidden_size}, H {@code num_attention_heads},
 * D head size (C / H), I {@code intermediate_size}.
 */
package dev.tongyeok.model.gte;
