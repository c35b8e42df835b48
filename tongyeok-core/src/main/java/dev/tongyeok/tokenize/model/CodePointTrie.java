package dev.tongyeok.tokenize.model;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
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

    /** Builds the trie of {@code entries} (string to id; a later id for the same string wins). */
    CodePointTrie(Map<String, Integer> entries) {
        // 1. a plain pointer trie
        java.util.List<Map<Integer, Integer>> children = new java.util.ArrayList<>();
        java.util.List<Integer> values = new java.util.ArrayList<>();
        children.add(new HashMap<>());
        values.add(-1);
        for (Map.Entry<String, Integer> e : entries.entrySet()) {
            String s = e.getKey();
            int node = 0;
            for (int i = 0; i < s.length(); ) {
                int c = s.codePointAt(i);
                i += Character.charCount(c);
                Integer n = children.get(node).get(c);
                if (n == null) {
                    n = children.size();
                    children.add(new HashMap<>());
                    values.add(-1);
                    children.get(node).put(c, n);
                }
                node = n;
            }
            values.set(node, e.getValue());
        }
        // 2. breadth-first numbering, children contiguous and sorted
        int n = children.size();
        int[] order = new int[n];   // new id -> old id
        int[] newId = new int[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(0);
        int next = 0;
        int edges = 0;
        while (!queue.isEmpty()) {
            int old = queue.poll();
            newId[old] = next;
            order[next++] = old;
            int[] keys = children.get(old).keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            for (int k : keys) {
                queue.add(children.get(old).get(k));
            }
            edges += keys.length;
        }
        childStart = new int[n];
        childCount = new int[n];
        labels = new int[edges];
        targets = new int[edges];
        value = new int[n];
        rootBmp = new int[0x10000];
        Arrays.fill(rootBmp, -1);
        int e = 0;
        for (int id = 0; id < n; id++) {
            int old = order[id];
            value[id] = values.get(old);
            int[] keys = children.get(old).keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            childStart[id] = e;
            childCount[id] = keys.length;
            for (int k : keys) {
                labels[e] = k;
                targets[e] = newId[children.get(old).get(k)];
                if (id == 0 && k < 0x10000) {
                    rootBmp[k] = targets[e];
                }
                e++;
            }
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
