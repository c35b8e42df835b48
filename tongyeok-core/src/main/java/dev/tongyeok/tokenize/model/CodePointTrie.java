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

    /**
     * Builds the trie of {@code entries} (string to id). The keys are visited in code point order,
     * so each node's children are created already sorted and the build needs no map per node
     * (a 30,000-entry vocabulary builds in a few milliseconds, which matters at start-up).
     */
    CodePointTrie(Map<String, Integer> entries) {
        int[][] keys = new int[entries.size()][];
        int[] ids = new int[keys.length];
        int k = 0;
        for (Map.Entry<String, Integer> e : entries.entrySet()) {
            keys[k] = e.getKey().codePoints().toArray();
            ids[k++] = e.getValue();
        }
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Arrays.compare(keys[a], keys[b]));
        // 1. a pointer trie in growable arrays: first child, next sibling, label, value. Inserting in
        //    sorted order appends every new child after its smaller siblings.
        Builder b = new Builder();
        int[] path = new int[16];
        int[] prev = new int[0];
        for (int i : order) {
            int[] key = keys[i];
            if (path.length <= key.length) {
                path = Arrays.copyOf(path, key.length + 1);
            }
            int common = Arrays.mismatch(prev, key);
            if (common < 0) {
                common = key.length; // the same key again: impossible in a map, but harmless
            }
            // path[d] is the node reached after d code points of the previous key; reuse its prefix.
            int node = common == 0 ? 0 : path[common];
            for (int d = common; d < key.length; d++) {
                node = b.appendChild(node, key[d]);
                path[d + 1] = node;
            }
            b.value[node] = ids[i];
            prev = key;
        }
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
        int[] lastChild = new int[1024];
        int[] nextSibling = new int[1024];
        int[] label = new int[1024];
        int[] value = new int[1024];
        int size;

        Builder() {
            add(-1);
        }

        private int add(int cp) {
            if (size == firstChild.length) {
                int cap = size * 2;
                firstChild = Arrays.copyOf(firstChild, cap);
                lastChild = Arrays.copyOf(lastChild, cap);
                nextSibling = Arrays.copyOf(nextSibling, cap);
                label = Arrays.copyOf(label, cap);
                value = Arrays.copyOf(value, cap);
            }
            firstChild[size] = -1;
            lastChild[size] = -1;
            nextSibling[size] = -1;
            label[size] = cp;
            value[size] = -1;
            return size++;
        }

        /** The child of {@code parent} by {@code cp}, added as its last child. */
        int appendChild(int parent, int cp) {
            int child = add(cp);
            if (lastChild[parent] < 0) {
                firstChild[parent] = child;
            } else {
                nextSibling[lastChild[parent]] = child;
            }
            lastChild[parent] = child;
            return child;
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

    /** The id stored at {@code node}, or -1. */
    int id(int node) {
        return value[node];
    }
}
