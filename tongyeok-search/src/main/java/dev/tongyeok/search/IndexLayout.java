package dev.tongyeok.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.store.Directory;

/**
 * How a tongyeok index lies in Lucene: one document per chunk and one per source file, and the
 * model and chunking recorded in every commit's user data.
 *
 * <pre>
 * chunk document                              file document
 *   kind    "chunk"        StringField          kind    "file"   StringField
 *   source  absolute path  StringField, stored  source  path     StringField, stored
 *   id      document id    StringField, stored  hash    sha-256  stored
 *   start, end, chunk      stored ints          chunks  count    stored
 *   text    chunk text     TextField (BM25), stored
 *   vector  unit float[C]  KnnFloatVectorField, DOT_PRODUCT (HNSW)
 *   meta.NAME  value       StringField, stored (JSON Lines fields other than id and text)
 * commit user data: tongyeok.format, tongyeok.model, tongyeok.model_spec, tongyeok.dimensions,
 *   tongyeok.chunk_tokens, tongyeok.overlap
 * </pre>
 */
final class IndexLayout {
    private IndexLayout() {}

    /** Bumped when the layout changes; an index of another format is refused. */
    static final String FORMAT = "1";

    static final String KIND = "kind";
    static final String CHUNK = "chunk";
    static final String FILE = "file";
    static final String SOURCE = "source";
    static final String ID = "id";
    static final String START = "start";
    static final String END = "end";
    static final String CHUNK_NO = "chunk_no";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String HASH = "hash";
    static final String CHUNKS = "chunks";
    static final String META = "meta.";

    static final String U_FORMAT = "tongyeok.format";
    static final String U_MODEL = "tongyeok.model";
    static final String U_SPEC = "tongyeok.model_spec";
    static final String U_DIMS = "tongyeok.dimensions";
    static final String U_CHUNK_TOKENS = "tongyeok.chunk_tokens";
    static final String U_OVERLAP = "tongyeok.overlap";

    /**
     * The user data of the last commit in {@code dir}, or null when {@code dir} holds no index.
     *
     * @throws SearchException when the index there is not one of tongyeok's
     */
    static Map<String, String> record(Directory dir, Path path) throws IOException {
        if (!DirectoryReader.indexExists(dir)) {
            return null;
        }
        IndexCommit last = DirectoryReader.listCommits(dir).getLast();
        Map<String, String> data = last.getUserData();
        if (!data.containsKey(U_MODEL)) {
            throw new SearchException(path + " holds a Lucene index that tongyeok did not write");
        }
        if (!FORMAT.equals(data.get(U_FORMAT))) {
            throw new SearchException(path + " is a tongyeok index of format " + data.get(U_FORMAT)
                    + "; this version reads format " + FORMAT + " (index again into a new directory)");
        }
        return data;
    }

    /** Whether {@code path} is a directory with files in it but no Lucene index. */
    static boolean foreign(Path path, Directory dir) throws IOException {
        if (!Files.isDirectory(path) || DirectoryReader.indexExists(dir)) {
            return false;
        }
        try (var files = Files.list(path)) {
            return files.anyMatch(f -> !f.getFileName().toString().equals("write.lock"));
        }
    }
}
