package dev.tongyeok.tokenize.model;

import java.util.Arrays;
import java.util.Map;

/**
 * A trie over code points mapping strings to ids, for longest-prefix lookups without building
 * substrings. Built once, then laid out compactly: the children of a node sit next to each other
 * sorted by code point, and nodes are numbered breadth-first, so walking common words stays in a
 * few cache lines.
 */
final class CodePointTrie {
    private final int[] childStart; // per node: first child edge
    private final int[] childCount; // per node: number of child edges
    private final int[] labels;     // per edge: code point
    private final int[] targets;    // per edge: child node
    private final int[] value;      // per node: id, or -1
    private final int[] rootBmp;    // the root's children by BMP code point: most lookups start here

    /** The trie of {@code entries} (string to id). */
    CodePointTrie(Map<String, Integer> entries) {
        this(entries, "");
    }

    /**
     * The trie of the keys of {@code entries} that start with {@code prefix} and are longer, without
     * it (of every key when {@code prefix} is empty): WordPiece's pieces after the first without
     * their {@code ##}, with no map of them made. Each node's children are kept in a list sorted
     * by code point while the keys are inserted (the root's by a table over the BMP), so the build
     * sorts nothing and needs no map per node: a cold start builds a 30,000-entry vocabulary
     * before the JIT has compiled a sort.
     */
    CodePointTrie(Map<String, Integer> entries, String prefix) {
        // 1. a pointer trie in growable arrays: first child, next sibling, label, value
        Builder b = new Builder();
        int from = prefix.length();
        for (Map.Entry<String, Integer> e : entries.entrySet()) {
            String key = e.getKey();
            if (from > 0 && (key.length() <= from || !key.startsWith(prefix))) {
                continue;
            }
            int node = 0;
            for (int i = from; i < key.length(); ) {
                int cp = key.codePointAt(i);
                node = b.child(node, cp);
                i += Character.charCount(cp);
            }
            b.value[node] = e.getValue();
        }
        b.linkRoot();
        // 2. breadth-first numbering, children contiguous and sorted
        int n = b.size;
        int[] queue = new int[n]; // old ids in breadth-first order: new id -> old id
        int[] newId = new int[n];
        int head = 0;
        int tail = 0;
        queue[tail++] = 0;
        while (head < tail) {
            int old = queue[head];
            newId[old] = head++;
            for (int c = b.firstChild[old]; c >= 0; c = b.nextSibling[c]) {
                queue[tail++] = c;
            }
        }
        childStart = new int[n];
        childCount = new int[n];
        labels = new int[n - 1];
        targets = new int[n - 1];
        value = new int[n];
        rootBmp = new int[0x10000];
        Arrays.fill(rootBmp, -1);
        int e = 0;
        for (int id = 0; id < n; id++) {
            int old = queue[id];
            value[id] = b.value[old];
            childStart[id] = e;
            for (int c = b.firstChild[old]; c >= 0; c = b.nextSibling[c]) {
                labels[e] = b.label[c];
                targets[e] = newId[c];
                if (id == 0 && b.label[c] < 0x10000) {
                    rootBmp[b.label[c]] = targets[e];
                }
                e++;
            }
            childCount[id] = e - childStart[id];
        }
    }

    /** The trie while it is built: node 0 is the root; every other node is the child of exactly one edge. */
    private static final class Builder {
        int[] firstChild = new int[1024];
        int[] nextSibling = new int[1024];
        int[] label = new int[1024];
        int[] value = new int[1024];
        final int[] rootBmp = new int[0x10000]; // the root's children by BMP code point, or -1
        int size;

        Builder() {
            Arrays.fill(rootBmp, -1);
            add(-1);
        }

        private int add(int cp) {
            if (size == firstChild.length) {
                int cap = size * 2;
                firstChild = Arrays.copyOf(firstChild, cap);
                nextSibling = Arrays.copyOf(nextSibling, cap);
                label = Arrays.copyOf(label, cap);
                value = Arrays.copyOf(value, cap);
            }
            firstChild[size] = -1;
            nextSibling[size] = -1;
            label[size] = cp;
            value[size] = -1;
            return size++;
        }

        /**
         * The child of {@code parent} by {@code cp}, added in its place among its siblings if new.
         * The root's children in the BMP (thousands in a multilingual vocabulary) are only in the
         * table until {@link #linkRoot}; its others, above U+FFFF, are in its list.
         */
        int child(int parent, int cp) {
            if (parent == 0 && cp < rootBmp.length) {
                int c = rootBmp[cp];
                if (c < 0) {
                    c = add(cp);
                    rootBmp[cp] = c;
                }
                return c;
            }
            int before = -1;
            int c = firstChild[parent];
            while (c >= 0 && label[c] < cp) {
                before = c;
                c = nextSibling[c];
            }
            if (c >= 0 && label[c] == cp) {
                return c;
            }
            int child = add(cp);
            nextSibling[child] = c;
            if (before < 0) {
                firstChild[parent] = child;
            } else {
                nextSibling[before] = child;
            }
            return child;
        }

        /** Puts the root's BMP children, in code point order, before its others in its list. */
        void linkRoot() {
            int first = firstChild[0];
            for (int cp = rootBmp.length - 1; cp >= 0; cp--) {
                int c = rootBmp[cp];
                if (c >= 0) {
                    nextSibling[c] = first;
                    first = c;
                }
            }
            firstChild[0] = first;
        }
    }

    /** The child of {@code node} by {@code cp}, or -1. */
    int step(int node, int cp) {
        if (node == 0 && cp < 0x10000) {
            return rootBmp[cp];
        }
        int lo = childStart[node], hi = lo + childCount[node] - 1;
        if (hi - lo < 8) {
            for (int i = lo; i <= hi; i++) {
                if (labels[i] == cp) {
                    return targets[i];
                }
            }
            return -1;
        }
        int i = Arrays.binarySearch(labels, lo, hi + 1, cp);
        return i >= 0 ? targets[i] : -1;
    }

    /** The id of {@code key}, or -1 when it is not a key. */
    int find(String key) {
        int node = 0;
        for (int i = 0; i < key.length() && node >= 0; ) {
            int cp = key.codePointAt(i);
            node = step(node, cp);
            i += Character.charCount(cp);
        }
        return node < 0 ? -1 : value[node];
    }

    /** The id stored at {@code node}, or -1. */
    int id(int node) {
        return value[node];
    }
}
