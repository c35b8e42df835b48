package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.unicode.Ucd;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits where the Unicode script changes, as HF's {@code UnicodeScripts}: spaces and characters
 * its Unicode 9.0 table lacks belong to any script, and Hiragana, Katakana and U+30FC count as Han.
 * Like HF, it drops characters of no script that start a piece.
 */
public record UnicodeScripts() implements PreTokenizer {
    private static final int ANY = -1;
    private static final int HAN = Ucd.scriptId("Han");
    private static final int HIRAGANA = Ucd.scriptId("Hiragana");
    private static final int KATAKANA = Ucd.scriptId("Katakana");

    // HF's fixed_script over its table of Unicode 9.0 scripts; characters the table lacks are Any
    private static int script(int c) {
        if (c == 0x30FC) {
            return HAN;
        }
        if (c == ' ') {
            return ANY;
        }
        int s = Ucd.script9(c);
        return s == HIRAGANA || s == KATAKANA ? HAN : s;
    }

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.split(n -> {
            String t = n.get();
            List<Integer> cuts = new ArrayList<>();
            Integer last = null;
            for (int i = 0; i < t.length(); ) {
                int c = t.codePointAt(i);
                int sc = script(c);
                if (sc != ANY && (last == null || last != ANY) && (last == null || last != sc)) {
                    cuts.add(i);
                }
                if (sc != ANY) {
                    last = sc;
                }
                i += Character.charCount(c);
            }
            cuts.add(t.length());
            List<dev.tongyeok.tokenize.NormalizedString> out = new ArrayList<>(cuts.size());
            for (int k = 0; k + 1 < cuts.size(); k++) {
                out.add(n.slice(cuts.get(k), cuts.get(k + 1)));
            }
            return out;
        });
    }
}
