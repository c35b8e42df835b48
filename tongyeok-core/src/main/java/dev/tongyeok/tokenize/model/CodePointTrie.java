package dev.tongyeok.tokenize.model;

/**
 * A trie over code points mapping strings to ids, for longest-prefix lookups without building
 * substrings. Transitions live in one hash map keyed by (node, code point).
 */
final class CodePointTrie {
    private final LongLongMap next = new LongLongMap(1 << 16);
    private int[] value = new int[1 << 12]; // id + 1 per node, 0 = none
    private int nodes = 1;

    /** Adds {@code s} with {@code id}; an earlier id for the same string is replaced. */
    void put(String s, int id) {
        int node = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            long key = ((long) node << 21) | c;
            long n = next.get(key, -1);
            if (n < 0) {
                n = nodes++;
                next.put(key, n);
                if (nodes > value.length) {
                    value = java.util.Arrays.copyOf(value, value.length * 2);
                }
            }
            node = (int) n;
        }
        value[node] = id + 1;
    }

    /** The child of {@code node} by {@code cp}, or -1. */
    int step(int node, int cp) {
        return (int) next.get(((long) node << 21) | cp, -1);
    }

    /** The id stored at {@code node}, or -1. */
    int id(int node) {
        return value[node] - 1;
    }

    /** The node reached by walking {@code s} from the root, or -1. */
    int walk(String s) {
        int node = 0;
        for (int i = 0; i < s.length() && node >= 0; ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            node = step(node, c);
        }
        return node;
    }
}
