package dev.tongyeok.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.tokenize.json.TokenizerJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sentence pairs, truncation (every strategy, with stride) and padding against HF tokenizers:
 * ids, tokens, offsets, type ids, attention and special-tokens masks.
 */
class PairTruncationPaddingTest {
    /** Pairs of consecutive UDHR paragraphs compared per case. */
    static final int PAIRS = 400;

    static List<String[]> pairs;

    @BeforeAll
    static void corpus() {
        pairs = new ArrayList<>();
        List<String> all = new ArrayList<>();
        Fixtures.udhr().values().forEach(ps -> all.addAll(ps.subList(0, Math.min(2, ps.size()))));
        for (int i = 0; i + 1 < all.size() && pairs.size() < PAIRS; i += 2) {
            pairs.add(new String[] {all.get(i), all.get(i + 1)});
        }
        pairs.add(new String[] {"", ""});
        pairs.add(new String[] {"short", "a somewhat longer second sequence of words that goes on"});
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String name : List.of("all-minilm-l6-v2", "llama2", "qwen3")) {
            for (String strategy : List.of("longest_first", "only_first", "only_second")) {
                for (int stride : new int[] {0, 2}) {
                    out.add(Arguments.of(name, strategy, 24, stride));
                }
            }
            out.add(Arguments.of(name, "longest_first", 7, 0));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}, max_length {2}, stride {3}, padded to max length")
    @MethodSource("cases")
    void matchesHf(String name, String strategy, int maxLength, int stride) {
        String json = Fixtures.tokenizerJson(name);
        Truncation.Strategy s = switch (strategy) {
            case "only_first" -> Truncation.Strategy.ONLY_FIRST;
            case "only_second" -> Truncation.Strategy.ONLY_SECOND;
            default -> Truncation.Strategy.LONGEST_FIRST;
        };
        Tokenizer plain = TokenizerJson.parse(json, name);
        // DJL keeps the file's pad token and id when the file has padding, else HF's defaults.
        Padding filePadding = plain.padding();
        Padding padding = filePadding != null
                ? new Padding(maxLength, 0, filePadding.padId(), filePadding.padTypeId(), filePadding.padToken(), false)
                : new Padding(maxLength, 0, 0, 0, "[PAD]", false);
        Tokenizer ours = plain.withTruncation(new Truncation(maxLength, stride, s, false)).withPadding(padding);
        int compared = 0;
        try (HfOracle hf = new HfOracle(json, Map.of("truncation", strategy, "maxLength", String.valueOf(maxLength),
                "stride", String.valueOf(stride), "padding", "max_length", "modelMaxLength", "100000"))) {
            for (String[] p : pairs) {
                for (boolean special : new boolean[] {true, false}) {
                    compared += compare(hf, () -> hf.encodePair(p[0], p[1], special), () -> ours.encodePair(p[0], p[1], special),
                            p[0] + " ||| " + p[1]);
                }
                if (!strategy.equals("only_second")) {
                    compared += compare(hf, () -> hf.encode(p[0], true), () -> ours.encode(p[0], true), p[0]);
                }
            }
        }
        assertTrue(compared > PAIRS / 2, "only " + compared + " encodings compared");
    }

    /**
     * Compares one encoding; returns 1 if compared. Where tongyeok refuses, HF must refuse too,
     * except for a stride not below the cut length: there HF's Rust code panics, which aborts the
     * whole JVM through JNI, so HF is not asked.
     */
    static int compare(HfOracle hf, java.util.function.Supplier<HfOracle.Result> want,
            java.util.function.Supplier<Encoding> got, String text) {
        Encoding ours;
        try {
            ours = got.get();
        } catch (TokenizerException e) {
            if (!e.getMessage().contains("stride")) {
                assertThrows(RuntimeException.class, want::get, "HF accepted what tongyeok refused (" + e.getMessage()
                        + "): " + text);
            }
            return 0;
        }
        check(want.get(), ours, text);
        return 1;
    }

    static void check(HfOracle.Result want, Encoding got, String text) {
        String diff = TokenizerParityTest.difference(want, got);
        if (diff != null) {
            throw new AssertionError("text: " + TokenizerParityTest.escape(text) + "\n  " + diff);
        }
        assertArrayEquals(want.typeIds(), TokenizerParityTest.toLong(got.typeIds()), "type ids of " + text);
        assertArrayEquals(want.attentionMask(), TokenizerParityTest.toLong(got.attentionMask()), "attention mask of " + text);
        assertArrayEquals(want.specialMask(), TokenizerParityTest.toLong(got.specialTokensMask()), "special mask of " + text);
    }
}
