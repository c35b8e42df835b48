package dev.tongyeok.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.aggregator.ReRankingContentAggregator;
import dev.langchain4j.rag.query.Query;
import dev.tongyeok.rerank.Reranker;
import dev.tongyeok.rerank.RerankerTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ScoringModel adapter on a tiny cross-encoder: the library's scores, and the order LangChain4j's re-ranking step makes of them. */
class TongyeokScoringModelTest {
    @TempDir
    Path dir;

    @Test
    void scoresAsTheLibraryAndRerankLangChain4jsContent() throws Exception {
        Path model = RerankerTest.writeModels(dir)[0];
        Reranker lib = Reranker.load(model.toString());
        TongyeokScoringModel scoring = new TongyeokScoringModel(model.toString());
        String query = "what is a panda?";
        List<String> docs = List.of("The giant panda is a bear.", "Cats sleep a lot.", "Pandas eat bamboo.",
                "주식 시장이 오늘 급락했다");
        List<TextSegment> segments = new ArrayList<>();
        docs.forEach(d -> segments.add(TextSegment.from(d)));
        Response<List<Double>> got = scoring.scoreAll(segments, query);
        float[] want = lib.scores(query, docs, false);
        for (int i = 0; i < docs.size(); i++) {
            assertEquals(want[i], got.content().get(i).floatValue(), "document " + i);
        }
        int tokens = 0;
        for (var p : lib.pairs(query, docs)) {
            tokens += p.encoding().length();
        }
        assertEquals(tokens, got.tokenUsage().inputTokenCount());
        assertEquals((double) want[1], scoring.score(docs.get(1), query).content());

        // Retrieve-then-rerank: the aggregator orders the retrieved content by the cross-encoder's scores.
        List<Content> retrieved = new ArrayList<>();
        segments.forEach(s -> retrieved.add(Content.from(s)));
        ReRankingContentAggregator aggregator = ReRankingContentAggregator.builder().scoringModel(scoring)
                .maxResults(3).build();
        List<Content> reranked = aggregator.aggregate(Map.of(Query.from(query), List.of(retrieved)));
        List<Reranker.Ranked> order = lib.rank(query, docs, 3, false);
        assertEquals(3, reranked.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(order.get(i).document(), reranked.get(i).textSegment().text());
        }
    }
}
