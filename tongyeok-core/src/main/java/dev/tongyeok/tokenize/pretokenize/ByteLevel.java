package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.Decoder;
import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.NormalizedString;
import dev.tongyeok.tokenize.Normalizer;
import dev.tongyeok.tokenize.PostProcessor;
import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.SplitBehavior;
import dev.tongyeok.tokenize.SplitPattern;
import dev.tongyeok.tokenize.unicode.Ucd;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2's byte-level scheme, as HF's {@code ByteLevel}: as a pre-tokenizer it optionally adds a
 * leading space, splits with GPT-2's regex and maps every UTF-8 byte to a printable character; as
 * a decoder it maps them back (invalid UTF-8 becomes U+FFFD); as a post-processor it trims the
 * offsets of leading and trailing spaces ({@code trim_offsets}).
 */
public record ByteLevel(boolean addPrefixSpace, boolean trimOffsets, boolean useRegex)
        implements PreTokenizer, Decoder, PostProcessor, Normalizer {

    private static final SplitPattern GPT2 = SplitPattern.ofRegex(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[0x200];
    private static final char SPACE_CHAR;

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + n++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
        SPACE_CHAR = BYTE_TO_CHAR[' '];
    }

    /** The printable character standing for byte {@code b}. */
    public static char byteChar(int b) {
        return BYTE_TO_CHAR[b & 0xff];
    }

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.split(n -> {
            if (addPrefixSpace && !n.get().startsWith(" ")) {
                n.prepend(" ");
            }
            return useRegex ? n.split(GPT2, SplitBehavior.ISOLATED) : List.of(n);
        });
        s.normalize(ByteLevel::toBytes);
    }

    /** As a normalizer: every UTF-8 byte becomes its printable character, as HF's ByteLevel normalizer. */
    @Override
    public void normalize(NormalizedString n) {
        toBytes(n);
    }

    private static void toBytes(NormalizedString n) {
        if (!n.mapUnitsIfBelow(BYTE_TO_CHAR, 0x80)) { // ASCII: one byte per character, alignments unchanged
            n.expandEach(ByteLevel::bytesOf);
        }
    }

    // the printable characters of the UTF-8 bytes of `c`
    private static String bytesOf(int c) {
        if (c < 0x80) {
            return String.valueOf(BYTE_TO_CHAR[c]);
        }
        if (c < 0x800) {
            return new String(new char[] {BYTE_TO_CHAR[0xC0 | (c >> 6)], BYTE_TO_CHAR[0x80 | (c & 0x3F)]});
        }
        if (c < 0x10000) {
            return new String(new char[] {BYTE_TO_CHAR[0xE0 | (c >> 12)], BYTE_TO_CHAR[0x80 | ((c >> 6) & 0x3F)],
                BYTE_TO_CHAR[0x80 | (c & 0x3F)]});
        }
        return new String(new char[] {BYTE_TO_CHAR[0xF0 | (c >> 18)], BYTE_TO_CHAR[0x80 | ((c >> 12) & 0x3F)],
            BYTE_TO_CHAR[0x80 | ((c >> 6) & 0x3F)], BYTE_TO_CHAR[0x80 | (c & 0x3F)]});
    }

    @Override
    public List<String> decodeChain(List<String> tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String t : tokens) {
            boolean all = true;
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c >= CHAR_TO_BYTE.length || CHAR_TO_BYTE[c] < 0) {
                    all = false;
                    break;
                }
            }
            if (all) {
                for (int i = 0; i < t.length(); i++) {
                    bytes.write(CHAR_TO_BYTE[t.charAt(i)]);
                }
            } else {
                bytes.writeBytes(t.getBytes(StandardCharsets.UTF_8));
            }
        }
        return List.of(Utf8.decodeLossy(bytes.toByteArray()));
    }

    @Override
    public int addedTokens(boolean pair) {
        return 0;
    }

    @Override
    public List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens) {
        if (!trimOffsets) {
            return encodings;
        }
        List<Encoding> out = new ArrayList<>(encodings.size());
        for (Encoding e : encodings) {
            out.add(trim(e, addPrefixSpace));
        }
        return out;
    }

    /**
     * HF's {@code process_offsets}: offsets leave out leading and trailing spaces of each token.
     * HF (through {@code encode_char_offsets}, as its Python binding and DJL call it) counts them off
     * offsets in code points, so the same is done here, which matters next to surrogate pairs.
     */
    public static Encoding trim(Encoding e, boolean addPrefixSpace) {
        int[] offsets = e.offsets();
        for (int i = 0; i < e.length(); i++) {
            String token = e.token(i);
            int leading = 0;
            for (int k = 0; k < token.length(); ) {
                int c = token.codePointAt(k);
                if (c != SPACE_CHAR && !Ucd.isWhitespace(c)) {
                    break;
                }
                leading++;
                k += Character.charCount(c);
            }
            int trailing = 0;
            for (int k = token.length(); k > 0; ) {
                int c = token.codePointBefore(k);
                if (c != SPACE_CHAR && !Ucd.isWhitespace(c)) {
                    break;
                }
                trailing++;
                k -= Character.charCount(c);
            }
            if (leading == 0 && trailing == 0) {
                continue;
            }
            String text = e.sourceText(i);
            int start = offsets[2 * i], end = offsets[2 * i + 1];
            if (text != null) {
                start = text.codePointCount(0, Math.min(start, text.length()));
                end = text.codePointCount(0, Math.min(end, text.length()));
            }
            if (leading > 0) {
                boolean first = i == 0 || start == 0;
                if (first && addPrefixSpace && leading == 1) {
                    leading = 0;
                }
                start = Math.min(start + leading, end);
            }
            if (trailing > 0 && end >= trailing) {
                end = Math.max(end - trailing, start);
            }
            if (text != null) {
                start = unitOfCodePoint(text, start);
                end = unitOfCodePoint(text, end);
            }
            offsets[2 * i] = start;
            offsets[2 * i + 1] = end;
        }
        List<Encoding> over = new ArrayList<>();
        for (Encoding o : e.overflowing()) {
            over.add(trim(o, addPrefixSpace));
        }
        return e.withOffsets(offsets).withOverflowing(over);
    }

    // UTF-16 index of code point `index` in `text` (its length past the end)
    private static int unitOfCodePoint(String text, int index) {
        int total = text.codePointCount(0, text.length());
        return index >= total ? text.length() : text.offsetByCodePoints(0, index);
    }
}
