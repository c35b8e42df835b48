package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.Decoder;
import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.SplitBehavior;
import dev.tongyeok.tokenize.SplitPattern;
import java.util.ArrayList;
import java.util.List;

/**
 * SentencePiece's word boundaries, as HF's {@code Metaspace}: spaces become the replacement
 * character ({@code ▁}), which is put in front of the text ({@code prepend_scheme} always, first, or
 * never) and, with {@code split}, starts each piece. As a decoder it turns them back into spaces.
 */
public record Metaspace(int replacement, PrependScheme prependScheme, boolean split) implements PreTokenizer, Decoder {

    /** When the replacement is put in front of a piece. */
    public enum PrependScheme {
        /** Always. */
        ALWAYS,
        /** Only for the piece at the start of the text. */
        FIRST,
        /** Never. */
        NEVER
    }

    @Override
    public void preTokenize(PreTokenizedString s) {
        String rep = Character.toString(replacement);
        SplitPattern space = SplitPattern.ofChars(c -> c == ' ');
        SplitPattern marker = SplitPattern.ofChars(c -> c == replacement);
        s.split(n -> {
            n.replace(space, rep);
            boolean startsWith = !n.get().isEmpty() && n.get().codePointAt(0) == replacement;
            switch (prependScheme) {
                case ALWAYS -> {
                    if (!startsWith) {
                        n.prepend(rep);
                    }
                }
                case FIRST -> {
                    if (!startsWith && n.originalStart() == 0) {
                        n.prepend(rep);
                    }
                }
                case NEVER -> { }
            }
            return split ? n.split(marker, SplitBehavior.MERGED_WITH_NEXT) : List.of(n);
        });
    }

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            StringBuilder sb = new StringBuilder(t.length());
            for (int k = 0; k < t.length(); ) {
                int c = t.codePointAt(k);
                k += Character.charCount(c);
                if (c == replacement) {
                    if (!(i == 0 && prependScheme != PrependScheme.NEVER)) {
                        sb.append(' ');
                    }
                } else {
                    sb.appendCodePoint(c);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
