package dev.tongyeok.embed;

import dev.tongyeok.tokenize.Encoding;
import java.lang.Character.UnicodeScript;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How well a model's vocabulary covers one text: how many of its tokens are fragments — the
 * unknown token, a byte-fallback piece ({@code <0xE2>}), or a piece of a single letter outside
 * ASCII (a Hangul syllable cut into jamo, a byte of a character in a byte-level vocabulary) — and
 * the script most of them came from. Han and kana are left out of the single-letter rule: one
 * token per character is how vocabularies that cover them split them. A text whose tokens are
 * mostly fragments carries little of its meaning into the vectors; {@link #message} says so.
 *
 * @param tokens the text's tokens, special tokens left out
 * @param fragments how many of them are fragments
 * @param script the script most fragments came from, or null when there are none
 */
public record Coverage(int tokens, int fragments, UnicodeScript script) {
    private static final Pattern BYTE = Pattern.compile("<0x[0-9A-Fa-f]{2}>");

    /** The coverage of {@code e}, whose unknown token is {@code unknown} (null when the vocabulary has none). */
    public static Coverage of(Encoding e, String unknown) {
        int tokens = 0;
        int fragments = 0;
        Map<UnicodeScript, Integer> scripts = new EnumMap<>(UnicodeScript.class);
        for (int t = 0; t < e.length(); t++) {
            if (e.special(t)) {
                continue;
            }
            tokens++;
            String text = e.sourceText(t);
            int s = e.start(t);
            int end = e.end(t);
            int cp = text != null && s < end && end <= text.length() ? text.codePointAt(s) : -1;
            boolean oneLetter = cp >= 0 && Character.charCount(cp) == end - s && cp > 0x7F && Character.isLetter(cp)
                    && !cjk(UnicodeScript.of(cp));
            if (e.token(t).equals(unknown) || BYTE.matcher(e.token(t)).matches() || oneLetter) {
                fragments++;
                if (cp >= 0) {
                    scripts.merge(UnicodeScript.of(cp), 1, Integer::sum);
                }
            }
        }
        UnicodeScript most = scripts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(null);
        return new Coverage(tokens, fragments, most);
    }

    private static boolean cjk(UnicodeScript s) {
        return s == UnicodeScript.HAN || s == UnicodeScript.HIRAGANA || s == UnicodeScript.KATAKANA;
    }

    /** Whether the text is mostly fragments: at least three, and at least half of its tokens. */
    public boolean poor() {
        return fragments >= 3 && 2 * fragments >= tokens;
    }

    /**
     * One line saying so, naming the model and one whose vocabulary covers the script, or null when
     * the coverage is not {@link #poor()}.
     */
    public String message(String model) {
        if (!poor()) {
            return null;
        }
        String name = script == null ? "this text" : script.name().charAt(0) + script.name().substring(1).toLowerCase();
        return fragments + " of " + tokens + " tokens are unknown, bytes or single letters for " + model
                + ": its vocabulary does not cover " + name
                + "; a multilingual model does (--model intfloat/multilingual-e5-small or BAAI/bge-m3)";
    }
}
