package dev.tongyeok.tokenize;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tongyeok.tokenize.json.TokenizerJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Characters on which Unicode versions disagree: HF answers some questions with Unicode 8.0 and 9.0
 * tables, others with newer ones; each string here targets one such question. Also checks that the
 * comparison itself can fail, so that a broken harness cannot pass quietly.
 */
class UnicodeVersionParityTest {

    /** One probe per question, named by what it exercises. */
    static final List<String> PROBES = List.of(
            "\u1C89 \u1C8A lowercase of a Unicode 16 capital",
            "\u2E50\u2E52 Unicode 13 punctuation",
            "a\u08E2b Unicode 9 format character",
            "x\u0897y Unicode 16 non-spacing mark",
            "\uD83E\uDD79 \uD83E\uDEE8 newer emoji",
            "\uD87A\uDFF0\uD87A\uDFF1 CJK extension I (15.1)",
            "\uD884\uDF50 CJK extension H (15.0)",
            "\uD803\uDD40\uD803\uDD41 Garay letters (16.0)",
            "\uD807\uDF04\uD807\uDF05 Kawi letters (15.0)",
            "\uD804\uDFC2\uD804\uDFC9 Tulu-Tigalari vowel signs that compose in 16.0",
            "\uD81B\uDD40\uD81B\uDD41 Kirat Rai (16.0)",
            "e\u0301 \u1E9B\u0323 \u0041\u030A\u0323 canonical reordering and composition",
            "\u1100\u1161\u11A8 \uAC00\u11A8 conjoining jamo",
            "\u0130stanbul \u03A3\u0391\u03A3 special casing",
            "\uFB01 \u2168 \u00B2 \u3300 compatibility forms",
            "\u0D4E\u0F0C\u2011 line-break oddities",
            "\u00AD\u200B\u2060\uFEFF invisible characters",
            "\u0600\u0605\u06DD\u070F Arabic number signs",
            "\uD834\uDD5E\uD834\uDD65 musical symbols that decompose",
            "\u0F73\u0F75\u0F81 Tibetan vowels excluded from composition",
            "\u2ADC\u0958 composition exclusions",
            "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 ZWJ family",
            "\u1F80\u0345 Greek with ypogegrammeni",
            "\u09CB\u09BE\u09D7 Bengali two-part vowels");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tongyeok.tokenize.Fixtures#tokenizers")
    void probes(String name) {
        String json = Fixtures.tokenizerJson(name);
        Tokenizer ours = Fixtures.tokenizer(name, json);
        List<String> failures = new ArrayList<>();
        try (HfOracle hf = new HfOracle(json)) {
            for (String p : PROBES) {
                TokenizerParityTest.compare(ours, hf, p, "probe", failures);
            }
        }
        if (!failures.isEmpty()) {
            fail(TokenizerParityTest.report(name, failures));
        }
    }

    @Test
    void theComparisonSeesADifference() {
        // MiniLM lowercases, BGE-zh does not: comparing one with the other must fail.
        Tokenizer bge = TokenizerJson.parse(Fixtures.tokenizerJson("bge-small-zh-v1.5"), "bge");
        List<String> failures = new ArrayList<>();
        try (HfOracle minilm = new HfOracle(Fixtures.tokenizerJson("all-minilm-l6-v2"))) {
            TokenizerParityTest.compare(bge, minilm, "Hello World", "meta", failures);
        }
        assertFalse(failures.isEmpty(), "a lowercasing difference went unnoticed");
        assertTrue(failures.get(0).contains("first difference at token"), failures.get(0));
    }
}
