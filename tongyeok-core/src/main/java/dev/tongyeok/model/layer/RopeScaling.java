package dev.tongyeok.model.layer;

/**
 * Rotary frequency scaling, as config.json's {@code rope_scaling} gives it.
 *
 * @param type {@code linear} (positions divided by factor), {@code llama3} (low frequencies
 *     divided by factor, high ones kept, the band between blended) or {@code ntk} (fixed NTK-aware
 *     scaling, GTE's: the base times factor, every frequency then divided by factor^(2/D))
 * @param factor the scaling factor
 * @param low_freq_factor llama3: wavelengths beyond original / low_freq_factor are scaled
 * @param high_freq_factor llama3: wavelengths below original / high_freq_factor are kept
 * @param original_max_position_embeddings llama3: the context the model was trained on
 */
public record RopeScaling(String type, double factor, double low_freq_factor, double high_freq_factor,
        int original_max_position_embeddings) {}
