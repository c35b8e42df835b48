/**
 * Text to tokens, exactly as HuggingFace {@code tokenizers} 0.21 cuts it: {@link
 * dev.tongyeok.tokenize.Tokenizer} runs added-token matching, the {@link
 * dev.tongyeok.tokenize.Normalizer}, the {@link dev.tongyeok.tokenize.PreTokenizer}, the {@link
 * dev.tongyeok.tokenize.Model} and the {@link dev.tongyeok.tokenize.PostProcessor}, and gives an
 * {@link dev.tongyeok.tokenize.Encoding}.
 *
 * <p>Units: inside the pipeline every offset is a UTF-16 index (a Java {@code char} position); a
 * {@link dev.tongyeok.tokenize.NormalizedString} aligns each normalized unit to the span of
 * original text it came from. {@link dev.tongyeok.tokenize.Encoding#codePointOffsets()} converts
 * to code points, the unit HF's Python binding and JSON Lines output use.
 *
 * <p>Sub-packages follow the pipeline, one class per tokenizer.json {@code "type"}: {@code
 * normalize}, {@code pretokenize}, {@code model}, {@code process}, {@code decode}; {@code json}
 * maps the types to classes; {@code unicode} holds the character data at the Unicode versions HF
 * uses.
 */
package dev.tongyeok.tokenize;
