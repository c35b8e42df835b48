package dev.tongyeok.springai;

import static dev.tongyeok.embed.ModelParityTest.cosine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.tokenize.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.transformers.TransformersEmbeddingModel;

/**
 * Against Spring AI's own in-process embedding model ({@code TransformersEmbeddingModel}: ONNX Runtime
 * and HF tokenizers) on the same all-MiniLM-L6-v2 files, and Spring AI's {@code EmbeddingModel} contract.
 */
class TongyeokEmbeddingModelTest {
    static final double MIN_COSINE = 0.9999;
    /** The tokenizer.json shipped with the model files truncates at 128 tokens; compare within it. */
    static final int PEER_LIMIT = 128;

    @TempDir
    static Path cache;
    static TongyeokEmbeddingModel tongyeok;
    static TransformersEmbeddingModel peer;
    static List<String> texts;

    @BeforeAll
    static void load() throws Exception {
        tongyeok = new TongyeokEmbeddingModel("all-minilm-l6-v2");
        peer = new TransformersEmbeddingModel();
        peer.setTokenizerResource("classpath:all-minilm-l6-v2-tokenizer.json");
        peer.setModelResource("classpath:all-minilm-l6-v2.onnx");
        peer.setResourceCacheDirectory(cache.toString());
        peer.afterPropertiesSet();
        texts = new ArrayList<>(Fixtures.brown(200));
        Map<String, List<String>> udhr = Fixtures.udhr();
        for (String lang : List.of("eng", "kor", "jpn", "rus", "fra", "hin")) {
            udhr.entrySet().stream().filter(e -> e.getKey().endsWith("(" + lang + ".html)")).findFirst()
                    .ifPresent(e -> texts.addAll(e.getValue().subList(0, Math.min(10, e.getValue().size()))));
        }
        texts.removeIf(t -> tongyeok.embedder().tokenizer().encode(t).length() > PEER_LIMIT);
        assertTrue(texts.size() > 220, texts.size() + " texts");
    }

    @Test
    void sameVectorsAsSpringAisOwnModel() {
        List<float[]> ours = tongyeok.embed(texts);
        List<float[]> theirs = peer.embed(texts);
        double worst = 1;
        for (int i = 0; i < texts.size(); i++) {
            double c = cosine(ours.get(i), theirs.get(i));
            worst = Math.min(worst, c);
            assertTrue(c >= MIN_COSINE, "text " + i + " cosine " + c + ": " + texts.get(i));
        }
        System.out.printf(Locale.ROOT, "Spring AI TransformersEmbeddingModel vs tongyeok, %d texts: worst cosine %.7f%n",
                texts.size(), worst);
        assertEquals(peer.dimensions(), tongyeok.dimensions());
    }

    @Test
    void followsTheEmbeddingModelContract() {
        EmbeddingResponse r = tongyeok.call(new EmbeddingRequest(texts.subList(0, 5), null));
        assertEquals(5, r.getResults().size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, r.getResults().get(i).getIndex());
            assertArrayEquals(tongyeok.embed(texts.get(i)), r.getResults().get(i).getOutput(), "index " + i);
        }
        assertEquals("all-minilm-l6-v2", r.getMetadata().getModel());
        assertTrue(r.getMetadata().getUsage().getPromptTokens() > 10);
        assertEquals(384, tongyeok.dimensions());

        // documents: text only by default, metadata included when asked
        Document doc = new Document("The cat slept on the windowsill.", Map.of("topic", "pets"));
        assertArrayEquals(tongyeok.embed("The cat slept on the windowsill."), tongyeok.embed(doc));
        TongyeokEmbeddingModel withMeta = new TongyeokEmbeddingModel(tongyeok.embedder(),
                dev.tongyeok.embed.EmbedOptions.DEFAULTS, MetadataMode.EMBED);
        assertArrayEquals(tongyeok.embed(doc.getFormattedContent(MetadataMode.EMBED)), withMeta.embed(doc));
        List<Document> docs = texts.subList(0, 20).stream().map(Document::new).toList();
        List<float[]> batched = tongyeok.embed(docs, EmbeddingOptions.builder().build(), new TokenCountBatchingStrategy());
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(tongyeok.embed(texts.get(i)), batched.get(i));
        }

        // Matryoshka dimensions: the first N, renormalized
        float[] full = tongyeok.embed(texts.get(0));
        float[] cut = tongyeok.call(new EmbeddingRequest(List.of(texts.get(0)),
                EmbeddingOptions.builder().dimensions(64).build())).getResult().getOutput();
        assertEquals(64, cut.length);
        double n = 0;
        for (int i = 0; i < 64; i++) {
            n += (double) full[i] * full[i];
        }
        for (int i = 0; i < 64; i++) {
            assertEquals(full[i] / Math.sqrt(n), cut[i], 1e-6);
        }
        assertThrows(IllegalArgumentException.class, () -> tongyeok.call(new EmbeddingRequest(List.of("x"),
                EmbeddingOptions.builder().model("text-embedding-3-small").build())));
        assertThrows(IllegalArgumentException.class, () -> tongyeok.call(new EmbeddingRequest(List.of("x"),
                EmbeddingOptions.builder().dimensions(1000).build())));
    }
}
