package dev.tongyeok.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tongyeok.rerank.Reranker;
import dev.tongyeok.rerank.RerankerTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;

/** The Spring AI document post-processor on a tiny cross-encoder: the library's order and scores. */
class TongyeokDocumentRerankerTest {
    @TempDir
    Path dir;

    @Test
    void reordersRetrievedDocumentsByTheCrossEncoder() throws Exception {
        Path model = RerankerTest.writeModels(dir)[0];
        Reranker lib = Reranker.load(model.toString());
        List<String> texts = List.of("The giant panda is a bear.", "Cats sleep a lot.", "Pandas eat bamboo.",
                "주식 시장이 오늘 급락했다");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            docs.add(Document.builder().id("d" + i).text(texts.get(i)).metadata("source", "s" + i).build());
        }
        String query = "what is a panda?";
        List<Document> got = new TongyeokDocumentReranker(lib, 3).process(new Query(query), docs);
        List<Reranker.Ranked> want = lib.rank(query, texts, 3, false);
        assertEquals(3, got.size());
        for (int i = 0; i < 3; i++) {
            assertEquals("d" + want.get(i).index(), got.get(i).getId());
            assertEquals((double) want.get(i).score(), got.get(i).getScore());
            assertEquals("s" + want.get(i).index(), got.get(i).getMetadata().get("source"));
        }
        assertEquals(texts.size(), new TongyeokDocumentReranker(model.toString()).process(new Query(query), docs).size());
        assertEquals(List.of(), new TongyeokDocumentReranker(lib, 0).process(new Query(query), List.of()));
    }
}
