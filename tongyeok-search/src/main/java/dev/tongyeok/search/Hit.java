package dev.tongyeok.search;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;

/**
 * One search result: a chunk of a document.
 *
 * @param rank 1 for the best
 * @param score the cosine of query and chunk for vector search; the reciprocal rank fusion score
 *     (sum of 1 / (60 + rank) over the BM25 and vector lists) for hybrid search
 * @param id the document's own id (JSON Lines {@code id}), else its file's path
 * @param source the file it came from, an absolute path
 * @param start where the chunk starts in the document's text, in UTF-16 units
 * @param end where it ends (exclusive)
 * @param text the chunk's text
 * @param metadata the document's other JSON Lines fields
 * @param rerankScore the cross-encoder's score when the hits were reranked ({@code rank} is then
 *     their order by it), else null
 */
public record Hit(int rank, double score, String id, String source, int start, int end, String text,
        Map<String, String> metadata, Double rerankScore) {

    /** A hit of a search that was not reranked. */
    public Hit(int rank, double score, String id, String source, int start, int end, String text,
            Map<String, String> metadata) {
        this(rank, score, id, source, start, end, text, metadata, null);
    }

    /** This hit at {@code newRank}, with the cross-encoder's {@code score}; the retrieval score is kept. */
    public Hit reranked(int newRank, double score) {
        return new Hit(newRank, this.score, id, source, start, end, text, metadata, score);
    }


    /**
     * Writes this hit as {@code tongyeok search --format jsonl} and {@code POST /search} show it:
     * {@code {"rank","score","id","source","start","end","text"}}, and {@code "rerank_score"} after
     * {@code "score"} when the hits were reranked.
     */
    public void writeJson(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("rank", rank);
        g.writeNumberField("score", score);
        if (rerankScore != null) {
            g.writeNumberField("rerank_score", rerankScore);
        }
        g.writeStringField("id", id);
        g.writeStringField("source", source);
        g.writeNumberField("start", start);
        g.writeNumberField("end", end);
        g.writeStringField("text", text);
        g.writeEndObject();
    }
}
