package dev.tongyeok.tokenize.normalize;

import dev.tongyeok.tokenize.NormalizedString;
import dev.tongyeok.tokenize.Normalizer;
import dev.tongyeok.tokenize.unicode.CharChanges;
import dev.tongyeok.tokenize.unicode.Ucd;
import dev.tongyeok.tokenize.unicode.UnicodeNormalizer;

/**
 * BERT's text cleaning, as HF's {@code BertNormalizer}: drops NUL, U+FFFD and control/format/
 * private-use characters and turns whitespace into spaces ({@code clean_text}), puts spaces around
 * CJK ideographs ({@code handle_chinese_chars}), strips accents (NFD, then drops non-spacing marks;
 * by default when lowercasing) and lowercases. Character categories are Unicode 8.0's, as HF's.
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, Boolean stripAccents, boolean lowercase)
        implements Normalizer {

    @Override
    public void normalize(NormalizedString s) {
        if (cleanText) {
            s.filter(c -> !(c == 0 || c == 0xFFFD || isControl(c)));
            s.map(c -> isWhitespace(c) ? ' ' : c);
        }
        if (handleChineseChars) {
            String t = s.get();
            boolean any = false;
            for (int i = 0; i < t.length(); ) {
                int c = t.codePointAt(i);
                if (isChineseChar(c)) {
                    any = true;
                    break;
                }
                i += Character.charCount(c);
            }
            if (any) {
                CharChanges out = new CharChanges(t.length() + 16);
                for (int i = 0; i < t.length(); ) {
                    int c = t.codePointAt(i);
                    i += Character.charCount(c);
                    if (isChineseChar(c)) {
                        out.add(' ', 0);
                        out.add(c, 1);
                        out.add(' ', 1);
                    } else {
                        out.add(c, 0);
                    }
                }
                s.transform(out, 0);
            }
        }
        if (stripAccents == null ? lowercase : stripAccents) {
            if (!isAscii(s.get())) {
                s.normalize(UnicodeNormalizer.Form.NFD);
                s.filter(c -> Ucd.generalCategory8(c) != Character.NON_SPACING_MARK);
            }
        }
        if (lowercase) {
            s.lowercase();
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Whitespace as BERT sees it: tab, newline, carriage return and Unicode White_Space. */
    static boolean isWhitespace(int c) {
        return c == '\t' || c == '\n' || c == '\r' || Ucd.isWhitespace(c);
    }

    /** Control as BERT sees it: Cc, Cf or Co in Unicode 8.0, except tab, newline and carriage return. */
    static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int gc = Ucd.generalCategory8(c);
        return gc == Character.CONTROL || gc == Character.FORMAT || gc == Character.PRIVATE_USE;
    }

    /** The CJK ideograph blocks BERT pads with spaces. */
    static boolean isChineseChar(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
