/**
 * The registry of model families: the one place that maps a {@code model_type}, a GGUF
 * architecture or a configuration to the family package that reads and builds it. Nothing below
 * this package depends on it.
 */
package dev.tongyeok.model.registry;
