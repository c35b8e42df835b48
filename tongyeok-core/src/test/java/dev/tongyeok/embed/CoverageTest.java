package dev.tongyeok.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.tokenize.Fixtures;
import dev.tongyeok.tokenize.Tokenizer;
import java.lang.Character.UnicodeScript;
import org.junit.jupiter.api.Test;

/** When a vocabulary splits a text into fragments, and what the one line says. */
class CoverageTest {
    static Coverage of(Tokenizer t, String text) {
        return Coverage.of(t.encode(text), t.model().unknownToken());
    }

    @Test
    void theSeedsKoreanUnderAnEnglishVocabulary() throws Exception {
        Embedder minilm = Embedder.load("all-minilm-l6-v2");
        Coverage korean = of(minilm.tokenizer(), "안녕하세요");
        assertTrue(korean.poor(), korean.toString());
        assertEquals(UnicodeScript.HANGUL, korean.script());
        assertEquals(korean.tokens(), korean.fragments(), "every jamo piece is a fragment");
        String m = korean.message("all-minilm-l6-v2");
        assertTrue(m.startsWith(korean.fragments() + " of " + korean.tokens() + " tokens are unknown, bytes or single letters "
                + "for all-minilm-l6-v2: its vocabulary does not cover Hangul; a multilingual model does"), m);
        for (String covered : new String[] {"I love you so much.", "你好", "Café naïve", "@#%^&*()", ""}) {
            Coverage c = of(minilm.tokenizer(), covered);
            assertFalse(c.poor(), covered + ": " + c);
            assertNull(c.message("x"));
        }
    }

    @Test
    void unknownAndByteFallbackTokensCount() {
        // Llama 2's vocabulary falls back to bytes for Tifinagh; its pieces of whole words are fine.
        Tokenizer llama = Fixtures.tokenizer("llama2", Fixtures.tokenizerJson("llama2"));
        Coverage tifinagh = of(llama, "ⵉⵎⴷⴰⵏⴻⵏ ⴰⴽⴽⴻⵏ");
        assertTrue(tifinagh.poor(), tifinagh.toString());
        assertEquals(UnicodeScript.TIFINAGH, tifinagh.script());
        assertFalse(of(llama, "All human beings are born free and equal in dignity and rights.").poor());
    }
}
