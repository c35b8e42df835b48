package dev.tongyeok.tokenize.model;

import dev.tongyeok.tokenize.Model;
import dev.tongyeok.tokenize.Token;
import dev.tongyeok.tokenize.TokenizerException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-pair encoding, as HF's {@code BPE} model (tokenizers 0.21): each character of a piece
 * becomes a symbol (with {@code continuing_subword_prefix} / {@code end_of_word_suffix} where
 * configured, {@code <0xNN>} byte tokens for unknown characters with {@code byte_fallback}, the
 * unknown token otherwise, fused with {@code fuse_unk}), then the lowest-ranked merge is applied
 * repeatedly, leftmost first among equal ranks. Immutable and thread-safe.
 */
public final class Bpe implements Model {
    private static final int CACHE_CAPACITY = 10_000;
    private static final int CACHE_MAX_WORD = 256;

    private final Vocab vocab;
    private final LongLongMap merges; // (a << 32 | b) -> (rank << 32 | newId)
    private final String unkToken;
    private final String continuingSubwordPrefix;
    private final String endOfWordSuffix;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final int[] bmpCharId;   // id of the single-character token, -1 if none
    private final int[] byteTokenId; // id of <0xNN>, -1 if none
    // merged words (tokens are immutable, so a hit costs no allocation), as HF's word cache
    private final ConcurrentHashMap<String, List<Token>> cache = new ConcurrentHashMap<>();

    /**
     * @param vocab token to id
     * @param merges the merge rules in rank order, each a pair of tokens
     * @param unkToken the unknown token, or null
     * @param continuingSubwordPrefix prefix of non-initial symbols, or null
     * @param endOfWordSuffix suffix of the last symbol, or null
     * @param fuseUnk whether consecutive unknown characters become one unknown token
     * @param byteFallback whether unknown characters become {@code <0xNN>} byte tokens
     * @param ignoreMerges whether a piece found whole in the vocabulary is taken as is
     * @throws TokenizerException when a merge names a token that is not in the vocabulary
     */
    public Bpe(Map<String, Integer> vocab, List<String[]> merges, String unkToken, String continuingSubwordPrefix,
            String endOfWordSuffix, boolean fuseUnk, boolean byteFallback, boolean ignoreMerges) {
        this.vocab = new Vocab(vocab);
        this.unkToken = unkToken;
        // an empty prefix or suffix changes nothing (HF formats it in), so it is the same as none
        this.continuingSubwordPrefix = continuingSubwordPrefix == null || continuingSubwordPrefix.isEmpty()
                ? null : continuingSubwordPrefix;
        this.endOfWordSuffix = endOfWordSuffix == null || endOfWordSuffix.isEmpty() ? null : endOfWordSuffix;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        this.merges = new LongLongMap(merges.size());
        int prefixLength = continuingSubwordPrefix == null ? 0 : continuingSubwordPrefix.length();
        for (int rank = 0; rank < merges.size(); rank++) {
            String a = merges.get(rank)[0], b = merges.get(rank)[1];
            int ai = this.vocab.id(a), bi = this.vocab.id(b);
            if (ai < 0) {
                throw new TokenizerException("BPE merge " + rank + " '" + a + " " + b + "': '" + a + "' is not in the vocabulary");
            }
            if (bi < 0) {
                throw new TokenizerException("BPE merge " + rank + " '" + a + " " + b + "': '" + b + "' is not in the vocabulary");
            }
            String merged = a + (prefixLength <= b.length() ? b.substring(prefixLength) : "");
            int ni = this.vocab.id(merged);
            if (ni < 0) {
                throw new TokenizerException("BPE merge " + rank + " '" + a + " " + b + "': '" + merged + "' is not in the vocabulary");
            }
            this.merges.put(((long) ai << 32) | bi, ((long) rank << 32) | ni);
        }
        bmpCharId = new int[0x10000];
        Arrays.fill(bmpCharId, -1);
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (e.getKey().length() == 1) {
                bmpCharId[e.getKey().charAt(0)] = e.getValue();
            }
        }
        byteTokenId = new int[256];
        for (int b = 0; b < 256; b++) {
            byteTokenId[b] = this.vocab.id(String.format("<0x%02X>", b));
        }
    }

    @Override
    public List<Token> tokenize(String sequence) {
        if (sequence.isEmpty()) {
            return List.of();
        }
        if (ignoreMerges) {
            int id = vocab.id(sequence);
            if (id >= 0) {
                return List.of(new Token(id, sequence, 0, sequence.length()));
            }
        }
        List<Token> tokens = cache.get(sequence);
        if (tokens != null) {
            return tokens;
        }
        int[] word = mergeWord(sequence);
        int n = word.length / 3;
        Token[] out = new Token[n];
        for (int i = 0; i < n; i++) {
            int id = word[3 * i];
            out[i] = new Token(id, vocab.token(id), word[3 * i + 1], word[3 * i + 2]);
        }
        tokens = List.of(out);
        if (sequence.length() < CACHE_MAX_WORD && cache.size() < CACHE_CAPACITY) {
            cache.put(sequence, tokens);
        }
        return tokens;
    }

    private int charId(String w, int start, int end, boolean first, boolean last) {
        boolean decorated = (!first && continuingSubwordPrefix != null) || (last && endOfWordSuffix != null);
        if (!decorated && end - start == 1) {
            return bmpCharId[w.charAt(start)];
        }
        return vocab.id(decorate(w, start, end, first, last));
    }

    private String decorate(String w, int start, int end, boolean first, boolean last) {
        String s = w.substring(start, end);
        if (!first && continuingSubwordPrefix != null) {
            s = continuingSubwordPrefix + s;
        }
        if (last && endOfWordSuffix != null) {
            s = s + endOfWordSuffix;
        }
        return s;
    }

    /** Returns the merged word as triples (id, start, end). */
    private int[] mergeWord(String w) {
        Symbols s = new Symbols(w.length() + 4);
        int unkId = -1, unkStart = 0, unkEnd = 0;
        for (int i = 0; i < w.length(); ) {
            int cp = w.codePointAt(i);
            int end = i + Character.charCount(cp);
            boolean first = i == 0, last = end == w.length();
            int id = charId(w, i, end, first, last);
            if (id >= 0) {
                if (unkId >= 0) {
                    s.add(unkId, unkStart, unkEnd);
                    unkId = -1;
                }
                s.add(id, i, end);
                i = end;
                continue;
            }
            if (byteFallback) {
                byte[] bytes = decorate(w, i, end, first, last).getBytes(StandardCharsets.UTF_8);
                boolean all = true;
                for (byte b : bytes) {
                    if (byteTokenId[b & 0xff] < 0) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    // each byte token covers the whole character (HF gives them one byte each
                    // of that character, which maps back to the same original span)
                    for (byte b : bytes) {
                        s.add(byteTokenId[b & 0xff], i, end);
                    }
                    i = end;
                    continue;
                }
            }
            if (unkToken != null) {
                int u = vocab.id(unkToken);
                if (u < 0) {
                    throw new TokenizerException("BPE: the unknown token '" + unkToken + "' is not in the vocabulary");
                }
                if (unkId >= 0 && fuseUnk) {
                    unkEnd = end;
                } else {
                    if (unkId >= 0) {
                        s.add(unkId, unkStart, unkEnd);
                    }
                    unkId = u;
                    unkStart = i;
                    unkEnd = end;
                }
            }
            i = end;
        }
        if (unkId >= 0) {
            s.add(unkId, unkStart, unkEnd);
        }
        s.mergeAll(merges);
        return s.toTriples();
    }

    /** The symbols of one word as a linked list over arrays, as HF's {@code Word}. */
    private static final class Symbols {
        int[] c, prev, next, start, end;
        boolean[] removed;
        int n;

        Symbols(int capacity) {
            c = new int[capacity];
            prev = new int[capacity];
            next = new int[capacity];
            start = new int[capacity];
            end = new int[capacity];
            removed = new boolean[capacity];
        }

        void add(int id, int s, int e) {
            if (n == c.length) {
                int cap = n * 2;
                c = Arrays.copyOf(c, cap);
                prev = Arrays.copyOf(prev, cap);
                next = Arrays.copyOf(next, cap);
                start = Arrays.copyOf(start, cap);
                end = Arrays.copyOf(end, cap);
                removed = Arrays.copyOf(removed, cap);
            }
            c[n] = id;
            prev[n] = n - 1;
            next[n] = -1;
            if (n > 0) {
                next[n - 1] = n;
            }
            start[n] = s;
            end[n] = e;
            n++;
        }

        void mergeAll(LongLongMap merges) {
            MergeHeap queue = new MergeHeap(n);
            for (int i = 0; i + 1 < n; i++) {
                long m = merges.get(((long) c[i] << 32) | c[i + 1], -1);
                if (m >= 0) {
                    queue.push((int) (m >>> 32), i, (int) m);
                }
            }
            while (queue.size > 0) {
                long top = queue.peekKey();
                int newId = queue.peekValue();
                queue.pop();
                int pos = (int) top;
                if (removed[pos] || next[pos] == -1) {
                    continue;
                }
                int right = next[pos];
                long m = merges.get(((long) c[pos] << 32) | c[right], -1);
                if (m < 0 || (int) m != newId) {
                    continue;
                }
                c[pos] = newId;
                end[pos] = end[right];
                next[pos] = next[right];
                removed[right] = true;
                if (next[right] > -1 && next[right] < n) {
                    prev[next[right]] = pos;
                }
                if (prev[pos] >= 0) {
                    int p = prev[pos];
                    long pm = merges.get(((long) c[p] << 32) | c[pos], -1);
                    if (pm >= 0) {
                        queue.push((int) (pm >>> 32), p, (int) pm);
                    }
                }
                int nx = next[pos];
                if (nx >= 0 && nx < n) {
                    long nm = merges.get(((long) c[pos] << 32) | c[nx], -1);
                    if (nm >= 0) {
                        queue.push((int) (nm >>> 32), pos, (int) nm);
                    }
                }
            }
        }

        int[] toTriples() {
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (!removed[i]) {
                    k++;
                }
            }
            int[] out = new int[3 * k];
            int j = 0;
            for (int i = 0; i < n; i++) {
                if (!removed[i]) {
                    out[j++] = c[i];
                    out[j++] = start[i];
                    out[j++] = end[i];
                }
            }
            return out;
        }
    }

    /** A binary min-heap of merges ordered by (rank, position), each carrying its new id. */
    private static final class MergeHeap {
        long[] keys;
        int[] values;
        int size;

        MergeHeap(int capacity) {
            keys = new long[Math.max(4, capacity)];
            values = new int[keys.length];
        }

        void push(int rank, int pos, int value) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            long key = ((long) rank << 32) | pos;
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) {
                    break;
                }
                keys[i] = keys[parent];
                values[i] = values[parent];
                i = parent;
            }
            keys[i] = key;
            values[i] = value;
        }

        long peekKey() {
            return keys[0];
        }

        int peekValue() {
            return values[0];
        }

        void pop() {
            long key = keys[--size];
            int value = values[size];
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) {
                    break;
                }
                int r = l + 1;
                int m = r < size && keys[r] < keys[l] ? r : l;
                if (keys[m] >= key) {
                    break;
                }
                keys[i] = keys[m];
                values[i] = values[m];
                i = m;
            }
            if (size > 0) {
                keys[i] = key;
                values[i] = value;
            }
        }
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
