/**
 * The Llama family's forward pass (pre-norm RMSNorm, rotary positions, grouped-query causal
 * attention, SwiGLU), which Qwen2 and Qwen3 share with their query/key biases and norms.
 */
package dev.tongyeok.model.llama;
