/**
 * Models by name: the Hugging Face Hub's download protocol and its cache, shared with Python's
 * {@code huggingface_hub} ({@link dev.tongyeok.hub.HubClient}, {@link dev.tongyeok.hub.HubCache}),
 * and the models an Ollama install already holds ({@link dev.tongyeok.hub.OllamaStore}). Depends on
 * the JDK and Jackson only; {@code dev.tongyeok.resolve} decides what a name means.
 */
package dev.tongyeok.hub;
