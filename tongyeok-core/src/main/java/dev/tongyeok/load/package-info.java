/** Finding a model's files: built-in models on the classpath, model directories, tokenizer.json files. */
package dev.tongyeok.load;
