/**
 * The public facade: {@link dev.tongyeok.embed.Embedder} turns texts into vectors with a model's
 * own tokenizer and weights; {@link dev.tongyeok.embed.Inspection} keeps every matrix of one
 * forward pass for people to look at.
 */
package dev.tongyeok.embed;
