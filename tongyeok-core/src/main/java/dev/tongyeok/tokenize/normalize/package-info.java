/** Normalizers, one per tokenizer.json {@code normalizer.type}: they rewrite text and keep its alignments. */
package dev.tongyeok.tokenize.normalize;
