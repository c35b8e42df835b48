package dev.tongyeok.tokenize;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.tokenize.json.TokenizerJson;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        String charsmap = Base64.getEncoder().encodeToString(CharsmapBuilder.charsmap(RULES));
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
}
