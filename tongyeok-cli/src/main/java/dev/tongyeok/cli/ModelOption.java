package dev.tongyeok.cli;

import dev.tongyeok.embed.Embedder;
import dev.tongyeok.resolve.BuiltinModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code --model SPEC} option of the commands that run a model, and loading it: standard
 * error says when a built-in model is unpacked for the first time.
 */
final class ModelOption {
    @Option(names = "--model", paramLabel = "SPEC", defaultValue = "all-minilm-l6-v2",
            description = "built-in model name, model directory, .onnx or .gguf file or Hub id org/name in the local "
                    + "Hugging Face cache (default: ${DEFAULT-VALUE})")
    String spec;

    Embedder load(PrintWriter err) throws IOException {
        announce(err);
        return Embedder.load(spec);
    }

    /** The model's files and tokenizer only: the model is built if and when something runs it. */
    Embedder open(PrintWriter err) throws IOException {
        announce(err);
        return Embedder.open(spec);
    }

    private void announce(PrintWriter err) {
        var builtin = BuiltinModel.find(spec);
        if (builtin.isPresent() && !builtin.get().unpacked()) {
            BuiltinModel m = builtin.get();
            err.println(String.format(Locale.ROOT, "tongyeok: unpacking %s (%.1f MB) into %s, once", m.name(),
                    m.weightBytes() / 1e6, BuiltinModel.cacheDirectory().resolve("builtin")));
            err.flush();
        }
    }
}
