/** Decoders, one per tokenizer.json {@code decoder.type}: tokens back to text. */
package dev.tongyeok.tokenize.decode;
