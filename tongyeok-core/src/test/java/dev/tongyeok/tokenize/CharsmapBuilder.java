package dev.tongyeok.tokenize;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds SentencePiece's precompiled charsmap for tests: a darts-clone double array over the UTF-8
 * keys (as SentencePiece compiles its normalization rules), then the NUL-terminated replacements.
 */
public final class CharsmapBuilder {
    private int[] units = new int[1024];
    private boolean[] used = new boolean[1024];
    private int maxBase;
    private final java.util.Set<Integer> bases = new java.util.HashSet<>();

    /** The charsmap bytes: trie size, trie units, NUL-terminated replacements. */
    public static byte[] charsmap(Map<String, String> rules) {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        TreeMap<String, Integer> values = new TreeMap<>((a, b) -> Arrays.compareUnsigned(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        for (Map.Entry<String, String> r : rules.entrySet()) {
            values.put(r.getKey(), blob.size());
            blob.writeBytes(r.getValue().getBytes(StandardCharsets.UTF_8));
            blob.write(0);
        }
        int[] trie = new CharsmapBuilder().build(values);
        ByteBuffer out = ByteBuffer.allocate(4 + 4 * trie.length + blob.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(4 * trie.length);
        for (int u : trie) {
            out.putInt(u);
        }
        out.put(blob.toByteArray());
        return out.array();
    }

    /** A trie node over bytes: children by label, and a value if a key ends here. */
    private static final class Node {
        final TreeMap<Integer, Node> children = new TreeMap<>();
        int value = -1;
    }

    int[] build(TreeMap<String, Integer> keys) {
        Node root = new Node();
        for (Map.Entry<String, Integer> e : keys.entrySet()) {
            Node n = root;
            for (byte b : e.getKey().getBytes(StandardCharsets.UTF_8)) {
                n = n.children.computeIfAbsent(b & 0xff, k -> new Node());
            }
            n.value = e.getValue();
        }
        used(0);
        int rootBase = place(root);
        units[0] = (0 ^ rootBase) << 10;
        fill(root, rootBase);
        // every base ^ byte must be inside the array, as in a real darts-clone array
        return Arrays.copyOf(units, (maxBase | 0xFF) + 1);
    }

    // children of `n` sit at base ^ label; a value sits at base itself (label 0)
    private void fill(Node n, int base) {
        for (Map.Entry<Integer, Node> c : n.children.entrySet()) {
            int pos = base ^ c.getKey();
            Node child = c.getValue();
            int childBase = place(child);
            int offset = pos ^ childBase;
            if (offset >= 1 << 21) {
                throw new IllegalStateException("offset too large");
            }
            units[pos] = (offset << 10) | (child.value >= 0 ? 1 << 8 : 0) | c.getKey();
            if (child.value >= 0) {
                units[childBase] = 0x80000000 | child.value;
            }
            fill(child, childBase);
        }
    }

    // a base no other node has, whose slots (value slot and one per child label) are all free;
    // reserves them. Two nodes with one base would read each other's children as their own: the
    // units check only the label (darts-clone keeps its bases unique the same way).
    private int place(Node n) {
        for (int base = 1; ; base++) {
            boolean ok = !bases.contains(base) && (n.value < 0 || free(base));
            for (int label : n.children.keySet()) {
                ok &= free(base ^ label);
            }
            if (ok) {
                bases.add(base);
                maxBase = Math.max(maxBase, base);
                if (n.value >= 0) {
                    used(base);
                }
                for (int label : n.children.keySet()) {
                    used(base ^ label);
                }
                return base;
            }
        }
    }

    private boolean free(int pos) {
        return pos >= used.length || !used[pos];
    }

    private void used(int pos) {
        if (pos >= used.length) {
            used = Arrays.copyOf(used, Math.max(pos + 1, used.length * 2));
            units = Arrays.copyOf(units, used.length);
        }
        used[pos] = true;
    }
}
