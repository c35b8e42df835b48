package dev.tongyeok.tokenize.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every path through the trie against the map it was built from. */
class CodePointTrieTest {
    /** Code points from ranges whose UTF-16 order differs from code point order, and common ones. */
    private static final int[][] RANGES = {
        {'a', 'f'}, {0x4E00, 0x4E08}, {0xD7F0, 0xD7F4}, {0xE000, 0xE004}, {0xFFF0, 0xFFFD},
        {0x10000, 0x10003}, {0x1F600, 0x1F604}, {0x10FFFD, 0x10FFFF},
    };

    private static String word(SplittableRandom r, int maxLength) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(maxLength);
        for (int i = 0; i < n; i++) {
            int[] range = RANGES[r.nextInt(RANGES.length)];
            sb.appendCodePoint(range[0] + r.nextInt(range[1] - range[0] + 1));
        }
        return sb.toString();
    }

    @Test
    void everyPrefixOfEveryProbeFindsTheMapsId() {
        SplittableRandom r = new SplittableRandom(7);
        Map<String, Integer> entries = new HashMap<>();
        while (entries.size() < 5000) {
            entries.putIfAbsent(word(r, 6), entries.size());
        }
        CodePointTrie trie = new CodePointTrie(entries);
        Set<String> prefixes = new HashSet<>();
        for (String k : entries.keySet()) {
            for (int i = 0; i < k.length(); i += Character.charCount(k.codePointAt(i))) {
                prefixes.add(k.substring(0, i + Character.charCount(k.codePointAt(i))));
            }
        }
        String[] keys = entries.keySet().toArray(new String[0]);
        int found = 0;
        for (int probe = 0; probe < 20000; probe++) {
            // half the probes extend a key, so that they walk deep; the others are random words
            String s = probe % 2 == 0 ? keys[r.nextInt(keys.length)] + word(r, 3) : word(r, 7);
            int node = 0;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                i += Character.charCount(cp);
                node = trie.step(node, cp);
                String prefix = s.substring(0, i);
                assertEquals(prefixes.contains(prefix), node >= 0, prefix);
                if (node < 0) {
                    break;
                }
                assertEquals(entries.getOrDefault(prefix, -1), trie.id(node), prefix);
                found += trie.id(node) >= 0 ? 1 : 0;
            }
        }
        assertTrue(found > 10000, "prefixes that were keys: " + found);
    }
}
