/** GPT-2's forward pass: learned positions, pre-norm LayerNorm, fused {@code c_attn}, tanh GELU. */
package dev.tongyeok.model.gpt2;
