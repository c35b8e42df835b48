package dev.tongyeok.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tongyeok.embed.EncodedInput;
import dev.tongyeok.rerank.Reranker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tongyeok rerank}: documents ranked by how well a cross-encoder says they answer a query. */
@Command(name = "rerank", mixinStandardHelpOptions = true,
        description = {"Scores each document against the query with a cross-encoder (the model reads the pair "
                + "together) and prints them best first.",
            "Cross-encoders: cross-encoder/ms-marco-MiniLM-L-6-v2, BAAI/bge-reranker-base and -v2-m3, their GGUF files."})
final class RerankCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model;

    @Parameters(index = "0", paramLabel = "QUERY", description = "the query")
    String query;

    @Parameters(index = "1..*", paramLabel = "DOCUMENT", arity = "0..*", description = "the documents (or --input)")
    List<String> documents = new ArrayList<>();

    @Option(names = "--input", paramLabel = "FILE|-", description = "JSON Lines with a \"text\" field per line, one "
            + "document each ('-': standard input)")
    String input;

    @Option(names = "--top", paramLabel = "N", description = "print the N best only (default: all)")
    Integer top;

    @Option(names = "--raw-scores", description = "the classifier's logits instead of their sigmoid (0 to 1)")
    boolean raw;

    @Option(names = "--format", paramLabel = "table|jsonl", description = "table for people (default) or jsonl: "
            + "{\"rank\",\"index\",\"score\",\"text\"} per line, best first")
    String format = "table";

    @Option(names = "--output", paramLabel = "FILE|-", description = "where to write (default: standard output); a file "
            + "appears whole or not at all")
    String output;

    // A document as the table shows it: its first 100 characters, then … (jsonl carries it whole).
    static String shortened(String s) {
        int n = s.codePointCount(0, s.length());
        return n <= 100 ? s : s.substring(0, s.offsetByCodePoints(0, 99)) + "\u2026";
    }

    @Override
    public Integer call() throws IOException {
        if (!format.equals("table") && !format.equals("jsonl")) {
            throw new InputException("--format must be table or jsonl, not '" + format + "'");
        }
        if (top != null && top < 1) {
            throw new InputException("--top must be at least 1, not " + top);
        }
        List<String> docs = new ArrayList<>(documents);
        if (input != null) {
            if (!docs.isEmpty()) {
                throw new InputException("give DOCUMENT arguments or --input FILE (one of the two)");
            }
            try (JsonLinesInput in = new JsonLinesInput(input)) {
                for (String t; (t = in.next()) != null; ) {
                    docs.add(t);
                }
            }
        }
        if (docs.isEmpty()) {
            throw new InputException("no documents to rank: give DOCUMENT arguments after the query, or --input FILE");
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--model")) {
            throw new InputException("rerank needs a cross-encoder: --model cross-encoder/ms-marco-MiniLM-L-6-v2, "
                    + "BAAI/bge-reranker-base, a model directory or a GGUF file (the default model embeds, it does not rank)");
        }
        PrintWriter err = spec.commandLine().getErr();
        Reranker reranker;
        try {
            reranker = Reranker.of(model.load(err));
        } catch (dev.tongyeok.load.ModelException e) {
            throw new InputException(e.getMessage());
        }
        List<EncodedInput> pairs = reranker.pairs(query, docs);
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).truncated()) {
                err.println("tongyeok: document " + (i + 1) + ": the pair has " + pairs.get(i).originalTokens()
                        + " tokens, cut to " + pairs.get(i).encoding().length() + " (the model's limit)");
            }
        }
        List<Reranker.Ranked> ranked = Reranker.ranked(docs, reranker.scoresOf(pairs, raw), top == null ? 0 : top);
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            write(out, ranked, docs.size(), reranker);
            out.flush();
        } else {
            try (AtomicOutput out = new AtomicOutput(output)) {
                write(out.writer(), ranked, docs.size(), reranker);
                out.commit();
            }
        }
        return 0;
    }

    private void write(Writer w, List<Reranker.Ranked> ranked, int count, Reranker reranker) throws IOException {
        if (format.equals("jsonl")) {
            JsonGenerator g = new JsonFactory().createGenerator(w);
            g.setRootValueSeparator(null);
            for (int r = 0; r < ranked.size(); r++) {
                Reranker.Ranked d = ranked.get(r);
                g.writeStartObject();
                g.writeNumberField("rank", r + 1);
                g.writeNumberField("index", d.index());
                g.writeNumberField("score", d.score());
                g.writeStringField("text", d.document());
                g.writeEndObject();
                g.flush();
                w.write('\n');
            }
        } else {
            w.write("\"" + Display.escape(query) + "\" against " + count + " documents (" + reranker.name()
                    + ", " + (raw || !reranker.sigmoid() ? "logits" : "sigmoid scores") + ")\n");
            w.write(String.format(Locale.ROOT, "  %4s  %9s  %5s  %s%n", "rank", "score", "#", "document"));
            for (int r = 0; r < ranked.size(); r++) {
                Reranker.Ranked d = ranked.get(r);
                w.write(String.format(Locale.ROOT, "  %4d  %9.5f  %5d  %s%n", r + 1, d.score(), d.index() + 1,
                        Display.quote(shortened(d.document()))));
            }
        }
    }
}
