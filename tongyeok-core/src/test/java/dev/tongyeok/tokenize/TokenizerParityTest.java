package dev.tongyeok.tokenize;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test against HuggingFace tokenizers: ids, tokens, offsets (code points) and decode
 * identical on every UDHR paragraph and on generated text, for the eight real tokenizers.
 */
@Execution(ExecutionMode.SAME_THREAD)
class TokenizerParityTest {
    /** Generated texts per tokenizer; the issue asks for at least 10,000. */
    static final int GENERATED = 10_000;
    /** Mismatches reported before a test gives up. */
    static final int REPORTED = 5;
    /** UDHR languages that must be present, so that a broken corpus cannot pass quietly. */
    static final int MIN_LANGUAGES = 150;

    static Map<String, List<String>> udhr;

    @BeforeAll
    static void corpus() {
        udhr = Fixtures.udhr();
        assertTrue(udhr.size() >= MIN_LANGUAGES, "UDHR has only " + udhr.size() + " languages");
    }

    @ParameterizedTest(name = "{0}: every UDHR paragraph")
    @MethodSource("dev.tongyeok.tokenize.Fixtures#tokenizers")
    void udhrParagraphs(String name) {
        String json = Fixtures.tokenizerJson(name);
        Tokenizer ours = Fixtures.tokenizer(name, json);
        List<String> failures = new ArrayList<>();
        int count = 0;
        try (HfOracle hf = new HfOracle(json)) {
            for (Map.Entry<String, List<String>> lang : udhr.entrySet()) {
                for (String text : lang.getValue()) {
                    count++;
                    compare(ours, hf, text, lang.getKey(), failures);
                    if (failures.size() >= REPORTED) {
                        fail(report(name, failures));
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(report(name, failures));
        }
        assertTrue(count > 10_000, "only " + count + " UDHR paragraphs compared");
    }

    @ParameterizedTest(name = "{0}: generated text")
    @MethodSource("dev.tongyeok.tokenize.Fixtures#tokenizers")
    void generatedText(String name) {
        String json = Fixtures.tokenizerJson(name);
        Tokenizer ours = Fixtures.tokenizer(name, json);
        List<String> specials = new ArrayList<>();
        for (AddedToken t : ours.addedTokens()) {
            if (t.special() && specials.size() < 64) {
                specials.add(t.content());
            }
        }
        TextGenerator gen = new TextGenerator(name.hashCode(), specials);
        List<String> failures = new ArrayList<>();
        try (HfOracle hf = new HfOracle(json)) {
            for (int i = 0; i < GENERATED; i++) {
                compare(ours, hf, gen.next(), "generated #" + i, failures);
                if (failures.size() >= REPORTED) {
                    break;
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(report(name, failures));
        }
    }

    static void compare(Tokenizer ours, HfOracle hf, String text, String where, List<String> failures) {
        for (boolean special : new boolean[] {true, false}) {
            HfOracle.Result want = hf.encode(text, special);
            Encoding got = ours.encode(text, special);
            String diff = difference(want, got);
            if (diff == null) {
                long[] ids = want.ids();
                for (boolean skip : new boolean[] {false, true}) {
                    String wantText = hf.decode(ids, skip);
                    String gotText = ours.decode(toInt(ids), skip);
                    if (!wantText.equals(gotText)) {
                        diff = "decode(skipSpecial=" + skip + ") differs:\n    hf:   " + escape(wantText)
                                + "\n    ours: " + escape(gotText);
                        break;
                    }
                }
            }
            if (diff != null) {
                failures.add(where + " (add special tokens: " + special + ")\n  text: " + escape(text) + "\n  " + diff);
                return;
            }
        }
    }

    /** Null when equal, else where the two first differ, with both token lists. */
    static String difference(HfOracle.Result want, Encoding got) {
        int[] offsets = got.codePointOffsets();
        int n = Math.max(want.ids().length, got.length());
        for (int i = 0; i < n; i++) {
            boolean same = i < want.ids().length && i < got.length() && want.ids()[i] == got.id(i)
                    && want.tokens()[i].equals(got.token(i)) && want.offsets()[2 * i] == offsets[2 * i]
                    && want.offsets()[2 * i + 1] == offsets[2 * i + 1];
            if (!same) {
                return "first difference at token " + i + "\n    hf:   " + describe(want.ids(), want.tokens(), want.offsets())
                        + "\n    ours: " + describe(toLong(got.ids()), got.tokens().toArray(new String[0]), offsets);
            }
        }
        return null;
    }

    static String describe(long[] ids, String[] tokens, int[] offsets) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(ids[i]).append(':').append(escape(tokens[i])).append('@').append(offsets[2 * i]).append('-')
                    .append(offsets[2 * i + 1]);
        }
        return sb.append(']').toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c < 0x20 || (c >= 0x7F && c < 0xA0) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.UNASSIGNED || Character.isWhitespace(c) && c != ' '
                    || Character.getType(c) == Character.NON_SPACING_MARK || Character.getType(c) == Character.PRIVATE_USE) {
                sb.append(String.format("\\u{%X}", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.append('"').toString();
    }

    static String report(String name, List<String> failures) {
        return name + ": " + failures.size() + " difference(s) from HF tokenizers:\n" + String.join("\n", failures);
    }

    static int[] toInt(long[] a) {
        return Arrays.stream(a).mapToInt(x -> (int) x).toArray();
    }

    static long[] toLong(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }
}
