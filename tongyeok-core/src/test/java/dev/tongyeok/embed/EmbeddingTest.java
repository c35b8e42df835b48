package dev.tongyeok.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.tokenize.Encoding;
import org.junit.jupiter.api.Test;

/** An Embedding reads well when printed, and gives its cosine with another. */
class EmbeddingTest {
    static Embedding of(float... v) {
        return new Embedding(Encoding.ofIds(new int[] {101, 102}, new String[] {"[CLS]", "[SEP]"}), v, null, 2, 0);
    }

    @Test
    void printsItsShapeAndFirstValuesAndGivesItsCosine() {
        Embedding a = of(0.6f, 0.8f, 0f, 0f);
        assertEquals("Embedding[2 tokens, 4 dims: 0.6000, 0.8000, 0.0000, …]", a.toString());
        assertEquals("Embedding[2 tokens, 2 dims: 1.0000, 0.0000]", of(1, 0).toString());
        assertEquals(1.0, a.cosine(of(3, 4, 0, 0)), 1e-12);
        assertEquals(0.6, a.cosine(of(1, 0, 0, 0)), 1e-7);
        assertEquals(0.0, a.cosine(of(0, 0, 0, 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.cosine(of(1, 0)));
        assertTrue(e.getMessage().contains("4 and 2 dimensions"));
    }
}
