package dev.tongyeok.search;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Embedding;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * Builds and updates a search index in a local directory: reads the given files and directories,
 * cuts their documents into token chunks, embeds the chunks and writes them to Lucene with their
 * text (for BM25) and unit vectors (for HNSW). Re-running updates files whose bytes (or the
 * chunking) changed, leaves the others, and drops files that are gone.
 *
 * <p>Every input is read and checked before the index is opened for writing, so bad input leaves
 * the index as it was. Commits are atomic and come at file boundaries (at most every
 * {@link Options#commitSeconds()}, and at the end): a process killed mid-run leaves the last commit
 * searchable, and searches in other processes see each commit as it lands.
 */
public final class Indexer {
    /**
     * How documents are cut and written.
     *
     * @param chunkTokens the most tokens in a chunk (markers and prompt not counted); 0 for the
     *     most the model takes whole
     * @param overlap tokens shared by consecutive chunks
     * @param batchSize chunks embedded in one call
     * @param commitSeconds the least time between commits during a run
     */
    public record Options(int chunkTokens, int overlap, int batchSize, double commitSeconds) {
        public static final Options DEFAULTS = new Options(0, 32, 256, 2.0);

        public Options withChunkTokens(int n) {
            return new Options(n, overlap, batchSize, commitSeconds);
        }

        public Options withOverlap(int n) {
            return new Options(chunkTokens, n, batchSize, commitSeconds);
        }

        public Options withCommitSeconds(double s) {
            return new Options(chunkTokens, overlap, batchSize, s);
        }
    }

    /**
     * What a run did.
     *
     * @param files input files read
     * @param added files new to the index
     * @param changed files indexed before whose content or chunking changed
     * @param unchanged files left as they were
     * @param removed files dropped because they are gone
     * @param chunks chunks embedded and written in this run
     * @param chunksInIndex chunks in the index after the run
     * @param seconds wall time of the run
     */
    public record Report(int files, int added, int changed, int unchanged, int removed, long chunks,
            long chunksInIndex, double seconds) {
    }

    /** Told how far the embedding has come, after every batch. */
    public interface Progress {
        void update(long chunksDone, long chunksTotal, double seconds);
    }

    private final Path path;
    private final Embedder embedder;
    private final String spec;
    private final Options options;
    private final int chunkTokens;
    private final String documentPrompt;

    private Indexer(Path path, Embedder embedder, String spec, Options options) {
        this.path = path;
        this.embedder = embedder;
        this.spec = spec;
        this.options = options;
        this.documentPrompt = Prompts.document(embedder);
        int promptTokens = embedder.tokenizer().encode(documentPrompt, false).length();
        int most = embedder.maxLength(EmbedOptions.DEFAULTS) - 2 - promptTokens; // [CLS] … [SEP]
        if (options.chunkTokens() > most) {
            throw new SearchException("chunks of " + options.chunkTokens() + " tokens do not fit " + embedder.name()
                    + ", which takes " + most + " tokens of text at once");
        }
        this.chunkTokens = options.chunkTokens() > 0 ? options.chunkTokens() : most;
        if (options.overlap() < 0 || options.overlap() > chunkTokens / 2) {
            throw new SearchException("overlap must be between 0 and half the chunk size (" + chunkTokens / 2
                    + " tokens), found " + options.overlap());
        }
    }

    /**
     * An indexer for the index in {@code dir} (created on the first run) with {@code embedder}.
     *
     * @param spec how to load the model again (recorded, so that searching needs only the index)
     * @throws SearchException when {@code dir} holds an index of another model or format, or other
     *     files than an index, or the options do not fit the model
     */
    public static Indexer open(Path dir, Embedder embedder, String spec, Options options) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new SearchException(abs + " is a file, not an index directory");
        }
        if (Files.isDirectory(abs)) {
            try (Directory d = FSDirectory.open(abs)) {
                if (IndexLayout.foreign(abs, d)) {
                    throw new SearchException(abs + " is not empty and holds no index; give a new or empty directory");
                }
                Map<String, String> rec = IndexLayout.record(d, abs);
                if (rec != null) {
                    checkModel(rec, embedder, abs);
                }
            }
        }
        return new Indexer(abs, embedder, recordableSpec(spec), options);
    }

    /** Refuses an index built with another model than {@code embedder}. */
    static void checkModel(Map<String, String> rec, Embedder embedder, Path dir) {
        String model = rec.get(IndexLayout.U_MODEL);
        int dims = Integer.parseInt(rec.get(IndexLayout.U_DIMS));
        if (!model.equals(embedder.name()) || dims != embedder.dimensions()) {
            throw new SearchException(dir + " was built with model " + model + " (" + dims + " dims), not "
                    + embedder.name() + " (" + embedder.dimensions() + " dims); use that model or a new index directory");
        }
    }

    /** A path SPEC made absolute, so that the index can load its model from anywhere. */
    private static String recordableSpec(String spec) {
        Path p = Path.of(spec);
        return Files.exists(p) ? p.toAbsolutePath().normalize().toString() : spec;
    }

    /**
     * Indexes {@code inputs} (files, and directories walked for .txt, .md and .jsonl files):
     * adds new files, re-indexes changed ones, drops indexed files that no longer exist or that
     * lie under a given directory and were not found there.
     *
     * @throws SearchException naming the path (and line) of bad input, before anything is written;
     *     or when another process is writing this index
     */
    public Report update(List<Path> inputs, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        Set<Path> roots = new LinkedHashSet<>();
        List<Path> files = list(inputs, roots);
        Files.createDirectories(path);
        try (Directory dir = FSDirectory.open(path)) {
            Map<String, String> known = knownFiles(dir); // source → hash key
            String chunking = chunkTokens + "/" + options.overlap() + "/" + documentPrompt;
            Chunker chunker = new Chunker(embedder.tokenizer(), chunkTokens, options.overlap());
            // 1. read, check and chunk everything that changed; nothing is written yet
            List<Pending> pending = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            int added = 0;
            int changed = 0;
            long total = 0;
            for (Path f : files) {
                SourceFile sf = SourceFile.read(f);
                seen.add(sf.source());
                String key = sf.hash() + "/" + chunking;
                String old = known.get(sf.source());
                if (key.equals(old)) {
                    continue;
                }
                if (old == null) {
                    added++;
                } else {
                    changed++;
                }
                List<List<Chunker.Chunk>> chunks = new ArrayList<>();
                for (SourceFile.Doc d : sf.documents()) {
                    List<Chunker.Chunk> c = chunker.chunks(d.text());
                    chunks.add(c);
                    total += c.size();
                }
                pending.add(new Pending(sf, key, chunks));
            }
            List<String> gone = new ArrayList<>();
            for (String s : known.keySet()) {
                Path p = Path.of(s);
                if (!seen.contains(s) && (!Files.exists(p) || roots.stream().anyMatch(p::startsWith))) {
                    gone.add(s);
                }
            }
            int unchanged = files.size() - added - changed;
            if (pending.isEmpty() && gone.isEmpty() && !known.isEmpty()) {
                return new Report(files.size(), 0, 0, unchanged, 0, 0, chunksIn(dir), seconds(t0));
            }
            // 2. write
            IndexWriterConfig cfg = new IndexWriterConfig(new StandardAnalyzer());
            cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            cfg.setCommitOnClose(false);
            cfg.setRAMBufferSizeMB(128);
            IndexWriter w;
            try {
                w = new IndexWriter(dir, cfg);
            } catch (LockObtainFailedException e) {
                throw new SearchException(path + " is being written by another process (its write.lock is held)");
            }
            try (w) {
                for (String s : gone) {
                    w.deleteDocuments(new Term(IndexLayout.SOURCE, s));
                }
                long done = 0;
                long lastCommit = System.nanoTime();
                EmbedOptions opts = EmbedOptions.DEFAULTS.withNormalize(true).withPrompt(documentPrompt);
                for (Pending p : pending) {
                    w.deleteDocuments(new Term(IndexLayout.SOURCE, p.file().source()));
                    List<Document> batch = new ArrayList<>();
                    List<String> texts = new ArrayList<>();
                    int chunkCount = 0;
                    for (int di = 0; di < p.file().documents().size(); di++) {
                        SourceFile.Doc d = p.file().documents().get(di);
                        for (Chunker.Chunk c : p.chunks().get(di)) {
                            batch.add(chunkDocument(p.file().source(), d, c));
                            texts.add(c.text());
                            chunkCount++;
                            if (texts.size() == options.batchSize()) {
                                done += flush(w, batch, texts, opts);
                                progress.update(done, total, seconds(t0));
                            }
                        }
                    }
                    done += flush(w, batch, texts, opts);
                    progress.update(done, total, seconds(t0));
                    Document fd = new Document();
                    fd.add(new StringField(IndexLayout.KIND, IndexLayout.FILE, Field.Store.NO));
                    fd.add(new StringField(IndexLayout.SOURCE, p.file().source(), Field.Store.YES));
                    fd.add(new StoredField(IndexLayout.HASH, p.key()));
                    fd.add(new StoredField(IndexLayout.CHUNKS, chunkCount));
                    w.addDocument(fd);
                    if ((System.nanoTime() - lastCommit) / 1e9 >= options.commitSeconds()) {
                        commit(w);
                        lastCommit = System.nanoTime();
                    }
                }
                commit(w);
            }
            return new Report(files.size(), added, changed, unchanged, gone.size(), total, chunksIn(dir), seconds(t0));
        }
    }

    private record Pending(SourceFile file, String key, List<List<Chunker.Chunk>> chunks) {
    }

    private int flush(IndexWriter w, List<Document> batch, List<String> texts, EmbedOptions opts) throws IOException {
        if (texts.isEmpty()) {
            return 0;
        }
        List<Embedding> vectors = embedder.embed(texts, opts);
        for (int i = 0; i < batch.size(); i++) {
            Embedding e = vectors.get(i);
            if (e.truncated()) { // cannot happen: chunks are cut to fit; say so loudly if it does
                throw new IllegalStateException("chunk " + i + " of a batch was truncated by the model");
            }
            batch.get(i).add(new KnnFloatVectorField(IndexLayout.VECTOR, e.vector(), VectorSimilarityFunction.DOT_PRODUCT));
            w.addDocument(batch.get(i));
        }
        int n = batch.size();
        batch.clear();
        texts.clear();
        return n;
    }

    private static Document chunkDocument(String source, SourceFile.Doc d, Chunker.Chunk c) {
        Document doc = new Document();
        doc.add(new StringField(IndexLayout.KIND, IndexLayout.CHUNK, Field.Store.NO));
        doc.add(new StringField(IndexLayout.SOURCE, source, Field.Store.YES));
        doc.add(new StringField(IndexLayout.ID, d.id(), Field.Store.YES));
        doc.add(new StoredField(IndexLayout.START, c.start()));
        doc.add(new StoredField(IndexLayout.END, c.end()));
        doc.add(new StoredField(IndexLayout.CHUNK_NO, c.index()));
        doc.add(new TextField(IndexLayout.TEXT, c.text(), Field.Store.YES));
        for (Map.Entry<String, String> m : d.metadata().entrySet()) {
            doc.add(new StringField(IndexLayout.META + m.getKey(), m.getValue(), Field.Store.YES));
        }
        return doc;
    }

    private void commit(IndexWriter w) throws IOException {
        Map<String, String> data = new HashMap<>();
        data.put(IndexLayout.U_FORMAT, IndexLayout.FORMAT);
        data.put(IndexLayout.U_MODEL, embedder.name());
        data.put(IndexLayout.U_SPEC, spec);
        data.put(IndexLayout.U_DIMS, Integer.toString(embedder.dimensions()));
        data.put(IndexLayout.U_CHUNK_TOKENS, Integer.toString(chunkTokens));
        data.put(IndexLayout.U_OVERLAP, Integer.toString(options.overlap()));
        w.setLiveCommitData(data.entrySet());
        w.commit();
    }

    /** The indexed files and their hash keys, from the last commit. */
    private static Map<String, String> knownFiles(Directory dir) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!DirectoryReader.indexExists(dir)) {
            return out;
        }
        try (DirectoryReader r = DirectoryReader.open(dir)) {
            IndexSearcher s = new IndexSearcher(r);
            StoredFields stored = s.storedFields();
            for (ScoreDoc sd : s.search(new TermQuery(new Term(IndexLayout.KIND, IndexLayout.FILE)), Integer.MAX_VALUE)
                    .scoreDocs) {
                Document d = stored.document(sd.doc);
                out.put(d.get(IndexLayout.SOURCE), d.get(IndexLayout.HASH));
            }
        }
        return out;
    }

    private static long chunksIn(Directory dir) throws IOException {
        if (!DirectoryReader.indexExists(dir)) {
            return 0;
        }
        try (DirectoryReader r = DirectoryReader.open(dir)) {
            return new IndexSearcher(r).count(new TermQuery(new Term(IndexLayout.KIND, IndexLayout.CHUNK)));
        }
    }

    /** The files named, and the readable files under the directories named (in name order). */
    private static List<Path> list(List<Path> inputs, Set<Path> roots) throws IOException {
        if (inputs.isEmpty()) {
            throw new SearchException("no files to index: name files or directories");
        }
        Set<Path> out = new LinkedHashSet<>();
        for (Path in : inputs) {
            Path abs = in.toAbsolutePath().normalize();
            if (Files.isDirectory(abs)) {
                roots.add(abs);
                try (Stream<Path> walk = Files.walk(abs, FileVisitOption.FOLLOW_LINKS)) {
                    walk.filter(Files::isRegularFile)
                            .filter(p -> !hidden(abs, p))
                            .filter(SourceFile::readable)
                            .sorted()
                            .forEach(out::add);
                }
            } else if (Files.exists(abs)) {
                out.add(abs);
            } else {
                throw new SearchException(abs + ": no such file or directory");
            }
        }
        return new ArrayList<>(out);
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The chunk size this indexer uses, in tokens. */
    public int chunkTokens() {
        return chunkTokens;
    }

    @Override
    public String toString() {
        return "Indexer[" + path + ", " + Objects.requireNonNull(embedder.name()) + "]";
    }
}
