package dev.tongyeok.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.model.Pooling;
import dev.tongyeok.tokenize.Fixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A text embedded alone equals the same text inside any batch, bit for bit: batches are packed
 * without padding, attention stays inside each sequence, every matrix product sums in the same
 * order whatever the rows around it, and quantized layers pick their input scale per sequence.
 */
class BatchingTest {
    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "all-minilm-l6-v2-q"})
    void batchedEqualsSingle(String model) throws Exception {
        Embedder e = Embedder.load(model);
        List<String> texts = new ArrayList<>(Fixtures.brown(40));
        texts.add("");
        texts.add("a");
        texts.add("안녕하세요, こんにちは, Hello, 你好, @#%^&*()");
        texts.add("word ".repeat(400)); // truncated to 256 tokens
        Collections.shuffle(texts, new Random(7));
        List<Embedding> batched = e.embed(texts, EmbedOptions.DEFAULTS);
        List<Embedding> tokens = e.embed(texts, EmbedOptions.DEFAULTS.withPooling(Pooling.NONE));
        for (int i = 0; i < texts.size(); i++) {
            Embedding alone = e.embed(List.of(texts.get(i)), EmbedOptions.DEFAULTS).get(0);
            assertArrayEquals(alone.vector(), batched.get(i).vector(), "text " + i + ": " + texts.get(i));
            assertEquals(alone.encoding().length(), tokens.get(i).tokenVectors().length);
        }
        Embedding longOne = batched.get(texts.indexOf("word ".repeat(400)));
        assertTrue(longOne.truncated());
        assertEquals(256, longOne.encoding().length());
        assertEquals(402, longOne.originalTokens());
        assertEquals("word ".repeat(254).length() - 1, longOne.keptChars());
    }

    /**
     * Inputs with different options share one encoder pass and each gets exactly what it would get
     * alone; token ids taken from the tokenizer give the text's own vector.
     */
    @org.junit.jupiter.api.Test
    void mixedOptionsAndTokenIds() throws Exception {
        Embedder e = Embedder.load("all-minilm-l6-v2");
        List<String> texts = Fixtures.brown(12);
        List<EmbedOptions> options = List.of(EmbedOptions.DEFAULTS, EmbedOptions.DEFAULTS.withDimensions(64),
                EmbedOptions.DEFAULTS.withPooling(Pooling.CLS).withNormalize(false),
                EmbedOptions.DEFAULTS.withPooling(Pooling.NONE));
        List<EncodedInput> mixed = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            EmbedOptions o = options.get(i % options.size());
            mixed.add(i % 3 == 1 ? e.encodeIds(e.tokenizer().encode(texts.get(i)).ids(), o) : e.encode(texts.get(i), o));
        }
        List<Embedding> together = e.embedEncoded(mixed);
        for (int i = 0; i < texts.size(); i++) {
            Embedding alone = e.embed(List.of(texts.get(i)), options.get(i % options.size())).get(0);
            if (alone.vector() != null) {
                assertArrayEquals(alone.vector(), together.get(i).vector(), "text " + i);
            } else {
                assertEquals(alone.tokenVectors().length, together.get(i).tokenVectors().length);
                for (int t = 0; t < alone.tokenVectors().length; t++) {
                    assertArrayEquals(alone.tokenVectors()[t], together.get(i).tokenVectors()[t], "text " + i + " token " + t);
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> e.encodeIds(new int[] {101, 30522}, EmbedOptions.DEFAULTS));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> e.encodeIds(new int[0], EmbedOptions.DEFAULTS));
        EncodedInput cut = e.encodeIds(new int[300], EmbedOptions.DEFAULTS);
        assertTrue(cut.truncated());
        assertEquals(256, cut.encoding().length());
    }
}
