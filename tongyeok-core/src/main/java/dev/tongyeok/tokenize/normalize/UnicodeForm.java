package dev.tongyeok.tokenize.normalize;

import dev.tongyeok.tokenize.NormalizedString;
import dev.tongyeok.tokenize.Normalizer;
import dev.tongyeok.tokenize.unicode.UnicodeNormalizer;

/**
 * One Unicode normalization form, as HF's {@code NFC}, {@code NFD}, {@code NFKC} and {@code NFKD}
 * normalizers (Unicode 9.0 tables, as HF's).
 */
public record UnicodeForm(UnicodeNormalizer.Form form) implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        s.normalize(form);
    }
}
