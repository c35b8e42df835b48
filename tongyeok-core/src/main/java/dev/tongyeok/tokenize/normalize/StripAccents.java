package dev.tongyeok.tokenize.normalize;

import dev.tongyeok.tokenize.NormalizedString;
import dev.tongyeok.tokenize.Normalizer;
import dev.tongyeok.tokenize.unicode.Ucd;

/**
 * Drops combining marks (Mn, Mc, Me in Unicode 9.0), as HF's {@code StripAccents}; meant to follow
 * an NFD or NFKD normalizer.
 */
public record StripAccents() implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        s.filter(c -> {
            int gc = Ucd.generalCategory9(c);
            return gc != Character.NON_SPACING_MARK && gc != Character.COMBINING_SPACING_MARK
                    && gc != Character.ENCLOSING_MARK;
        });
    }
}
