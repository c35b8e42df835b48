package dev.tongyeok.tokenize.model;

import dev.tongyeok.tokenize.Model;
import dev.tongyeok.tokenize.Token;
import dev.tongyeok.tokenize.TokenizerException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Greedy longest-match-first subword tokenization, as HF's {@code WordPiece} model: a word longer
 * than {@code max_input_chars_per_word} code points, or one that cannot be covered by vocabulary
 * pieces, becomes the unknown token whole. Immutable and thread-safe.
 */
public final class WordPiece implements Model {
    private final Map<String, Integer> vocab;
    private final String[] tokens; // by id
    private final String unkToken;
    private final int maxInputCharsPerWord;
    private final CodePointTrie initial;
    private final CodePointTrie continuing;

    /**
     * @param vocab token to id; kept as it is, not copied (a cold start spent ~0.2 s copying
     *     MiniLM's 30,522 entries into maps before the JIT had compiled them): do not change it
     *     afterwards
     * @param unkToken the unknown token ({@code [UNK]})
     * @param continuingSubwordPrefix the prefix of non-initial pieces ({@code ##})
     * @param maxInputCharsPerWord the longest word tokenized, in code points
     * @throws TokenizerException when an id is negative
     */
    public WordPiece(Map<String, Integer> vocab, String unkToken, String continuingSubwordPrefix,
            int maxInputCharsPerWord) {
        this.vocab = Collections.unmodifiableMap(vocab);
        this.tokens = Vocab.tokensById(vocab);
        this.unkToken = unkToken;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        initial = new CodePointTrie(vocab, "");
        continuing = new CodePointTrie(vocab, continuingSubwordPrefix);
    }

    @Override
    public List<Token> tokenize(String sequence) {
        int n = sequence.length();
        if (sequence.codePointCount(0, n) > maxInputCharsPerWord) {
            return List.of(unk(n));
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
            if (start == 0 && bestEnd == n) {
                return List.of(new Token(bestId, sequence, 0, n)); // the whole word is in the vocabulary
            }
            out.add(new Token(bestId, idToToken(bestId), start, bestEnd));
            start = bestEnd;
        }
        return out;
    }

    private Token unk(int length) {
        int id = initial.find(unkToken);
        if (id < 0) {
            throw new TokenizerException("WordPiece: the unknown token '" + unkToken + "' is not in the vocabulary");
        }
        return new Token(id, unkToken, 0, length);
    }

    @Override
    public int tokenToId(String token) {
        return initial.find(token);
    }

    @Override
    public String idToToken(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
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
        return vocab;
    }
}
