package dev.tongyeok.search;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.rerank.Reranker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Searches an index that {@link Indexer} wrote: the query is embedded with the index's model and
 * matched against the chunks' vectors through Lucene's HNSW graph (approximate nearest
 * neighbours by cosine), optionally fused with BM25 over the chunks' words by reciprocal rank
 * fusion. Every search first picks up the index's latest commit, so searches run while another
 * process indexes. Thread-safe.
 */
public final class SearchIndex implements AutoCloseable {
    /** The most hits one search returns. */
    public static final int MAX_K = 1000;
    /**
     * Candidates each list gathers before the top k are kept: HNSW explores at least this many
     * (Elasticsearch's {@code num_candidates}), which keeps its recall against exact search high.
     */
    static final int CANDIDATES = 100;
    /** Reciprocal rank fusion's constant (Cormack, Clarke and Büttcher 2009). */
    static final int RRF_K = 60;

    /**
     * What is in an index.
     *
     * @param model the model's name
     * @param spec how the model is loaded
     * @param dimensions vector width
     * @param chunks chunks in the last commit
     * @param chunkTokens the chunk size used
     * @param overlap the overlap used
     */
    public record Info(String model, String spec, int dimensions, long chunks, int chunkTokens, int overlap) {
    }

    private final Path path;
    private final Directory dir;
    private final SearcherManager searchers;
    private final Embedder embedder;
    private final Map<String, String> record;
    private final String queryPrompt;
    private final Analyzer analyzer = new StandardAnalyzer();

    private SearchIndex(Path path, Directory dir, Embedder embedder, Map<String, String> record) throws IOException {
        this.path = path;
        this.dir = dir;
        this.embedder = embedder;
        this.record = record;
        this.searchers = new SearcherManager(dir, null);
        this.queryPrompt = Prompts.query(embedder);
    }

    /**
     * Opens the index in {@code dir} with {@code embedder}, or with the model recorded in the
     * index when {@code embedder} is null.
     *
     * @throws SearchException when there is no index there, or it was built with another model
     */
    public static SearchIndex open(Path dir, Embedder embedder) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new SearchException(abs + ": no index there (build one with tongyeok index --index " + dir + " FILES)");
        }
        Directory d = FSDirectory.open(abs);
        try {
            Map<String, String> rec = IndexLayout.record(d, abs);
            if (rec == null) {
                throw new SearchException(abs + ": no index there (build one with tongyeok index --index " + dir
                        + " FILES)");
            }
            Embedder e = embedder;
            if (e == null) {
                e = Embedder.load(rec.get(IndexLayout.U_SPEC));
            }
            Indexer.checkModel(rec, e, abs);
            return new SearchIndex(abs, d, e, rec);
        } catch (IOException | RuntimeException ex) {
            d.close();
            throw ex;
        }
    }

    /**
     * The name of the model the index in {@code dir} was built with, or null when there is no
     * index there.
     */
    public static String recordedModel(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            return null;
        }
        try (Directory d = FSDirectory.open(abs)) {
            Map<String, String> rec = IndexLayout.record(d, abs);
            return rec == null ? null : rec.get(IndexLayout.U_MODEL);
        }
    }

    /** The model, sizes and chunking of the index's latest commit. */
    public Info info() throws IOException {
        searchers.maybeRefresh();
        IndexSearcher s = searchers.acquire();
        try {
            long chunks = s.count(new TermQuery(new Term(IndexLayout.KIND, IndexLayout.CHUNK)));
            return new Info(record.get(IndexLayout.U_MODEL), record.get(IndexLayout.U_SPEC),
                    Integer.parseInt(record.get(IndexLayout.U_DIMS)), chunks,
                    Integer.parseInt(record.get(IndexLayout.U_CHUNK_TOKENS)),
                    Integer.parseInt(record.get(IndexLayout.U_OVERLAP)));
        } finally {
            searchers.release(s);
        }
    }

    /** The model that embeds the queries. */
    public Embedder embedder() {
        return embedder;
    }

    /**
     * The {@code k} chunks nearest to {@code query}.
     *
     * @param filter field = value pairs a hit must all match: {@code id}, {@code source}, or a
     *     JSON Lines metadata field
     * @param hybrid fuse the vector ranking with BM25's by reciprocal rank fusion
     * @throws SearchException when the query is empty or k is out of range
     */
    public List<Hit> search(String query, int k, Map<String, String> filter, boolean hybrid) throws IOException {
        if (query == null || query.isBlank()) {
            throw new SearchException("the query is empty");
        }
        if (k < 1 || k > MAX_K) {
            throw new SearchException("k must be between 1 and " + MAX_K + ", found " + k);
        }
        Query restrict = restriction(filter);
        float[] q = embedder.embed(List.of(queryPrompt + query), EmbedOptions.DEFAULTS.withNormalize(true)).get(0)
                .vector();
        int n = Math.max(k, CANDIDATES);
        searchers.maybeRefresh();
        IndexSearcher s = searchers.acquire();
        try {
            ScoreDoc[] vector = s.search(new KnnFloatVectorQuery(IndexLayout.VECTOR, q, n, restrict), n).scoreDocs;
            if (!hybrid) {
                List<Hit> out = new ArrayList<>();
                for (int i = 0; i < Math.min(k, vector.length); i++) {
                    // DOT_PRODUCT scores unit vectors as (1 + cos) / 2
                    out.add(hit(s, vector[i].doc, i + 1, 2.0 * vector[i].score - 1.0));
                }
                return out;
            }
            ScoreDoc[] words = bm25(s, query, restrict, n);
            Map<Integer, double[]> fused = new HashMap<>(); // doc → {score, best rank}
            fuse(fused, vector);
            fuse(fused, words);
            List<Map.Entry<Integer, double[]>> ranked = new ArrayList<>(fused.entrySet());
            ranked.sort(Comparator.<Map.Entry<Integer, double[]>>comparingDouble(e -> -e.getValue()[0])
                    .thenComparingDouble(e -> e.getValue()[1]).thenComparingInt(Map.Entry::getKey));
            List<Hit> out = new ArrayList<>();
            for (int i = 0; i < Math.min(k, ranked.size()); i++) {
                out.add(hit(s, ranked.get(i).getKey(), i + 1, ranked.get(i).getValue()[0]));
            }
            return out;
        } finally {
            searchers.release(s);
        }
    }

    /**
     * As {@link #search}, then reranked: the {@code candidates} nearest chunks (at least k) are scored
     * against the query by the cross-encoder {@code reranker}, which reads each pair whole, and the k
     * it scores highest are returned in its order, each with both scores (the retrieval one in
     * {@link Hit#score}, the cross-encoder's in {@link Hit#rerankScore}).
     *
     * @throws SearchException when the query is empty, or k or candidates is out of range
     */
    public List<Hit> search(String query, int k, Map<String, String> filter, boolean hybrid, Reranker reranker,
            int candidates) throws IOException {
        if (candidates < k || candidates > MAX_K) {
            throw new SearchException("candidates must be between k (" + k + ") and " + MAX_K + ", found " + candidates);
        }
        List<Hit> found = search(query, candidates, filter, hybrid);
        List<String> texts = new ArrayList<>(found.size());
        for (Hit h : found) {
            texts.add(h.text());
        }
        float[] scores = reranker.scores(query, texts, false);
        List<Reranker.Ranked> order = Reranker.ranked(texts, scores, k);
        List<Hit> out = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            out.add(found.get(order.get(i).index()).reranked(i + 1, order.get(i).score()));
        }
        return out;
    }

    private static void fuse(Map<Integer, double[]> fused, ScoreDoc[] list) {
        for (int r = 0; r < list.length; r++) {
            double[] e = fused.computeIfAbsent(list[r].doc, d -> new double[] {0, Double.MAX_VALUE});
            e[0] += 1.0 / (RRF_K + r + 1);
            e[1] = Math.min(e[1], r + 1);
        }
    }

    /** BM25 over the query's words (analyzed as the chunks were), any of them matching. */
    private ScoreDoc[] bm25(IndexSearcher s, String query, Query restrict, int n) throws IOException {
        BooleanQuery.Builder words = new BooleanQuery.Builder();
        int terms = 0;
        try (TokenStream ts = analyzer.tokenStream(IndexLayout.TEXT, query)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken() && terms < IndexSearcher.getMaxClauseCount() - 2) {
                words.add(new TermQuery(new Term(IndexLayout.TEXT, term.toString())), BooleanClause.Occur.SHOULD);
                terms++;
            }
            ts.end();
        }
        if (terms == 0) {
            return new ScoreDoc[0];
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder().add(words.build(), BooleanClause.Occur.MUST);
        if (restrict != null) {
            b.add(restrict, BooleanClause.Occur.FILTER);
        }
        return s.search(b.build(), n).scoreDocs;
    }

    private static Query restriction(Map<String, String> filter) {
        if (filter == null || filter.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Map.Entry<String, String> f : filter.entrySet()) {
            if (f.getKey().isEmpty()) {
                throw new SearchException("filter field is empty (expected field=value)");
            }
            String field = switch (f.getKey()) {
                case "id" -> IndexLayout.ID;
                case "source" -> IndexLayout.SOURCE;
                default -> IndexLayout.META + f.getKey();
            };
            b.add(new TermQuery(new Term(field, f.getValue())), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    private static Hit hit(IndexSearcher s, int doc, int rank, double score) throws IOException {
        StoredFields stored = s.storedFields();
        Document d = stored.document(doc);
        Map<String, String> meta = new LinkedHashMap<>();
        for (IndexableField f : d.getFields()) {
            if (f.name().startsWith(IndexLayout.META)) {
                meta.put(f.name().substring(IndexLayout.META.length()), f.stringValue());
            }
        }
        return new Hit(rank, score, d.get(IndexLayout.ID), d.get(IndexLayout.SOURCE),
                d.getField(IndexLayout.START).numericValue().intValue(),
                d.getField(IndexLayout.END).numericValue().intValue(), d.get(IndexLayout.TEXT), meta);
    }

    /** The index directory. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try {
            searchers.close();
        } finally {
            dir.close();
        }
    }
}
