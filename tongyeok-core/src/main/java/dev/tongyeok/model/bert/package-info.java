/**
 * The BERT encoder (HF transformers' {@code BertModel}), fed with packed batches.
 *
 * <p>Dimension legend: T rows of a packed batch, Ts rows of one sequence, C {@code hidden_size},
 * H {@code num_attention_heads}, D head size (C / H), I {@code intermediate_size}.
 */
package dev.tongyeok.model.bert;
