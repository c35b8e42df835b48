/**
 * MPNet ({@code mpnet}): all-mpnet-base-v2, multi-qa-mpnet-base-dot-v1 and the other
 * sentence-transformers models on it. BERT's post-norm layers with RoBERTa's positions and a
 * learned relative-position bias, in 32 log-spaced buckets, added to every layer's attention
 * scores. llama.cpp does not run it; the tests check it against the reference formulas.
 *
 * <p>Dimension legend: T rows of a packed batch, Ts rows of one sequence, C {@code hidden_size},
 * H {@code num_attention_heads}, D head size (C / H), I {@code intermediate_size}.
 */
package dev.tongyeok.model.mpnet;
