/** Post-processors, one per tokenizer.json {@code post_processor.type}: the model's special tokens around one or two sequences. */
package dev.tongyeok.tokenize.process;
