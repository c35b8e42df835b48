package dev.tongyeok.tokenize.model;

import dev.tongyeok.tokenize.Model;
import dev.tongyeok.tokenize.Token;
import dev.tongyeok.tokenize.TokenizerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Greedy longest-match-first subword tokenization, as HF's {@code WordPiece} model: a word longer
 * than {@code max_input_chars_per_word} code points, or one that cannot be covered by vocabulary
 * pieces, becomes the unknown token whole. Immutable and thread-safe.
 */
public final class WordPiece implements Model {
    private final Vocab vocab;
    private final String unkToken;
    private final int maxInputCharsPerWord;
    private final CodePointTrie initial;
    private final CodePointTrie continuing;

    /**
     * @param vocab token to id
     * @param unkToken the unknown token ({@code [UNK]})
     * @param continuingSubwordPrefix the prefix of non-initial pieces ({@code ##})
     * @param maxInputCharsPerWord the longest word tokenized, in code points
     */
    public WordPiece(Map<String, Integer> vocab, String unkToken, String continuingSubwordPrefix,
            int maxInputCharsPerWord) {
        this.vocab = new Vocab(vocab);
        this.unkToken = unkToken;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        Map<String, Integer> rest = new java.util.HashMap<>();
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String t = e.getKey();
            if (!continuingSubwordPrefix.isEmpty() && t.startsWith(continuingSubwordPrefix)
                    && t.length() > continuingSubwordPrefix.length()) {
                rest.put(t.substring(continuingSubwordPrefix.length()), e.getValue());
            } else if (continuingSubwordPrefix.isEmpty()) {
                rest.put(t, e.getValue());
            }
        }
        initial = new CodePointTrie(vocab);
        continuing = new CodePointTrie(rest);
    }

    @Override
    public List<Token> tokenize(String sequence) {
        int n = sequence.length();
        if (sequence.codePointCount(0, n) > maxInputCharsPerWord) {
            return List.of(unk(n));
        }
        // Longest match first: a word that is in the vocabulary whole is its own only token.
        Integer whole = vocab.toId.get(sequence);
        if (whole != null) {
            return List.of(new Token(whole, sequence, 0, n));
        }
        List<Token> out = new ArrayList<>(4);
        int start = 0;
        while (start < n) {
            CodePointTrie trie = start == 0 ? initial : continuing;
            int node = 0, bestId = -1, bestEnd = -1;
            for (int i = start; i < n; ) {
                int c = sequence.codePointAt(i);
                i += Character.charCount(c);
                node = trie.step(node, c);
                if (node < 0) {
                    break;
                }
                int id = trie.id(node);
                if (id >= 0) {
                    bestId = id;
                    bestEnd = i;
                }
            }
            if (bestId < 0) {
                return List.of(unk(n));
            }
            out.add(new Token(bestId, vocab.token(bestId), start, bestEnd));
            start = bestEnd;
        }
        return out;
    }

    private Token unk(int length) {
        int id = vocab.id(unkToken);
        if (id < 0) {
            throw new TokenizerException("WordPiece: the unknown token '" + unkToken + "' is not in the vocabulary");
        }
        return new Token(id, unkToken, 0, length);
    }

    @Override
    public int tokenToId(String token) {
        return vocab.id(token);
    }

    @Override
    public String idToToken(int id) {
        return vocab.token(id);
    }

    @Override
    public String unknownToken() {
        return unkToken;
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public Map<String, Integer> vocab() {
        return vocab.toId;
    }
}
