package dev.tongyeok.tokenize.model;

import dev.tongyeok.tokenize.Model;
import dev.tongyeok.tokenize.Token;
import dev.tongyeok.tokenize.TokenizerException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SentencePiece's unigram language model, as HF's {@code Unigram} (optimized Viterbi path): the
 * segmentation with the highest total score, unknown characters scored {@code min_score - 10} and
 * fused; with {@code byte_fallback} an unknown piece becomes {@code <0xNN>} byte tokens.
 * Immutable and thread-safe.
 */
public final class Unigram implements Model {
    private static final double UNK_PENALTY = 10.0;

    private final String[] pieces;
    private final double[] scores;
    private final Map<String, Integer> toId;
    private final Map<String, Integer> matchIds;
    private final int unkId;
    private final boolean byteFallback;
    private final double minScore;
    private final CodePointTrie trie;

    /**
     * @param pieces the vocabulary in id order
     * @param scores the log probability of each piece
     * @param unkId the id of the unknown piece, or -1
     * @param byteFallback whether unknown pieces become byte tokens
     */
    public Unigram(List<String> pieces, double[] scores, int unkId, boolean byteFallback) {
        this(pieces, scores, unkId, byteFallback, null);
    }

    /**
     * As {@link #Unigram(List, double[], int, boolean)}, but only the pieces in {@code matchable}
     * are found in text (SentencePiece's own rule: control, unknown, byte and unused pieces are never
     * matched), and the unknown score is 10 below the lowest of those.
     *
     * @param matchable the ids text may match, or null for all
     */
    public Unigram(List<String> pieces, double[] scores, int unkId, boolean byteFallback, java.util.BitSet matchable) {
        this.pieces = pieces.toArray(new String[0]);
        this.scores = scores.clone();
        this.unkId = unkId;
        this.byteFallback = byteFallback;
        if (unkId >= pieces.size()) {
            throw new TokenizerException("Unigram: unk_id " + unkId + " is outside the vocabulary of " + pieces.size());
        }
        Map<String, Integer> m = new HashMap<>();
        Map<String, Integer> found = matchable == null ? m : new HashMap<>();
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < this.pieces.length; i++) {
            m.put(this.pieces[i], i); // a later duplicate wins, as in HF
            if (matchable == null || matchable.get(i)) {
                found.put(this.pieces[i], i);
                min = Math.min(min, scores[i]);
            }
        }
        this.trie = new CodePointTrie(found);
        this.toId = java.util.Collections.unmodifiableMap(m);
        this.matchIds = found;
        this.minScore = min;
    }

    @Override
    public List<Token> tokenize(String sentence) {
        if (sentence.isEmpty()) {
            return List.of();
        }
        List<String> strings = encode(sentence);
        List<Token> tokens = new ArrayList<>(strings.size());
        int offset = 0;
        for (String s : strings) {
            int len = s.length();
            Integer id = matchIds.get(s);
            if (id == null) {
                if (byteFallback) {
                    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                    List<Token> byteTokens = new ArrayList<>(bytes.length);
                    for (byte b : bytes) {
                        String name = String.format("<0x%02X>", b & 0xff);
                        Integer bid = toId.get(name);
                        if (bid == null) {
                            byteTokens = null;
                            break;
                        }
                        byteTokens.add(new Token(bid, name, offset, offset + len));
                    }
                    if (byteTokens != null) {
                        tokens.addAll(byteTokens);
                        offset += len;
                        continue;
                    }
                }
                if (unkId < 0) {
                    throw new TokenizerException("Unigram: '" + s + "' is not in the vocabulary and there is no unk_id");
                }
                id = unkId;
            }
            tokens.add(new Token(id, s, offset, offset + len));
            offset += len;
        }
        return tokens;
    }

    private List<String> encode(String sentence) {
        int size = sentence.length();
        double unkScore = minScore - UNK_PENALTY;
        double[] best = new double[size + 1];
        int[] startsAt = new int[size + 1];
        int[] ids = new int[size + 1];
        java.util.Arrays.fill(startsAt, -1);
        for (int start = 0; start < size; ) {
            double here = best[start];
            int cp = sentence.codePointAt(start);
            int mblen = Character.charCount(cp);
            boolean single = false;
            int node = 0;
            for (int i = start; i < size; ) {
                int c = sentence.codePointAt(i);
                i += Character.charCount(c);
                node = trie.step(node, c);
                if (node < 0) {
                    break;
                }
                int id = trie.id(node);
                if (id < 0) {
                    continue;
                }
                double candidate = scores[id] + here;
                if (startsAt[i] < 0 || candidate > best[i]) {
                    best[i] = candidate;
                    startsAt[i] = start;
                    ids[i] = id;
                }
                if (i - start == mblen) {
                    single = true;
                }
            }
            if (!single) {
                int target = start + mblen;
                double candidate = unkScore + here;
                if (startsAt[target] < 0 || candidate > best[target]) {
                    if (unkId < 0) {
                        throw new TokenizerException("Unigram: '" + sentence.substring(start, target)
                                + "' is not in the vocabulary and there is no unk_id");
                    }
                    best[target] = candidate;
                    startsAt[target] = start;
                    ids[target] = unkId;
                }
            }
            start += mblen;
        }
        List<String> results = new ArrayList<>();
        StringBuilder fused = null;
        for (int end = size; end > 0; ) {
            int start = startsAt[end];
            if (ids[end] == unkId) { // unknown pieces are always fused (HF's fuse_unk is true)
                String piece = sentence.substring(start, end);
                fused = fused == null ? new StringBuilder(piece) : fused.insert(0, piece);
            } else {
                if (fused != null) {
                    results.add(fused.toString());
                    fused = null;
                }
                results.add(sentence.substring(start, end));
            }
            end = start;
        }
        if (fused != null) {
            results.add(fused.toString());
        }
        java.util.Collections.reverse(results);
        return results;
    }

    @Override
    public int tokenToId(String token) {
        Integer id = toId.get(token);
        return id == null ? -1 : id;
    }

    @Override
    public String idToToken(int id) {
        return id >= 0 && id < pieces.length ? pieces[id] : null;
    }

    @Override
    public String unknownToken() {
        return unkId >= 0 ? pieces[unkId] : null;
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public Map<String, Integer> vocab() {
        return toId;
    }
}
