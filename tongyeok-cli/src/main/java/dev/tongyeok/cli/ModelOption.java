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

    /**
     * One line on standard error when the model was trained with named prompts ({@code query: },
     * {@code passage: }) and none is put before the texts: which ones it has, and how to give one.
     */
    static void promptHint(Embedder e, String given, PrintWriter err) {
        var prompts = e.files().prompts();
        if (given != null || prompts.isEmpty() || !e.files().defaultPrompt().isEmpty()) {
            return;
        }
        StringBuilder list = new StringBuilder();
        new java.util.TreeMap<>(prompts).forEach((k, v) -> list.append(list.isEmpty() ? "" : ", ").append(k)
                .append(" \"").append(v).append('"'));
        String first = prompts.getOrDefault("query", new java.util.TreeMap<>(prompts).firstEntry().getValue());
        err.println("tongyeok: " + e.name() + " was trained with prompts (" + list + "); none was put before the texts "
                + "(--prompt \"" + first + "\" to use one)");
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
