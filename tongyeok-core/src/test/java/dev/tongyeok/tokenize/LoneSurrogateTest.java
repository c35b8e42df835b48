package dev.tongyeok.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Java strings can hold unpaired surrogates, HF's Rust strings cannot. tongyeok tokenizes each as
 * U+FFFD, as HF tokenizes the lossily converted text, and keeps UTF-16 offsets into the string as given.
 */
class LoneSurrogateTest {
    static final List<String> TEXTS = List.of("a\uD800b", "\uDC00start", "end\uD83D", "x \uDBFF\uDBFF y",
            "\uD83D\uDE00 ok \uDE00\uD83D", "[CLS]\uD800[SEP]");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tongyeok.tokenize.Fixtures#tokenizers")
    void tokenizedAsReplacementCharacter(String name) {
        String json = Fixtures.tokenizerJson(name);
        Tokenizer ours = Fixtures.tokenizer(name, json);
        try (HfOracle hf = new HfOracle(json)) {
            for (String text : TEXTS) {
                String lossy = replaceLoneSurrogates(text);
                HfOracle.Result want = hf.encode(lossy, true);
                Encoding got = ours.encode(text, true);
                assertArrayEquals(want.ids(), TokenizerParityTest.toLong(got.ids()), name + ": ids of " + TokenizerParityTest.escape(text));
                assertArrayEquals(want.tokens(), got.tokens().toArray(new String[0]), name + ": tokens");
                // the same lengths in UTF-16 (U+FFFD is one unit, like the surrogate it stands for)
                assertEquals(lossy.length(), text.length());
                Encoding onLossy = ours.encode(lossy, true);
                assertArrayEquals(onLossy.offsets(), got.offsets(), name + ": UTF-16 offsets index the string as given");
                for (int i = 0; i < got.length(); i++) {
                    assertNull(validate(text, got.start(i), got.end(i)), name);
                }
            }
        }
    }

    static String validate(String text, int start, int end) {
        return start >= 0 && start <= end && end <= text.length() ? null : "offsets " + start + "-" + end + " outside the text";
    }

    static String replaceLoneSurrogates(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }
}
