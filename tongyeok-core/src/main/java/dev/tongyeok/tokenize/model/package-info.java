/** Tokenization models (WordPiece, BPE, Unigram, WordLevel): one piece of text to vocabulary tokens, offsets in UTF-16 units of the piece. */
package dev.tongyeok.tokenize.model;
