package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.unicode.Ucd;

/** Character classes the pre-tokenizers share, with HF's definitions and Unicode versions. */
final class CharClasses {
    private CharClasses() {}

    /** ASCII punctuation or a Unicode 8.0 punctuation category, as HF's {@code is_bert_punc} / {@code is_punc}. */
    static boolean isPunctuation(int c) {
        if (c < 0x80) {
            return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60)
                    || (c >= 0x7B && c <= 0x7E);
        }
        return switch (Ucd.generalCategory8(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** Rust's {@code char::is_numeric}: any N category, Unicode 17.0. */
    static boolean isNumeric(int c) {
        if (c < 0x80) {
            return c >= '0' && c <= '9';
        }
        return Ucd.isNumeric17(c);
    }
}
