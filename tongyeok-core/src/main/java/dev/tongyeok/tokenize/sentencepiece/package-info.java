/**
 * SentencePiece's own model files ({@code tokenizer.model}, {@code sentencepiece.bpe.model},
 * {@code spiece.model}): the protobuf read, and the tokenizer it describes assembled from the
 * tokenizer components, with SentencePiece's rules for whitespace, user-defined and control pieces.
 */
package dev.tongyeok.tokenize.sentencepiece;
