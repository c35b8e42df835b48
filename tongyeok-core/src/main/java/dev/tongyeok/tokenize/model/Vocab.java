package dev.tongyeok.tokenize.model;

import dev.tongyeok.tokenize.TokenizerException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** A vocabulary: token to id, and id back to token. Immutable. */
final class Vocab {
    final Map<String, Integer> toId;
    final String[] toToken;

    Vocab(Map<String, Integer> vocab) {
        this.toId = Collections.unmodifiableMap(new HashMap<>(vocab));
        toToken = tokensById(vocab);
    }

    /**
     * The tokens of {@code vocab} by id (null where no token has that id).
     *
     * @throws TokenizerException when an id is negative
     */
    static String[] tokensById(Map<String, Integer> vocab) {
        int max = -1;
        for (int id : vocab.values()) {
            if (id < 0) {
                throw new TokenizerException("vocab has a negative id " + id);
            }
            max = Math.max(max, id);
        }
        String[] tokens = new String[max + 1];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            tokens[e.getValue()] = e.getKey();
        }
        return tokens;
    }

    int id(String token) {
        Integer id = toId.get(token);
        return id == null ? -1 : id;
    }

    String token(int id) {
        return id >= 0 && id < toToken.length ? toToken[id] : null;
    }

    int size() {
        return toId.size();
    }
}
