/**
 * Semantic search over documents: tongyeok's vectors in Apache Lucene's HNSW graphs, with BM25
 * for hybrid queries ({@link dev.tongyeok.search.SearchIndex}, {@link dev.tongyeok.search.Indexer}).
 */
module dev.tongyeok.search {
    requires transitive dev.tongyeok.core;
    requires org.apache.lucene.core;

    exports dev.tongyeok.search;
}
