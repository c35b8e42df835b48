package dev.tongyeok.tokenize.normalize;

import dev.tongyeok.tokenize.NormalizedString;
import dev.tongyeok.tokenize.Normalizer;
import dev.tongyeok.tokenize.TokenizerException;
import dev.tongyeok.tokenize.unicode.CharChanges;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.Base64;

/**
 * SentencePiece's compiled normalization rules ({@code precompiled_charsmap}, used by XLM-R and
 * T5), as HF's {@code Precompiled} (crate {@code spm_precompiled}): each grapheme cluster shorter
 * than 6 UTF-8 bytes, else each character, is looked up in a double-array trie and replaced by the
 * string of its first (shortest) prefix match.
 *
 * <p>Byte layout of the decoded charsmap:
 * <ol>
 *   <li>trie size in bytes, {@code n} (uint32, little-endian)</li>
 *   <li>the darts-clone double array: {@code n / 4} units (uint32, little-endian)</li>
 *   <li>the replacement strings, UTF-8, each ended by a NUL byte</li>
 * </ol>
 */
public final class Precompiled implements Normalizer {
    private final int[] units;
    private final byte[] normalized;

    private Precompiled(int[] units, byte[] normalized) {
        this.units = units;
        this.normalized = normalized;
    }

    /**
     * Reads a base64 {@code precompiled_charsmap}.
     *
     * @param where names the field in errors
     * @throws TokenizerException when it is not valid base64 or not a charsmap
     */
    public static Precompiled fromBase64(String base64, String where) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new TokenizerException(where + ".precompiled_charsmap is not valid base64: " + e.getMessage());
        }
        return fromBytes(raw, where);
    }

    /**
     * Reads a decoded charsmap.
     *
     * @throws TokenizerException when the layout is wrong
     */
    public static Precompiled fromBytes(byte[] raw, String where) {
        if (raw.length < 4) {
            throw new TokenizerException(where + ".precompiled_charsmap: " + raw.length
                    + " bytes, too short for the trie size (4 bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long trieSize = Integer.toUnsignedLong(b.getInt(0));
        if (trieSize % 4 != 0 || trieSize > raw.length - 4L || trieSize == 0) {
            throw new TokenizerException(where + ".precompiled_charsmap offset 0: trie size " + trieSize
                    + " does not fit the " + (raw.length - 4) + " bytes that follow (expected a multiple of 4)");
        }
        int[] units = new int[(int) (trieSize / 4)];
        for (int i = 0; i < units.length; i++) {
            units[i] = b.getInt(4 + 4 * i);
        }
        byte[] normalized = java.util.Arrays.copyOfRange(raw, (int) (4 + trieSize), raw.length);
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(normalized));
        } catch (CharacterCodingException e) {
            throw new TokenizerException(where + ".precompiled_charsmap offset " + (4 + trieSize)
                    + ": the replacement strings are not valid UTF-8");
        }
        return new Precompiled(units, normalized);
    }

    private static boolean hasLeaf(int u) {
        return ((u >>> 8) & 1) == 1;
    }

    private static int value(int u) {
        return u & 0x7FFFFFFF;
    }

    private static int label(int u) {
        return u & (0x80000000 | 0xFF);
    }

    private static int offset(int u) {
        return (u >>> 10) << ((u & (1 << 9)) >>> 6);
    }

    /** The replacement of the first (shortest) prefix of {@code chunk} found in the trie, or null. */
    String transform(String chunk) {
        byte[] key = chunk.getBytes(StandardCharsets.UTF_8);
        int pos = 0;
        int unit = units[pos];
        pos ^= offset(unit);
        for (byte kb : key) {
            int c = kb & 0xff;
            if (c == 0) {
                break;
            }
            pos ^= c;
            if (pos < 0 || pos >= units.length) {
                return null;
            }
            unit = units[pos];
            if (label(unit) != c) {
                return null;
            }
            pos ^= offset(unit);
            if (hasLeaf(unit)) {
                if (pos < 0 || pos >= units.length) {
                    return null;
                }
                int index = value(units[pos]);
                int end = index;
                while (end < normalized.length && normalized[end] != 0) {
                    end++;
                }
                return index > normalized.length ? null : new String(normalized, index, end - index, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void normalize(NormalizedString s) {
        String text = s.get();
        CharChanges out = new CharChanges(text.length() + 8);
        boolean modified = false;
        BreakIterator graphemes = BreakIterator.getCharacterInstance();
        graphemes.setText(text);
        for (int start = graphemes.first(), end = graphemes.next(); end != BreakIterator.DONE;
                start = end, end = graphemes.next()) {
            String g = text.substring(start, end);
            if (g.getBytes(StandardCharsets.UTF_8).length < 6) {
                String norm = transform(g);
                if (norm != null) {
                    modified = true;
                    replace(out, g, norm);
                    continue;
                }
            }
            for (int i = 0; i < g.length(); ) {
                int c = g.codePointAt(i);
                String part = Character.toString(c);
                String norm = transform(part);
                if (norm != null) {
                    modified = true;
                    replace(out, part, norm);
                } else {
                    out.add(c, 0);
                }
                i += Character.charCount(c);
            }
        }
        if (modified) {
            s.transform(out, 0);
        }
    }

    private static void replace(CharChanges out, String oldPart, String newPart) {
        int oldCount = oldPart.codePointCount(0, oldPart.length());
        int newCount = newPart.codePointCount(0, newPart.length());
        int diff = newCount - oldCount;
        newPart.codePoints().forEach(c -> out.add(c, 0));
        if (diff > 0) {
            for (int i = out.size() - 1, k = 0; k < diff && i >= 0; i--, k++) {
                out.setChange(i, 1);
            }
        } else if (diff < 0 && out.size() > 0) {
            out.setChange(out.size() - 1, out.change(out.size() - 1) + diff);
        }
    }
}
