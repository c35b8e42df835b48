package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.NormalizedString;
import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.unicode.Ucd;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits on whitespace (removed) and punctuation (isolated), as HF's {@code BertPreTokenizer}. HF
 * makes two passes, whitespace then punctuation; one pass that ends a piece at whitespace and
 * makes each punctuation character a piece of its own gives the same pieces.
 */
public record BertPreTokenizer() implements PreTokenizer {

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.split(BertPreTokenizer::split);
    }

    private static List<NormalizedString> split(NormalizedString n) {
        String t = n.get();
        List<NormalizedString> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < t.length(); ) {
            int c = t.codePointAt(i);
            int end = i + Character.charCount(c);
            if (Ucd.isWhitespace(c)) {
                if (start < i) {
                    out.add(n.slice(start, i));
                }
                start = end;
            } else if (CharClasses.isPunctuation(c)) {
                if (start < i) {
                    out.add(n.slice(start, i));
                }
                out.add(n.slice(i, end));
                start = end;
            }
            i = end;
        }
        if (start < t.length()) {
            out.add(n.slice(start, t.length()));
        }
        return out;
    }
}
