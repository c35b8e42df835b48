package dev.tongyeok.tokenize.model;

import dev.tongyeok.tokenize.Model;
import dev.tongyeok.tokenize.Token;
import dev.tongyeok.tokenize.TokenizerException;
import java.util.List;
import java.util.Map;

/** One token per pre-tokenized word, or the unknown token, as HF's {@code WordLevel} model. Immutable. */
public final class WordLevel implements Model {
    private final Vocab vocab;
    private final String unkToken;

    /**
     * @param vocab token to id
     * @param unkToken the token for words not in the vocabulary
     */
    public WordLevel(Map<String, Integer> vocab, String unkToken) {
        this.vocab = new Vocab(vocab);
        this.unkToken = unkToken;
    }

    @Override
    public List<Token> tokenize(String sequence) {
        int id = vocab.id(sequence);
        if (id >= 0) {
            return List.of(new Token(id, sequence, 0, sequence.length()));
        }
        int unk = unkToken == null ? -1 : vocab.id(unkToken);
        if (unk < 0) {
            throw new TokenizerException("WordLevel: '" + sequence + "' is not in the vocabulary and there is no unknown token");
        }
        return List.of(new Token(unk, unkToken, 0, sequence.length()));
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
