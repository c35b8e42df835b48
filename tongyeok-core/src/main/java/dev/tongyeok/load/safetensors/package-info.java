/** HuggingFace's safetensors format, memory-mapped: one file, or shards listed by an index. */
package dev.tongyeok.load.safetensors;
