/**
 * What a model family supplies ({@link dev.tongyeok.model.family.ModelFamily}): its names in
 * config.json and GGUF, its configuration readers, its GGUF tensor layout and its layer builder.
 * The family packages ({@code bert}, {@code llama}, …) implement it; the registry
 * ({@code dev.tongyeok.model.registry}) lists them.
 */
package dev.tongyeok.model.family;
