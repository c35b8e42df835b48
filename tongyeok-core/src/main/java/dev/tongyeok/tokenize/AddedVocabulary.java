package dev.tongyeok.tokenize;

import dev.tongyeok.tokenize.unicode.Ucd;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The added and special tokens of a tokenizer, and how they are found in text before
 * normalization and pre-tokenization, as HF's {@code AddedVocabulary} (tokenizers 0.21):
 * leftmost-longest matching, first of the tokens that are not normalized on the original text,
 * then of the normalized ones on the normalized text of the remaining pieces. Immutable.
 */
final class AddedVocabulary {
    private final Map<String, Integer> contentToId = new HashMap<>();
    private final Map<Integer, AddedToken> idToToken = new HashMap<>();
    private final Set<String> specialTokens = new HashSet<>();
    private final Matcher rawMatcher;
    private final Matcher normalizedMatcher;

    AddedVocabulary(List<AddedToken> tokens, Model model, Normalizer normalizer) {
        List<AddedToken> ordered = new ArrayList<>(); // HF: special tokens first, then the others
        for (AddedToken t : tokens) {
            if (t.special() && !t.content().isEmpty() && specialTokens.add(t.content())) {
                ordered.add(t);
            }
        }
        List<AddedToken> nonSpecial = new ArrayList<>();
        for (AddedToken t : tokens) {
            if (t.content().isEmpty() || idToToken.containsValue(t)) {
                continue;
            }
            int id = tokenToId(t.content(), model);
            if (id < 0) {
                int max = -1;
                for (int v : contentToId.values()) {
                    max = Math.max(max, v);
                }
                int vocabSize = model.vocabSize();
                id = max < 0 ? vocabSize : (max >= vocabSize || vocabSize == 0 ? max + 1 : vocabSize);
            }
            contentToId.put(t.content(), id);
            idToToken.put(id, t);
            if (!specialTokens.contains(t.content())) {
                nonSpecial.add(t);
            }
        }
        ordered.addAll(nonSpecial);
        Map<String, Integer> raw = new LinkedHashMap<>();
        Map<String, Integer> norm = new LinkedHashMap<>();
        for (AddedToken t : ordered) {
            int id = tokenToId(t.content(), model);
            if (t.normalized()) {
                NormalizedString s = new NormalizedString(t.content());
                if (normalizer != null) {
                    normalizer.normalize(s);
                }
                norm.putIfAbsent(s.get(), id);
            } else {
                raw.putIfAbsent(t.content(), id);
            }
        }
        rawMatcher = raw.isEmpty() ? null : new Matcher(raw);
        normalizedMatcher = norm.isEmpty() ? null : new Matcher(norm);
    }

    int tokenToId(String content, Model model) {
        Integer id = contentToId.get(content);
        return id != null ? id : model.tokenToId(content);
    }

    /** The content of added token {@code id}, or null. */
    String idToContent(int id) {
        AddedToken t = idToToken.get(id);
        return t == null ? null : t.content();
    }

    boolean isSpecial(String content) {
        return specialTokens.contains(content);
    }

    Map<Integer, AddedToken> byId() {
        return idToToken;
    }

    /** HF's {@code extract_and_normalize}: the added tokens found, and the rest normalized. */
    PreTokenizedString extractAndNormalize(Normalizer normalizer, String sequence) {
        PreTokenizedString p = new PreTokenizedString(new NormalizedString(sequence));
        p.splitWithTokens(n -> splitWithIndices(n, rawMatcher));
        p.splitWithTokens(n -> {
            if (normalizer != null) {
                normalizer.normalize(n);
            }
            return splitWithIndices(n, normalizedMatcher);
        });
        return p;
    }

    private List<PreTokenizedString.Split> splitWithIndices(NormalizedString n, Matcher matcher) {
        String s = n.get();
        if (matcher == null || s.isEmpty()) {
            return List.of(new PreTokenizedString.Split(n));
        }
        List<PreTokenizedString.Split> out = new ArrayList<>();
        int startOffset = 0;
        int[] found = new int[2];
        for (int pos = 0; pos < s.length(); ) {
            int id = matcher.longestAt(s, pos, found);
            if (id < 0) {
                pos++;
                continue;
            }
            int start = pos, stop = found[0];
            pos = stop; // the next search starts after this match, whether or not it is kept
            AddedToken t = idToToken.get(id);
            if (t != null && t.singleWord()) {
                boolean startSpace = start == 0 || !isWordChar(s.codePointBefore(start));
                boolean stopSpace = stop == s.length() || !isWordChar(s.codePointAt(stop));
                if (!startSpace || !stopSpace) {
                    continue;
                }
            }
            if (t != null && t.lstrip()) {
                int k = start;
                while (k > 0 && Ucd.isWhitespace(s.codePointBefore(k))) {
                    k -= Character.charCount(s.codePointBefore(k));
                }
                start = Math.max(k, startOffset);
            }
            if (t != null && t.rstrip()) {
                while (stop < s.length() && Ucd.isWhitespace(s.codePointAt(stop))) {
                    stop += Character.charCount(s.codePointAt(stop));
                }
            }
            if (startOffset < start) {
                out.add(new PreTokenizedString.Split(n.slice(startOffset, start)));
            }
            NormalizedString slice = n.slice(start, stop);
            out.add(new PreTokenizedString.Split(slice, List.of(new Token(id, slice.get(), 0, slice.length()))));
            startOffset = stop;
        }
        if (startOffset != s.length()) {
            out.add(new PreTokenizedString.Split(n.slice(startOffset, s.length())));
        }
        return out;
    }

    /** Rust regex {@code \w}: Alphabetic, marks, decimal digits, connector punctuation, join controls. */
    private static boolean isWordChar(int c) {
        if (Character.isAlphabetic(c) || c == 0x200C || c == 0x200D) {
            return true;
        }
        int t = Character.getType(c);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK
                || t == Character.ENCLOSING_MARK || t == Character.DECIMAL_DIGIT_NUMBER
                || t == Character.CONNECTOR_PUNCTUATION;
    }

    /** Longest match of a set of strings at a position, over UTF-16 units. */
    private static final class Matcher {
        private final Map<Long, Integer> next = new HashMap<>();
        private final List<Integer> ids = new ArrayList<>(List.of(-1));
        private final BitSet firstChars = new BitSet(0x10000);

        Matcher(Map<String, Integer> patterns) {
            for (Map.Entry<String, Integer> e : patterns.entrySet()) {
                String p = e.getKey();
                if (p.isEmpty()) {
                    continue;
                }
                firstChars.set(p.charAt(0));
                int node = 0;
                for (int i = 0; i < p.length(); i++) {
                    long key = ((long) node << 16) | p.charAt(i);
                    Integer n = next.get(key);
                    if (n == null) {
                        n = ids.size();
                        ids.add(-1);
                        next.put(key, n);
                    }
                    node = n;
                }
                if (ids.get(node) < 0) {
                    ids.set(node, e.getValue());
                }
            }
        }

        /** The id of the longest pattern at {@code pos} (its end in {@code end[0]}), or -1. */
        int longestAt(String s, int pos, int[] end) {
            if (!firstChars.get(s.charAt(pos))) {
                return -1;
            }
            int node = 0, best = -1;
            for (int i = pos; i < s.length(); i++) {
                Integer n = next.get(((long) node << 16) | s.charAt(i));
                if (n == null) {
                    break;
                }
                node = n;
                int id = ids.get(node);
                if (id >= 0) {
                    best = id;
                    end[0] = i + 1;
                }
            }
            return best;
        }
    }
}
