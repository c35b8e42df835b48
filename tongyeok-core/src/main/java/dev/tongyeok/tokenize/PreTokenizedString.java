package dev.tongyeok.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The original text as a list of pieces ({@link NormalizedString}s), some already tokenized (added
 * tokens), the rest waiting for the model; HF's {@code PreTokenizedString}. A per-call object.
 */
public final class PreTokenizedString {

    /** One piece, with its tokens once the model (or the added vocabulary) produced them. */
    public static final class Split {
        final NormalizedString normalized;
        List<Token> tokens;

        /** A piece waiting for the model. */
        public Split(NormalizedString normalized) {
            this(normalized, null);
        }

        /** A piece with its tokens already known. */
        public Split(NormalizedString normalized, List<Token> tokens) {
            this.normalized = normalized;
            this.tokens = tokens;
        }

        /** The piece. */
        public NormalizedString normalized() {
            return normalized;
        }
    }

    private final String original;
    private List<Split> splits;

    /** Starts from one piece, {@code s}. */
    public PreTokenizedString(NormalizedString s) {
        this.original = s.original();
        this.splits = new ArrayList<>(List.of(new Split(s)));
    }

    /** The original text. */
    public String original() {
        return original;
    }

    /** The pieces, in order. */
    public List<Split> splits() {
        return splits;
    }

    /**
     * Replaces every piece that has no tokens yet by the pieces {@code splitter} makes of it;
     * empty pieces are dropped, as HF's {@code PreTokenizedString::split}.
     */
    public void split(Function<NormalizedString, List<NormalizedString>> splitter) {
        List<Split> next = new ArrayList<>(splits.size() * 4);
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            if (s.tokens != null) {
                next.add(s);
                continue;
            }
            List<NormalizedString> parts = splitter.apply(s.normalized);
            for (int k = 0; k < parts.size(); k++) {
                NormalizedString p = parts.get(k);
                if (!p.isEmpty()) {
                    next.add(new Split(p));
                }
            }
        }
        splits = next;
    }

    /** Like {@link #split} for a splitter that may produce already-tokenized pieces. */
    public void splitWithTokens(Function<NormalizedString, List<Split>> splitter) {
        List<Split> next = new ArrayList<>(splits.size() * 2);
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            if (s.tokens != null) {
                next.add(s);
                continue;
            }
            List<Split> parts = splitter.apply(s.normalized);
            for (int k = 0; k < parts.size(); k++) {
                if (!parts.get(k).normalized.isEmpty()) {
                    next.add(parts.get(k));
                }
            }
        }
        splits = next;
    }

    /** Normalizes every piece that has no tokens yet, in place. */
    public void normalize(Consumer<NormalizedString> normalizer) {
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            if (s.tokens == null) {
                normalizer.accept(s.normalized);
            }
        }
    }

    /** Tokenizes every piece that has no tokens yet. */
    public void tokenize(Function<String, List<Token>> model) {
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            if (s.tokens == null) {
                s.tokens = model.apply(s.normalized.get());
            }
        }
    }

    /** The tokens of all pieces as one encoding, offsets mapped back to the original text. */
    Encoding toEncoding(int typeId) {
        int n = 0;
        for (Split s : splits) {
            n += s.tokens.size();
        }
        int[] ids = new int[n], types = new int[n], words = new int[n], offsets = new int[2 * n];
        int[] special = new int[n], attention = new int[n];
        String[] tokens = new String[n];
        int k = 0;
        for (int w = 0; w < splits.size(); w++) {
            Split s = splits.get(w);
            int shift = s.normalized.originalStart();
            for (int j = 0; j < s.tokens.size(); j++) {
                Token t = s.tokens.get(j);
                ids[k] = t.id();
                tokens[k] = t.value();
                types[k] = typeId;
                words[k] = w;
                attention[k] = 1;
                if (s.normalized.toOriginal(t.start(), t.end(), offsets, 2 * k)) {
                    offsets[2 * k] += shift;
                    offsets[2 * k + 1] += shift;
                } else {
                    offsets[2 * k] = t.start();
                    offsets[2 * k + 1] = t.end();
                }
                k++;
            }
        }
        return new Encoding(ids, types, tokens, words, offsets, special, attention, List.of(), Encoding.NO_RANGES,
                new String[0]);
    }
}
