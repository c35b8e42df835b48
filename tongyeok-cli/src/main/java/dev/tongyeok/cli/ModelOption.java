package dev.tongyeok.cli;

import dev.tongyeok.embed.Embedder;
import dev.tongyeok.hub.HubClient;
import dev.tongyeok.resolve.BuiltinModel;
import dev.tongyeok.resolve.ModelSpec;
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
            description = "built-in model name, model directory, .onnx or .gguf file, Hub id (org/name, org/name@REVISION, "
                    + "org/name:TAG for a GGUF file; downloaded into the Hugging Face cache when missing) or ollama:NAME[:TAG] "
                    + "(default: ${DEFAULT-VALUE})")
    String spec;

    @Option(names = {"-q", "--quiet"}, description = "no download progress on standard error")
    boolean quiet;

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
        ModelSpec.useHub(HubClient.standard(quiet ? HubClient.Progress.NONE : DownloadProgress.onStderr(err),
                err::println));
        var builtin = BuiltinModel.find(spec);
        if (builtin.isPresent() && !builtin.get().unpacked()) {
            BuiltinModel m = builtin.get();
            err.println(String.format(Locale.ROOT, "tongyeok: unpacking %s (%.1f MB) into %s, once", m.name(),
                    m.weightBytes() / 1e6, BuiltinModel.cacheDirectory().resolve("builtin")));
            err.flush();
        }
    }
}
