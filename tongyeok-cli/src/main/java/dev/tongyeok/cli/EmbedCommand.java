package dev.tongyeok.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.embed.Inspection;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.tokenize.Encoding;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tongyeok embed}: text to the model's vectors, a matrix of tokens × dimensions and the pooled sentence vector. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Turns text into the model's vectors: one row per token (start/end markers included) and the "
                + "pooled sentence vector.",
            "The table (default with TEXT) shows the token matrix with its middle columns elided; jsonl (default with "
                + "--input) writes {\"embedding\":[...]} per line, or {\"tokens\":[...],\"embeddings\":[[...],...]} with "
                + "--pooling none; npy writes one float32 array (texts × dims)."})
final class EmbedCommand implements Callable<Integer> {
    private static final JsonFactory JSON = new JsonFactory();
    /** Texts read from --input per call of the embedder. */
    private static final int CHUNK = 256;
    /** Chunks in flight: the one being written (or waited for) and the next, which computes meanwhile. */
    private static final int IN_FLIGHT = 2;
    /**
     * Texts on the command line this long in all (in chars; ~250 English tokens) wait for the
     * kernels' warm-up, started at once, instead of running cold.
     */
    private static final int LONG_TEXTS = 1000;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "texts to embed, one result each")
    List<String> texts;

    @Option(names = "--input", paramLabel = "FILE|-", description = "JSON Lines with a \"text\" field per line ('-': standard input)")
    String input;

    @Option(names = "--output", paramLabel = "FILE|-", description = "where to write (default: standard output); a file appears whole or not at all")
    String output;

    @Option(names = "--format", paramLabel = "table|jsonl|npy", description = "table for people (default with TEXT), jsonl (default with --input) or npy")
    String format;

    @Option(names = "--pooling", paramLabel = "MODE", description = "how token vectors become one: mean, cls, max, mean-sqrt-len, weighted-mean, last, or none for the token vectors themselves (default: the model's, from its sentence-transformers configuration)")
    String pooling;

    @Option(names = "--normalize", negatable = true, description = "L2-normalize the vectors (default: the model's for sentence vectors; with --pooling none the raw hidden states, as TEI's /embed_all and sentence-transformers' token_embeddings give them)")
    Boolean normalize;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "put before every text, as E5's \"query: \" or \"passage: \"")
    String prompt;

    @Option(names = "--dimensions", paramLabel = "N", description = "keep the first N dimensions, then renormalize (Matryoshka)")
    Integer dimensions;

    @Option(names = "--max-length", paramLabel = "N", description = "token limit, special tokens included (default: the model's)")
    Integer maxLength;

    @Option(names = "--static", description = "show the rows of the token embedding table (the lookup, before position, "
            + "LayerNorm and attention), read from the weight file without building the model")
    boolean staticRows;

    @Option(names = "--layer", paramLabel = "N", description = "table: show the hidden state after layer N (0: the embeddings' output; default: the last layer)")
    Integer layer;

    @Option(names = "--all-dims", description = "table: print every dimension instead of eliding the middle")
    boolean allDims;

    @Option(names = "--progress", negatable = true, description = "show a progress bar on standard error for --input (default: when standard error is a terminal)")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        if ((texts == null || texts.isEmpty()) == (input == null)) {
            throw new InputException("give TEXT arguments or --input FILE (one of the two)");
        }
        String fmt = format != null ? format : (input != null ? "jsonl" : "table");
        if (!fmt.equals("table") && !fmt.equals("jsonl") && !fmt.equals("npy")) {
            throw new InputException("--format must be table, jsonl or npy, not '" + fmt + "'");
        }
        Pooling pool;
        try {
            pool = pooling == null ? null : Pooling.parse(pooling);
        } catch (IllegalArgumentException e) {
            throw new InputException("--" + e.getMessage());
        }
        if (dimensions != null && dimensions < 1) {
            throw new InputException("--dimensions must be at least 1, not " + dimensions);
        }
        if (maxLength != null && maxLength < 2) {
            throw new InputException("--max-length must be at least 2, not " + maxLength);
        }
        if ((staticRows || layer != null) && !fmt.equals("table") && pool != Pooling.NONE) {
            throw new InputException("--static and --layer choose the token matrix: use them with the table or with --pooling none");
        }
        if (staticRows && layer != null) {
            throw new InputException("--static and --layer exclude each other");
        }
        if (fmt.equals("npy") && output == null && System.console() != null && System.console().isTerminal()) {
            throw new InputException("--format npy writes binary: give --output FILE or redirect standard output");
        }
        boolean longTexts = input == null && texts != null && texts.stream().mapToInt(String::length).sum() >= LONG_TEXTS;
        if ((input != null || longTexts) && !staticRows) {
            // A file of texts, or texts long enough for many seconds of cold kernels: the kernels
            // compile while the model loads.
            dev.tongyeok.tensor.ops.Ops.warmUpInBackground();
        }
        Embedder embedder = staticRows ? model.open(spec.commandLine().getErr()) : model.load(spec.commandLine().getErr());
        if (!staticRows) {
            ModelOption.promptHint(embedder, prompt, spec.commandLine().getErr());
        }
        int layers = embedder.files().config().num_hidden_layers();
        if (layer != null && (layer < 0 || layer > layers)) {
            throw new InputException("--layer must be between 0 and " + layers + " for " + embedder.name() + ", not " + layer);
        }
        if (dimensions != null && dimensions > embedder.dimensions()) {
            throw new InputException("--dimensions " + dimensions + " exceeds " + embedder.name() + "'s " + embedder.dimensions());
        }
        EmbedOptions options = new EmbedOptions(pool, normalize, prompt,
                dimensions == null ? 0 : dimensions, maxLength == null ? 0 : maxLength);
        PrintWriter err = spec.commandLine().getErr();
        List<float[][]> npy = new ArrayList<>();
        try (AtomicOutput out = new AtomicOutput(output)) {
            Writer w = out.writer();
            if (input != null) {
                Progress bar = progressBar(err);
                try (JsonLinesInput in = new JsonLinesInput(input)) {
                    // The chunk after the one being written is tokenized and computed meanwhile, on a
                    // thread of its own: the cores do not wait for the writing, the reading or the
                    // tokenizing, nor idle through a chunk's last batch, which the next chunk's batches
                    // share the cores with.
                    java.util.ArrayDeque<Chunk> pending = new java.util.ArrayDeque<>();
                    boolean more = true;
                    int done = 0;
                    while (true) {
                        while (more && pending.size() < IN_FLIGHT) {
                            Chunk c = readChunk(in, fmt.equals("table") ? null : embedder, options);
                            if (c == null) {
                                more = false;
                            } else {
                                pending.add(c);
                            }
                        }
                        Chunk c = pending.poll();
                        if (c == null) {
                            break;
                        }
                        List<Embedding> es = c.results();
                        for (int i = 0; i < c.texts().size(); i++) {
                            String where = in.name() + " line " + c.lines().get(i);
                            if (es == null) {
                                table(embedder, options, c.texts().get(i), w, err, where);
                            } else {
                                emit(embedder, options, es.get(i), fmt, w, err, npy, where);
                            }
                        }
                        done += c.texts().size();
                        bar.update(done);
                    }
                }
                bar.finish();
            } else if (fmt.equals("table")) {
                for (int i = 0; i < texts.size(); i++) {
                    table(embedder, options, texts.get(i), w, err, "text " + (i + 1));
                }
            } else {
                List<Embedding> es = compute(embedder, texts, options, longTexts);
                for (int i = 0; i < es.size(); i++) {
                    emit(embedder, options, es.get(i), fmt, w, err, npy, "text " + (i + 1));
                }
            }
            if (fmt.equals("npy")) {
                writeNpy(npy, out.stream(), pool == Pooling.NONE);
            }
            out.commit();
        }
        return 0;
    }

    /** Up to {@link #CHUNK} texts of --input with their line numbers, and their results once computed. */
    private record Chunk(List<String> texts, List<Integer> lines, java.util.concurrent.CompletableFuture<List<Embedding>> computing) {
        /** The results, waiting for them; null for the table, which computes as it writes. */
        List<Embedding> results() {
            if (computing == null) {
                return null;
            }
            try {
                return computing.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error r) {
                    throw r;
                }
                throw e;
            }
        }
    }

    /**
     * Reads the next chunk and, given an embedder, starts computing it on a thread of its own (which
     * hands the batches to the compute threads); null at the end of the input.
     */
    private Chunk readChunk(JsonLinesInput in, Embedder embedder, EmbedOptions options) throws IOException {
        List<String> chunk = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (String text; chunk.size() < CHUNK && (text = in.next()) != null; ) {
            chunk.add(text);
            lines.add(in.line());
        }
        if (chunk.isEmpty()) {
            return null;
        }
        // A full chunk means many texts: it waits for the kernels' warm-up (once; a file of a few
        // texts computes at once instead).
        boolean bulk = chunk.size() == CHUNK;
        var computing = embedder == null ? null : java.util.concurrent.CompletableFuture.supplyAsync(
                () -> compute(embedder, chunk, options, bulk), r -> Thread.ofPlatform().daemon().name("tongyeok-embed").start(r));
        return new Chunk(chunk, lines, computing);
    }

    private Progress progressBar(PrintWriter err) throws IOException {
        boolean show = progress != null ? progress : System.console() != null && System.console().isTerminal();
        long total = -1;
        if (show && !input.equals("-")) {
            try (var lines = Files.lines(Path.of(input), StandardCharsets.UTF_8)) {
                total = lines.filter(l -> !l.isBlank()).count();
            } catch (java.io.UncheckedIOException e) {
                total = -1;
            }
        }
        return new Progress(show ? err : null, total);
    }

    /**
     * The results for jsonl and npy: the library's batched embedding, or with --static / --layer
     * (only with --pooling none) one inspection per text, whose chosen matrix becomes the token rows.
     */
    private List<Embedding> compute(Embedder embedder, List<String> batch, EmbedOptions options, boolean bulk) {
        if (!staticRows && layer == null) {
            if (bulk) {
                dev.tongyeok.tensor.ops.Ops.awaitWarmUp();
            }
            return embedder.embed(batch, options);
        }
        List<Embedding> out = new ArrayList<>(batch.size());
        for (String text : batch) {
            Inspection in = staticRows ? embedder.inspectStatic(text, options) : embedder.inspect(text, options);
            out.add(new Embedding(in.encoding(), null, rows(in), in.originalTokens(), in.keptChars()));
        }
        return out;
    }

    // The token matrix the options ask for: the lookup rows, a layer's hidden state, or the last layer's.
    private float[][] rows(Inspection in) {
        return staticRows ? in.staticEmbeddings() : in.hiddenStates().get(layer == null ? in.layers() : layer);
    }

    private void emit(Embedder embedder, EmbedOptions options, Embedding e, String fmt, Writer w, PrintWriter err,
            List<float[][]> npy, String where) throws IOException {
        warnTruncated(embedder, options, e.originalTokens(), e.encoding().length(), e.keptChars(), err, where);
        warnCoverage(embedder, e.encoding(), err, where);
        if (fmt.equals("npy")) {
            npy.add(e.vector() != null ? new float[][] {e.vector()} : e.tokenVectors());
            return;
        }
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            if (e.vector() != null) {
                g.writeFieldName("embedding");
                writeArray(g, e.vector());
            } else {
                g.writeArrayFieldStart("tokens");
                for (String t : e.encoding().tokens()) {
                    g.writeString(t);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("embeddings");
                for (float[] row : e.tokenVectors()) {
                    writeArray(g, row);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        w.write('\n');
    }

    private static void writeArray(JsonGenerator g, float[] v) throws IOException {
        g.writeStartArray();
        for (float x : v) {
            g.writeNumber(x);
        }
        g.writeEndArray();
    }

    private void warnTruncated(Embedder embedder, EmbedOptions options, int originalTokens, int keptTokens,
            int keptChars, PrintWriter err, String where) {
        if (originalTokens > keptTokens) {
            err.println("tongyeok: " + where + ": " + originalTokens + " tokens, truncated to " + keptTokens
                    + " (" + embedder.name() + "'s limit" + (options.maxLength() > 0 ? " set by --max-length" : "")
                    + "); the first " + keptChars + " characters were embedded");
        }
    }

    // One line when the model's vocabulary splits the text into fragments (the seed's 안녕하세요 under an English model).
    private static void warnCoverage(Embedder embedder, Encoding e, PrintWriter err, String where) {
        String m = dev.tongyeok.embed.Coverage.of(e, embedder.tokenizer().model().unknownToken()).message(embedder.name());
        if (m != null) {
            err.println("tongyeok: " + where + ": " + m);
        }
    }

    private void table(Embedder embedder, EmbedOptions options, String text, Writer w, PrintWriter err, String where)
            throws IOException {
        Inspection in = staticRows ? embedder.inspectStatic(text, options) : embedder.inspect(text, options);
        warnTruncated(embedder, options, in.originalTokens(), in.tokens(), in.keptChars(), err, where);
        warnCoverage(embedder, in.encoding(), err, where);
        Encoding enc = in.encoding();
        int l = layer == null ? in.layers() : layer;
        float[][] rows = rows(in);
        String what = staticRows ? "static: rows of the token embedding table"
                : l == 0 ? "after the embeddings (word + position + type, LayerNorm)"
                : "contextual: after layer " + l + " of " + in.layers();
        int T = rows.length;
        int C = rows[0].length;
        String[] tokens = new String[T];
        int width = "token".length();
        for (int t = 0; t < T; t++) {
            tokens[t] = Display.escape(enc.token(t));
            width = Math.max(width, Display.width(tokens[t]));
        }
        w.write(Display.quote(text) + " -> " + T + " tokens × " + C + " dims (" + embedder.name() + ", " + what + ")\n");
        w.write(String.format(Locale.ROOT, "%5s  %s  %s%n", "#", Display.pad("token", width), "vector"));
        for (int t = 0; t < T; t++) {
            w.write(String.format(Locale.ROOT, "%5d  %s  %s%n", t, Display.pad(tokens[t], width),
                    Vectors.elided(rows[t], allDims ? -1 : 4, 2)));
        }
        w.write(T + " tokens × " + C + " dims\n");
        if (in.vector() != null) {
            w.write("sentence vector (" + embedder.pooling(options) + " pooling"
                    + (embedder.normalizes(options) ? ", L2-normalized" : "") + "): "
                    + Vectors.elided(in.vector(), allDims ? -1 : 4, 2) + " (" + in.vector().length + " dims)\n");
        }
        w.write('\n');
    }

    /**
     * NumPy's .npy format, version 1.0: magic {@code \x93NUMPY}, version (1, 0), a little-endian
     * uint16 header length, an ASCII dict padded with spaces and a newline to a multiple of 64
     * bytes, then little-endian float32 data in C order.
     */
    private void writeNpy(List<float[][]> rows, OutputStream out, boolean tokenMatrix) throws IOException {
        if (tokenMatrix && rows.size() != 1) {
            throw new InputException("--format npy with --pooling none needs exactly one text (token matrices differ in length)");
        }
        float[][] m = tokenMatrix ? rows.get(0) : rows.stream().map(r -> r[0]).toArray(float[][]::new);
        int C = m.length == 0 ? 0 : m[0].length;
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + m.length + ", " + C + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length());
        out.write(head.array());
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer row = ByteBuffer.allocate(C * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : m) {
            row.clear();
            row.asFloatBuffer().put(r);
            out.write(row.array());
        }
    }

    /** A one-line progress bar on standard error, redrawn in place. */
    static final class Progress {
        private final PrintWriter err;
        private final long total;
        private final long start = System.nanoTime();
        private boolean drawn;

        Progress(PrintWriter err, long total) {
            this.err = err;
            this.total = total;
        }

        void update(long done) {
            if (err == null) {
                return;
            }
            double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            String rate = String.format(Locale.ROOT, "%.0f texts/s", done / secs);
            if (total > 0) {
                int width = 30;
                int filled = (int) Math.min(width, done * width / total);
                err.print(String.format(Locale.ROOT, "\r[%s%s] %3d%% %d/%d %s", "#".repeat(filled),
                        ".".repeat(width - filled), done * 100 / total, done, total, rate));
            } else {
                err.print("\r" + done + " texts, " + rate);
            }
            err.flush();
            drawn = true;
        }

        void finish() {
            if (err != null && drawn) {
                err.println();
            }
        }
    }
}
