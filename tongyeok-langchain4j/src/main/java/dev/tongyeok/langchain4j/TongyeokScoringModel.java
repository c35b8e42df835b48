package dev.tongyeok.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.tongyeok.embed.EncodedInput;
import dev.tongyeok.rerank.Reranker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * LangChain4j's {@link ScoringModel} on a tongyeok cross-encoder (a model directory, a GGUF file, a
 * Hub id in the local cache: cross-encoder/ms-marco-MiniLM-L-6-v2, BAAI/bge-reranker-base), in
 * process: each segment's score for the query, the sigmoid of the model's logit as
 * sentence-transformers' {@code CrossEncoder} gives it. It plugs into a retrieval pipeline as
 * {@code ReRankingContentAggregator.builder().scoringModel(new TongyeokScoringModel(...))}.
 * Thread-safe.
 */
public final class TongyeokScoringModel implements ScoringModel {
    private final Reranker reranker;
    private final boolean raw;

    /**
     * Loads the cross-encoder {@code spec}.
     *
     * @throws UncheckedIOException when the model cannot be read
     * @throws dev.tongyeok.load.ModelException when it is not a cross-encoder
     */
    public TongyeokScoringModel(String spec) {
        this(load(spec), false);
    }

    /** An already loaded cross-encoder; {@code raw} scores are the logits instead of their sigmoid. */
    public TongyeokScoringModel(Reranker reranker, boolean raw) {
        this.reranker = Objects.requireNonNull(reranker, "reranker");
        this.raw = raw;
    }

    private static Reranker load(String spec) {
        try {
            return Reranker.load(spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + spec + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Response<List<Double>> scoreAll(List<TextSegment> segments, String query) {
        List<String> texts = new ArrayList<>(segments.size());
        for (TextSegment s : segments) {
            texts.add(s.text());
        }
        List<EncodedInput> pairs = reranker.pairs(query, texts);
        float[] scores = reranker.scoresOf(pairs, raw);
        List<Double> out = new ArrayList<>(scores.length);
        int tokens = 0;
        for (int i = 0; i < scores.length; i++) {
            out.add((double) scores[i]);
            tokens += pairs.get(i).encoding().length();
        }
        return Response.from(out, new TokenUsage(tokens));
    }

    /** The cross-encoder underneath. */
    public Reranker reranker() {
        return reranker;
    }
}
