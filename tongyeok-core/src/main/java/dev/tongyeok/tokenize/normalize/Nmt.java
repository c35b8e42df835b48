package dev.tongyeok.tokenize.normalize;

import dev.tongyeok.tokenize.NormalizedString;
import dev.tongyeok.tokenize.Normalizer;

/** SentencePiece's NMT cleanup: drops some control characters and maps others to spaces, as HF's {@code Nmt}. */
public record Nmt() implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        s.filter(c -> !((c >= 0x1 && c <= 0x8) || c == 0xB || (c >= 0xE && c <= 0x1F) || c == 0x7F || c == 0x8F
                || c == 0x9F));
        s.map(c -> switch (c) {
            case 0x9, 0xA, 0xC, 0xD, 0x1680, 0x2028, 0x2029, 0x2581, 0xFEFF, 0xFFFD -> ' ';
            default -> c >= 0x200B && c <= 0x200F ? ' ' : c;
        });
    }
}
