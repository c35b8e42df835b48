/** Pre-tokenizers, one per tokenizer.json {@code pre_tokenizer.type}: they cut normalized text into the pieces the model sees. */
package dev.tongyeok.tokenize.pretokenize;
