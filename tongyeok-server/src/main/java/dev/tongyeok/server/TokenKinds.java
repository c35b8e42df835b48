package dev.tongyeok.server;

import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.Tokenizer;

/** What each token is, for the people looking at them in {@code /tokenize} and the explorer. */
final class TokenKinds {
    private TokenKinds() {}

    /**
     * Each token's kind: {@code special} (markers the post-processor adds, and added special tokens),
     * {@code unknown} (the model's unknown token), {@code byte} (a byte-fallback {@code <0xNN>}
     * piece), {@code part} (a piece of one character: a byte-level piece of a multi-byte character,
     * or a jamo of a Hangul syllable that the normalizer decomposed; it shares the character's span
     * with a neighbour), else {@code text}. Linear in the token count.
     */
    static String[] of(Encoding e, Tokenizer tokenizer) {
        String unk = tokenizer.model().unknownToken();
        int n = e.length();
        String[] out = new String[n];
        for (int t = 0; t < n; t++) {
            String tok = e.token(t);
            if (e.special(t)) {
                out[t] = "special";
            } else if (unk != null && unk.equals(tok)) {
                out[t] = "unknown";
            } else if (isByteToken(tok)) {
                out[t] = "byte";
            } else if (sharesSpan(e, t, t - 1) || sharesSpan(e, t, t + 1)) {
                out[t] = "part";
            } else {
                out[t] = "text";
            }
        }
        return out;
    }

    /** The tokenizer.json {@code model.type} of {@code t}: WordPiece, BPE, Unigram or WordLevel. */
    static String tokenizerType(Tokenizer t) {
        String name = t.model().getClass().getSimpleName();
        return name.equals("Bpe") ? "BPE" : name;
    }

    private static boolean isByteToken(String tok) {
        return tok.length() == 6 && tok.startsWith("<0x") && tok.endsWith(">")
                && Character.digit(tok.charAt(3), 16) >= 0 && Character.digit(tok.charAt(4), 16) >= 0;
    }

    /**
     * Whether tokens {@code t} and {@code other} cover the same span. A lone word-boundary marker
     * ({@code ▁} of SentencePiece, {@code Ġ} of byte-level BPE) takes the span of the character after
     * it without being part of it, so it shares no span.
     */
    private static boolean sharesSpan(Encoding e, int t, int other) {
        return other >= 0 && other < e.length() && !e.special(other) && e.end(t) > e.start(t)
                && e.start(t) == e.start(other) && e.end(t) == e.end(other)
                && !isBoundaryMarker(e.token(t)) && !isBoundaryMarker(e.token(other));
    }

    private static boolean isBoundaryMarker(String tok) {
        return tok.equals("\u2581") || tok.equals("\u0120");
    }
}
