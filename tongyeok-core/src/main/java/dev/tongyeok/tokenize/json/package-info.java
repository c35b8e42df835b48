/** Reading tokenizer.json: the one place that maps a component's {@code "type"} to its class. */
package dev.tongyeok.tokenize.json;
