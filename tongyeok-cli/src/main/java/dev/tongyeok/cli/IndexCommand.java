package dev.tongyeok.cli;

import dev.tongyeok.embed.Embedder;
import dev.tongyeok.search.Indexer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tongyeok index}: documents into a local semantic search index (Apache Lucene HNSW + BM25). */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Indexes plain text (.txt), Markdown (.md) and JSON Lines (.jsonl: \"text\", optional \"id\", "
                + "other fields kept as metadata) for tongyeok search. Documents are cut into chunks by tokens with "
                + "overlap; each chunk keeps its source and character range.",
            "Running it again updates changed files and drops files that are gone; the index records its model and "
                + "refuses another. Commits are atomic: a killed run leaves the last commit searchable."})
final class IndexCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "the index directory (created if missing)")
    Path index;

    @Option(names = "--chunk-tokens", paramLabel = "N", defaultValue = "0",
            description = "most tokens in a chunk (default: as many as the model takes at once)")
    int chunkTokens;

    @Option(names = "--overlap", paramLabel = "N", defaultValue = "32",
            description = "tokens shared by consecutive chunks (default: ${DEFAULT-VALUE})")
    int overlap;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "files, and directories to walk for .txt, .md and .jsonl files")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        // Indexing embeds a whole file: the kernels compile while the model loads.
        dev.tongyeok.tensor.ops.Ops.warmUpInBackground();
        Embedder embedder = model.load(err);
        Indexer indexer = Indexer.open(index, embedder, model.spec,
                Indexer.Options.DEFAULTS.withChunkTokens(chunkTokens).withOverlap(overlap));
        // System.console() is not null on a pipe either (JDK 22+): only a terminal gets the bar.
        ProgressBar bar = new ProgressBar(err, System.console() != null && System.console().isTerminal());
        Indexer.Report r = indexer.update(paths, bar::update);
        bar.finish();
        err.println(String.format(Locale.ROOT, "tongyeok index: %s: %d files (%d new, %d changed, %d unchanged, "
                + "%d removed); %d chunks embedded in %.1f s (%.0f chunks/s); %d chunks in the index",
                index, r.files(), r.added(), r.changed(), r.unchanged(), r.removed(), r.chunks(), r.seconds(),
                r.chunks() / Math.max(r.seconds(), 1e-9), r.chunksInIndex()));
        return 0;
    }

    /** A one-line progress bar on a terminal; on a pipe, a line every ten seconds. */
    static final class ProgressBar {
        private final PrintWriter err;
        private final boolean terminal;
        private long lastDraw;
        private boolean drawn;

        ProgressBar(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        void update(long done, long total, double seconds) {
            long now = System.nanoTime();
            long every = terminal ? 200_000_000L : 10_000_000_000L;
            if (now - lastDraw < every && done < total) {
                return;
            }
            lastDraw = now;
            double rate = done / Math.max(seconds, 1e-9);
            int width = 30;
            int filled = total == 0 ? width : (int) (width * done / total);
            String line = String.format(Locale.ROOT, "[%s%s] %,d/%,d chunks  %.0f chunks/s", "#".repeat(filled),
                    ".".repeat(width - filled), done, total, rate);
            if (terminal) {
                err.print("\r" + line);
                drawn = true;
            } else {
                // A pipe or a log file: a plain line now and then, no bar to redraw.
                err.println(String.format(Locale.ROOT, "tongyeok index: %,d of %,d chunks embedded (%.0f chunks/s)", done,
                        total, rate));
            }
            err.flush();
        }

        void finish() {
            if (drawn) {
                err.println();
            }
        }
    }
}
