package dev.tongyeok.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Running the command line in-process, and the HF tokenizer the CLI tests compare with. */
final class Cli {
    private Cli() {}

    /** An exit code with what went to standard output and standard error. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** The default model's tokenizer.json, from the LangChain4j artifact. */
    static String minilmJson() throws IOException {
        try (InputStream in = Cli.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** HF tokenizers (through DJL) on {@code json}, without the file's truncation and padding. */
    static HuggingFaceTokenizer hf(String json) throws IOException {
        System.setProperty("OPT_OUT_TRACKING", "true");
        return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                Map.of("truncation", "false", "padding", "false"));
    }
}
