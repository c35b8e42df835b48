/** Character data and normalization at the Unicode versions HF tokenizers answers each question with. */
package dev.tongyeok.tokenize.unicode;
