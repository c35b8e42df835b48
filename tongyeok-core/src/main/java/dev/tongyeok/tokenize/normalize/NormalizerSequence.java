package dev.tongyeok.tokenize.normalize;

import dev.tongyeok.tokenize.NormalizedString;
import dev.tongyeok.tokenize.Normalizer;
import java.util.List;

/** Several normalizers applied in order, as HF's normalizer {@code Sequence}. */
public record NormalizerSequence(List<Normalizer> normalizers) implements Normalizer {
    /** Keeps an immutable copy. */
    public NormalizerSequence {
        normalizers = List.copyOf(normalizers);
    }

    @Override
    public void normalize(NormalizedString s) {
        for (Normalizer n : normalizers) {
            n.normalize(s);
        }
    }
}
