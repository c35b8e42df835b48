package dev.tongyeok.tokenize;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.tokenize.json.TokenizerJson;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The {@code Precompiled} normalizer against HF tokenizers, on a SentencePiece-style charsmap built
 * here (a darts-clone double array, as SentencePiece compiles it) with mappings that exercise
 * expansion, removal, shortest-prefix lookup and grapheme clusters.
 */
class PrecompiledParityTest {
    static final Map<String, String> RULES = new LinkedHashMap<>();

    static {
        RULES.put("\uFF21", "A");          // fullwidth A
        RULES.put("\u2460", "1");          // circled one
        RULES.put("\uFB01", "fi");         // ligature: expansion
        RULES.put("\u00A0", " ");
        RULES.put("\u3000", " ");
        RULES.put("\u200B", "");           // removal
        RULES.put("\uFE0F", "");
        RULES.put("\u2122", "TM");
        RULES.put("\u00C5", "A\u030A");    // decomposition
        RULES.put("\u01C5", "D\u017E");
        RULES.put("e", "E");               // a prefix of the next key: the shortest match wins
        RULES.put("e\u0301", "\u00E9");
        RULES.put("ss", "\u00DF");         // a two-character key
        RULES.put("\uAC00", "\u1100\u1161"); // Hangul syllable to jamo
        RULES.put("\uD83D\uDE00", ":)");   // a supplementary character
    }

    @Test
    void matchesHf() {
        String charsmap = Base64.getEncoder().encodeToString(DoubleArrayBuilder.charsmap(RULES));
        ObjectNode json = ComponentParityTest.wordPiece(
                "{'type':'Sequence','normalizers':[{'type':'Precompiled','precompiled_charsmap':'" + charsmap + "'},"
                        + "{'type':'Lowercase'}]}",
                "{'type':'BertPreTokenizer'}", "{'type':'BertProcessing','sep':['[SEP]',102],'cls':['[CLS]',101]}",
                "{'type':'WordPiece','prefix':'##','cleanup':false}");
        String text = json.toString();
        Tokenizer ours = TokenizerJson.parse(text, "precompiled");
        List<String> texts = new ArrayList<>(List.of("\uFF21\u2460 \uFB01nance\u200B \u2122 \u00C5ngstr\u00F6m \u01C5",
                "caf\u00E9 cafe\u0301 e\u0301e\u0301 class kiss \uAC00\uAC01 \uD83D\uDE00\uFE0F \uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08",
                "e", "ee\u0301", "\u0301e", "sss", "\u00A0\u00A0x\u3000y"));
        Fixtures.udhr().values().forEach(ps -> texts.add(ps.get(0)));
        TextGenerator gen = new TextGenerator(7, List.of("e\u0301", "\uFB01", "ss"));
        for (int i = 0; i < 2000; i++) {
            texts.add(gen.next());
        }
        List<String> failures = new ArrayList<>();
        try (HfOracle hf = new HfOracle(text)) {
            for (String t : texts) {
                TokenizerParityTest.compare(ours, hf, t, "text", failures);
                if (failures.size() >= TokenizerParityTest.REPORTED) {
                    break;
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(TokenizerParityTest.report("Precompiled", failures));
        }
    }

    /** Builds a darts-clone double array over UTF-8 keys, laid out as SentencePiece's charsmap. */
    static final class DoubleArrayBuilder {
        private int[] units = new int[1024];
        private boolean[] used = new boolean[1024];
        private int maxBase;

        /** The charsmap bytes: trie size, trie units, NUL-terminated replacements. */
        static byte[] charsmap(Map<String, String> rules) {
            ByteArrayOutputStream blob = new ByteArrayOutputStream();
            TreeMap<String, Integer> values = new TreeMap<>((a, b) -> Arrays.compareUnsigned(
                    a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            for (Map.Entry<String, String> r : rules.entrySet()) {
                values.put(r.getKey(), blob.size());
                blob.writeBytes(r.getValue().getBytes(StandardCharsets.UTF_8));
                blob.write(0);
            }
            int[] trie = new DoubleArrayBuilder().build(values);
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

        // a base whose slots (value slot and one per child label) are all free; reserves them
        private int place(Node n) {
            for (int base = 1; ; base++) {
                boolean ok = n.value < 0 || free(base);
                for (int label : n.children.keySet()) {
                    ok &= free(base ^ label);
                }
                if (ok) {
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
}
