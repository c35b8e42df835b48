/**
 * Cross-encoders: a query and a document read together by one encoder, scored by the model's
 * classification head ({@code BertForSequenceClassification}, {@code XLMRobertaForSequenceClassification},
 * a GGUF's {@code cls} tensors), for retrieve-then-rerank.
 */
package dev.tongyeok.rerank;
