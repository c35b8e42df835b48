package dev.tongyeok.springai;

import dev.tongyeok.rerank.Reranker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;

/**
 * Spring AI's {@link DocumentPostProcessor} as a reranker: the retrieved documents scored against
 * the query by a tongyeok cross-encoder (cross-encoder/ms-marco-MiniLM-L-6-v2, BAAI/bge-reranker-base,
 * a directory or a GGUF file), best first, at most {@code topN}, each with its score set (the sigmoid of
 * the model's logit, as sentence-transformers' {@code CrossEncoder} gives it). It goes into a
 * {@code RetrievalAugmentationAdvisor} as a document post-processor. Thread-safe.
 */
public final class TongyeokDocumentReranker implements DocumentPostProcessor {
    private final Reranker reranker;
    private final int topN;

    /**
     * Loads the cross-encoder {@code spec}; all documents are kept, reordered.
     *
     * @throws UncheckedIOException when the model cannot be read
     * @throws dev.tongyeok.load.ModelException when it is not a cross-encoder
     */
    public TongyeokDocumentReranker(String spec) {
        this(load(spec), 0);
    }

    /** An already loaded cross-encoder, keeping the {@code topN} best ({@code topN} ≤ 0: all). */
    public TongyeokDocumentReranker(Reranker reranker, int topN) {
        this.reranker = Objects.requireNonNull(reranker, "reranker");
        this.topN = topN;
    }

    private static Reranker load(String spec) {
        try {
            return Reranker.load(spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + spec + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Document> process(Query query, List<Document> documents) {
        if (documents.isEmpty()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>(documents.size());
        for (Document d : documents) {
            texts.add(d.getText() == null ? "" : d.getText());
        }
        List<Reranker.Ranked> ranked = reranker.rank(query.text(), texts, topN, false);
        List<Document> out = new ArrayList<>(ranked.size());
        for (Reranker.Ranked r : ranked) {
            out.add(documents.get(r.index()).mutate().score((double) r.score()).build());
        }
        return out;
    }
}
