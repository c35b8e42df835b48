package dev.tongyeok.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tongyeok.resolve.ModelSpec;
import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.Tokenizer;
import dev.tongyeok.tokenize.Truncation;
import dev.tongyeok.tokenize.json.TokenizerJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tongyeok tokenize}: text to the model's own tokens, with ids and the text each covers. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Splits text into a model's tokens exactly as HuggingFace tokenizers does, with the "
                + "model's special tokens (no truncation or padding unless --max-length is given).",
            "JSON Lines output: {\"ids\":[...],\"tokens\":[...],\"offsets\":[[start,end],...]}, offsets in "
                + "Unicode code points of the input text ([0,0] for added markers)."})
final class TokenizeCommand implements Callable<Integer> {
    private static final JsonFactory JSON = new JsonFactory();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "SPEC",
            description = "built-in model name, model directory or tokenizer.json (default: ${DEFAULT-VALUE})",
            defaultValue = "all-minilm-l6-v2")
    String model;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "a tokenizer.json file (instead of --model)")
    Path tokenizerFile;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "texts to tokenize, one result each")
    List<String> texts;

    @Option(names = "--input", paramLabel = "FILE|-", description = "JSON Lines with a \"text\" field per line ('-': standard input)")
    String input;

    @Option(names = "--output", paramLabel = "FILE|-", description = "where to write (default: standard output); a file appears whole or not at all")
    String output;

    @Option(names = "--format", paramLabel = "table|jsonl",
            description = "table for people (default with TEXT) or jsonl (default with --input)")
    String format;

    @Option(names = "--max-length", paramLabel = "N", description = "truncate to N tokens, special tokens included, as HF does")
    Integer maxLength;

    @Option(names = "--no-special-tokens", description = "leave out the model's start/end markers")
    boolean noSpecialTokens;

    @Override
    public Integer call() throws IOException {
        if ((texts == null || texts.isEmpty()) == (input == null)) {
            throw new InputException("give TEXT arguments or --input FILE (one of the two)");
        }
        String fmt = format != null ? format : (input != null ? "jsonl" : "table");
        if (!fmt.equals("table") && !fmt.equals("jsonl")) {
            throw new InputException("--format must be table or jsonl, not '" + fmt + "'");
        }
        if (maxLength != null && maxLength < 1) {
            throw new InputException("--max-length must be at least 1, not " + maxLength);
        }
        String name = tokenizerFile != null ? tokenizerFile.toString() : model;
        Tokenizer tok = (tokenizerFile != null ? TokenizerJson.read(tokenizerFile) : ModelSpec.tokenizer(model))
                .withTruncation(maxLength == null ? null : Truncation.of(maxLength)).withPadding(null);
        PrintWriter err = spec.commandLine().getErr();
        try (AtomicOutput out = new AtomicOutput(output)) {
            Writer w = out.writer();
            if (input != null) {
                try (JsonLinesInput in = new JsonLinesInput(input)) {
                    for (String text; (text = in.next()) != null; ) {
                        write(tok, name, text, fmt, w, err, in.name() + " line " + in.line());
                    }
                }
            } else {
                for (int i = 0; i < texts.size(); i++) {
                    write(tok, name, texts.get(i), fmt, w, err, "text " + (i + 1));
                }
            }
            out.commit();
        }
        return 0;
    }

    private void write(Tokenizer tok, String name, String text, String fmt, Writer w, PrintWriter err, String where)
            throws IOException {
        Encoding e = tok.encode(text, !noSpecialTokens);
        if (!e.overflowing().isEmpty()) {
            err.println("tongyeok: " + where + ": " + tok.countTokens(text) + " tokens truncated to " + e.length()
                    + " (--max-length " + maxLength + ")");
        }
        String poor = dev.tongyeok.embed.Coverage.of(e, tok.model().unknownToken()).message(name);
        if (poor != null) {
            err.println("tongyeok: " + where + ": " + poor);
        }
        if (fmt.equals("jsonl")) {
            writeJson(e, w);
        } else {
            writeTable(e, text, name, w);
        }
    }

    static void writeJson(Encoding e, Writer w) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            g.writeArrayFieldStart("ids");
            for (int i = 0; i < e.length(); i++) {
                g.writeNumber(e.id(i));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("tokens");
            for (int i = 0; i < e.length(); i++) {
                g.writeString(e.token(i));
            }
            g.writeEndArray();
            int[] o = e.codePointOffsets();
            g.writeArrayFieldStart("offsets");
            for (int i = 0; i < e.length(); i++) {
                g.writeStartArray();
                g.writeNumber(o[2 * i]);
                g.writeNumber(o[2 * i + 1]);
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        w.write('\n');
    }

    static void writeTable(Encoding e, String text, String name, Writer w) throws IOException {
        int[] special = e.specialTokensMask();
        String[] tokens = new String[e.length()];
        String[] covers = new String[e.length()];
        int tokenWidth = "token".length();
        for (int i = 0; i < e.length(); i++) {
            tokens[i] = Display.escape(e.token(i));
            int s = e.start(i), end = e.end(i);
            covers[i] = special[i] == 1 && s == 0 && end == 0 ? "(marker)" : Display.quote(text.substring(s, end));
            tokenWidth = Math.max(tokenWidth, Display.width(tokens[i]));
        }
        w.write(Display.quote(text) + " -> " + e.length() + " tokens (" + name + ")\n");
        w.write(String.format("%5s  %7s  %s  %s%n", "#", "id", Display.pad("token", tokenWidth), "text"));
        for (int i = 0; i < e.length(); i++) {
            w.write(String.format("%5d  %7d  %s  %s%n", i, e.id(i), Display.pad(tokens[i], tokenWidth), covers[i]));
        }
        w.write('\n');
    }
}
