package dev.tongyeok.langchain4j;

import static dev.tongyeok.embed.ModelParityTest.cosine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.tongyeok.tokenize.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against LangChain4j's own in-process all-MiniLM-L6-v2 (ONNX Runtime) and its store, in one JVM. */
class TongyeokEmbeddingModelTest {
    /** The bar for the same model through two runtimes. */
    static final double MIN_COSINE = 0.9999;
    /** LangChain4j's bundled tokenizer.json truncates at 128 tokens, markers included. */
    static final int PEER_LIMIT = 128;

    static TongyeokEmbeddingModel tongyeok;
    static AllMiniLmL6V2EmbeddingModel peer;
    static List<String> texts;

    @BeforeAll
    static void load() {
        tongyeok = new TongyeokEmbeddingModel("all-minilm-l6-v2");
        peer = new AllMiniLmL6V2EmbeddingModel();
        texts = new ArrayList<>(Fixtures.brown(300));
        Map<String, List<String>> udhr = Fixtures.udhr();
        for (String lang : List.of("eng", "kor", "jpn", "rus", "fra", "arb", "hin", "cmn_hans")) {
            udhr.entrySet().stream().filter(e -> e.getKey().endsWith("(" + lang + ".html)")).findFirst()
                    .ifPresent(e -> texts.addAll(e.getValue().subList(0, Math.min(12, e.getValue().size()))));
        }
        texts.removeIf(t -> tongyeok.embedder().tokenizer().encode(t).length() > PEER_LIMIT);
        assertTrue(texts.size() > 350, texts.size() + " texts within the peer's limit");
    }

    @Test
    void sameVectorsAsLangChain4jsOwnModel() {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        Response<List<Embedding>> ours = tongyeok.embedAll(segments);
        Response<List<Embedding>> theirs = peer.embedAll(segments);
        assertEquals(segments.size(), ours.content().size());
        double worst = 1;
        for (int i = 0; i < segments.size(); i++) {
            double c = cosine(ours.content().get(i).vector(), theirs.content().get(i).vector());
            worst = Math.min(worst, c);
            assertTrue(c >= MIN_COSINE, "text " + i + " cosine " + c + ": " + texts.get(i));
        }
        System.out.printf(Locale.ROOT, "LangChain4j AllMiniLmL6V2EmbeddingModel vs tongyeok, %d texts: worst cosine %.7f%n",
                segments.size(), worst);
        assertEquals(384, tongyeok.dimension());
        assertEquals(peer.dimension(), tongyeok.dimension());
        assertEquals("all-minilm-l6-v2", tongyeok.modelName());
        assertTrue(ours.tokenUsage().inputTokenCount() > segments.size() * 2, "token usage counts every token");
        assertEquals(1.0, norm(tongyeok.embed("I love you so much.").content().vector()), 1e-6, "unit length as the peer's");
    }

    @Test
    void worksWithLangChain4jsInMemoryStore() {
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        List<TextSegment> docs = List.of(
                TextSegment.from("Sourdough bread needs a starter, flour, water and a long rise."),
                TextSegment.from("The central bank raised interest rates by half a point."),
                TextSegment.from("A cat slept on the warm windowsill all afternoon."),
                TextSegment.from("The striker scored twice in the second half."));
        store.addAll(tongyeok.embedAll(docs).content(), docs);
        List<EmbeddingMatch<TextSegment>> hits = store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(tongyeok.embed("how do I bake bread at home?").content()).maxResults(2).build()).matches();
        assertEquals(docs.get(0).text(), hits.get(0).embedded().text());
        EmbeddingMatch<TextSegment> pet = store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(tongyeok.embed("a kitten resting in the sun").content()).maxResults(1).build())
                .matches().get(0);
        assertEquals(docs.get(2).text(), pet.embedded().text());
        // the peer's query vector finds the same document among tongyeok's vectors
        EmbeddingMatch<TextSegment> cross = store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(peer.embed("football match goals").content()).maxResults(1).build()).matches().get(0);
        assertEquals(docs.get(3).text(), cross.embedded().text());
    }

    @Test
    void countsTokensAsLangChain4jsEstimator() {
        HuggingFaceTokenCountEstimator hf = new HuggingFaceTokenCountEstimator();
        for (String t : texts) {
            assertEquals(hf.estimateTokenCountInText(t), tongyeok.estimateTokenCountInText(t), t);
        }
        List<ChatMessage> chat = List.of(SystemMessage.from("You answer briefly."), UserMessage.from(texts.get(3)),
                AiMessage.from(texts.get(4)));
        int sum = 0;
        for (ChatMessage m : chat) {
            sum += tongyeok.estimateTokenCountInMessage(m);
        }
        assertEquals(sum, tongyeok.estimateTokenCountInMessages(chat));
        assertEquals(tongyeok.estimateTokenCountInText(texts.get(3)), tongyeok.estimateTokenCountInMessage(chat.get(1)));
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float x : a) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
