package dev.tongyeok.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written matchers against the regex engine they replace (the reference here is
 * java.util.regex running the same pattern, itself checked against HF by the parity tests), on
 * UDHR text and on generated strings over the characters the patterns distinguish.
 */
class KnownPatternsTest {
    /** Generated strings per pattern. */
    static final int GENERATED = 100_000;
    static final String ALPHABET = "aZ'sStTrReEvVmMlLdD ſ\t\n\r\u000B\u00A0\u2003\u3000/.,!?-_0123456789١٢\u00B2\u2167"
            + "\u0301\u0903\u20DD\u02B0\u01C5\u3042\u4E00\u05D0\u0627\uD835\uDC00\uD83D\uDE00\u200D\uFE0F\uE000\u0085\u2028";

    @ParameterizedTest
    @ValueSource(strings = {"GPT2", "CL100K", "QWEN", "O200K"})
    void sameMatchesAsTheRegexEngine(String name) throws Exception {
        String regex = (String) KnownPatterns.class.getDeclaredField(name).get(null);
        SplitPattern fast = KnownPatterns.forRegex(regex);
        assertNotNull(fast);
        SplitPattern reference = SplitPattern.ofRegex(OnigRegex.compile(regex));
        List<String> texts = new ArrayList<>();
        Fixtures.udhr().values().forEach(ps -> texts.addAll(ps.subList(0, Math.min(3, ps.size()))));
        Random r = new Random(name.hashCode());
        int[] alphabet = ALPHABET.codePoints().toArray();
        for (int i = 0; i < GENERATED; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(12);
            for (int k = 0; k < n; k++) {
                sb.appendCodePoint(r.nextInt(8) == 0 ? r.nextInt(0x30000) : alphabet[r.nextInt(alphabet.length)]);
            }
            texts.add(sb.toString().replaceAll("[\uD800-\uDFFF](?![\uDC00-\uDFFF])", "?"));
        }
        for (String t : texts) {
            assertEquals(Arrays.toString(reference.findMatches(t)), Arrays.toString(fast.findMatches(t)),
                    name + " on " + TokenizerParityTest.escape(t));
        }
    }
}
