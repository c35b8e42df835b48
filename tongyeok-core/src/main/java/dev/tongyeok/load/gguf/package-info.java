/**
 * GGUF, the file format of llama.cpp and Ollama: the memory-mapped reader, its tensors under
 * HuggingFace checkpoint names, its metadata as a model configuration and as a tokenizer.
 */
package dev.tongyeok.load.gguf;
