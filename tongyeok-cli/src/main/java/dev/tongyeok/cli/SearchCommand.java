package dev.tongyeok.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.rerank.Reranker;
import dev.tongyeok.search.Hit;
import dev.tongyeok.search.SearchIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tongyeok search}: ask an index in plain language. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Finds the chunks nearest in meaning to QUERY in an index built by tongyeok index (with the "
                + "index's own model).",
            "--format jsonl writes one line per hit {\"rank\",\"score\",\"id\",\"source\",\"start\",\"end\",\"text\"}; "
                + "with --input, one line {\"query\":...,\"hits\":[...]} per query."})
final class SearchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "the index directory")
    Path index;

    @Option(names = {"-k", "--k"}, paramLabel = "N", defaultValue = "10", description = "hits per query (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--filter", paramLabel = "FIELD=VALUE",
            description = "keep hits whose FIELD equals VALUE (repeatable; id, source, or a JSON Lines field)")
    List<String> filters = new ArrayList<>();

    @Option(names = "--hybrid", description = "fuse BM25 word matching with the vector search (reciprocal rank fusion)")
    boolean hybrid;

    @Option(names = "--rerank", paramLabel = "MODEL", description = "rerank the nearest chunks with this cross-encoder "
            + "(cross-encoder/ms-marco-MiniLM-L-6-v2, BAAI/bge-reranker-base, a directory or a GGUF file); hits then "
            + "carry both scores")
    String rerank;

    @Option(names = "--candidates", paramLabel = "N", defaultValue = "50",
            description = "with --rerank: how many nearest chunks the cross-encoder reads (default: ${DEFAULT-VALUE})")
    int candidates;

    @Option(names = "--format", paramLabel = "table|jsonl", description = "table for people (default) or jsonl")
    String format;

    @Option(names = "--input", paramLabel = "FILE", description = "JSON Lines of queries, \"query\" (or \"text\") per line")
    Path input;

    @Option(names = "--output", paramLabel = "FILE|-", description = "where to write (default: standard output); a file appears whole or not at all")
    String output;

    @Parameters(paramLabel = "QUERY", arity = "0..*", description = "the question, in plain language")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String fmt = format == null ? "table" : format;
        if (!fmt.equals("table") && !fmt.equals("jsonl")) {
            throw new InputException("--format must be table or jsonl, found " + fmt);
        }
        if (input != null && !words.isEmpty()) {
            throw new InputException("give either QUERY or --input, not both");
        }
        List<String> queries = input != null ? readQueries(input) : List.of(String.join(" ", words));
        if (input == null && queries.get(0).isBlank()) {
            throw new InputException("the query is empty: give QUERY or --input FILE");
        }
        Map<String, String> filter = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new InputException("--filter '" + f + "' must be FIELD=VALUE");
            }
            filter.put(f.substring(0, eq), f.substring(eq + 1));
        }
        Reranker reranker = null;
        if (rerank != null) {
            if (candidates < k) {
                throw new InputException("--candidates " + candidates + " is fewer than -k " + k);
            }
            ModelOption m = new ModelOption();
            m.spec = rerank;
            try {
                reranker = Reranker.of(m.load(spec.commandLine().getErr()));
            } catch (dev.tongyeok.load.ModelException e) {
                throw new InputException("--rerank " + rerank + ": " + e.getMessage());
            }
        }
        try (SearchIndex si = SearchIndex.open(index, null); AtomicOutput out = new AtomicOutput(output)) {
            Writer w = out.writer();
            for (String q : queries) {
                List<Hit> hits = reranker == null ? si.search(q, k, filter, hybrid)
                        : si.search(q, k, filter, hybrid, reranker, candidates);
                if (fmt.equals("jsonl")) {
                    writeJson(w, input != null ? q : null, hits);
                } else {
                    table(w, q, hits, input != null || queries.size() > 1);
                }
            }
            out.commit();
        }
        return 0;
    }

    private static List<String> readQueries(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (MalformedInputException e) {
            throw new InputException(file + ": not UTF-8 text");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new InputException(file + " line " + (i + 1) + ": not valid JSON (" + Main.oneLine(e.getOriginalMessage()) + ")");
            }
            JsonNode q = n != null && n.isObject() ? (n.has("query") ? n.get("query") : n.get("text")) : null;
            if (q == null || !q.isTextual()) {
                throw new InputException(file + " line " + (i + 1) + ": expected an object with a string \"query\" (or \"text\")");
            }
            if (q.asText().isBlank()) {
                throw new InputException(file + " line " + (i + 1) + ": the query is empty");
            }
            out.add(q.asText());
        }
        if (out.isEmpty()) {
            throw new InputException(file + ": no queries");
        }
        return out;
    }

    private static void writeJson(Writer w, String query, List<Hit> hits) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(w);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        if (query != null) {
            g.writeStartObject();
            g.writeStringField("query", query);
            g.writeArrayFieldStart("hits");
            for (Hit h : hits) {
                h.writeJson(g);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            w.write('\n');
        } else {
            for (Hit h : hits) {
                h.writeJson(g);
                g.flush();
                w.write('\n');
            }
        }
        g.close();
    }

    private static void table(Writer w, String query, List<Hit> hits, boolean header) throws IOException {
        PrintWriter p = new PrintWriter(w);
        if (header) {
            p.println("query: " + query);
        }
        if (hits.isEmpty()) {
            p.println("  (no hits)");
        }
        for (Hit h : hits) {
            String text = h.text().replaceAll("\\s+", " ").strip();
            if (text.codePointCount(0, text.length()) > 100) {
                text = text.substring(0, text.offsetByCodePoints(0, 99)) + "…";
            }
            p.println(h.rerankScore() == null
                    ? String.format(Locale.ROOT, "%3d  %.4f  %s [%d, %d)", h.rank(), h.score(), h.id(), h.start(), h.end())
                    : String.format(Locale.ROOT, "%3d  %.4f (retrieval %.4f)  %s [%d, %d)", h.rank(), h.rerankScore(),
                            h.score(), h.id(), h.start(), h.end()));
            p.println("       " + text);
        }
        p.flush();
    }
}
