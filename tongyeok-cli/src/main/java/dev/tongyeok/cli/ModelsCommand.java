package dev.tongyeok.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.hub.HubCache;
import dev.tongyeok.hub.HubId;
import dev.tongyeok.hub.OllamaStore;
import dev.tongyeok.resolve.BuiltinModel;
import dev.tongyeok.tokenize.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code tongyeok models}: the built-in models and what they are. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists the built-in models (tokenizer, vocabulary, dimensions, layers, sequence limit, pooling, "
                + "weight size), the models in the Hugging Face cache and those in the Ollama store.")
final class ModelsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-22s %-10s %7s %5s %6s %8s %-11s %9s  %s%n", "name", "tokenizer", "vocab", "dims", "layers",
                "max-len", "pooling", "weights", "description");
        for (BuiltinModel m : BuiltinModel.ALL) {
            if (!m.available()) {
                out.printf("%-22s %-10s %7s %5s %6s %8s %-11s %9s  %s%n", m.name(), "-", "-", "-", "-", "-", "-", "-",
                        "not on the classpath (" + m.artifact() + ")");
                continue;
            }
            Tokenizer t = m.tokenizer();
            long bytes = m.weightBytes();
            String model = t.model().getClass().getSimpleName();
            out.printf("%-22s %-10s %7d %5d %6d %8d %-11s %9s  %s%s%n", m.name(), model, t.vocabSize(), m.dimensions(),
                    m.layers(), m.maxSeqLength(),
                    m.pooling() + (m.normalize() ? " + L2" : ""), bytes < 0 ? "-" : String.format("%.1f MB", bytes / 1e6),
                    m.description(), m == BuiltinModel.defaultModel() ? " (default)" : "");
        }
        hubModels(out);
        ollamaModels(out);
        out.flush();
        return 0;
    }

    // The Hugging Face cache's models: name, family and width from config.json (or "gguf"), size on disk.
    private static void hubModels(PrintWriter out) throws IOException {
        HubCache cache = HubCache.standard();
        List<String> names = cache.models();
        out.println();
        out.println("Hugging Face cache (" + cache.root() + "): " + (names.isEmpty() ? "none" : names.size() + " models"));
        for (String name : names) {
            HubId id = HubId.parse(name).orElse(null);
            if (id == null) {
                continue;
            }
            Path snap = cache.snapshot(id).orElse(null);
            String family = "-";
            String dims = "-";
            if (snap != null && Files.isRegularFile(snap.resolve("config.json"))) {
                JsonNode c = new ObjectMapper().readTree(snap.resolve("config.json").toFile());
                family = c.path("model_type").asText("-");
                dims = c.path("hidden_size").isInt() ? c.path("hidden_size").asText() : "-";
            } else if (snap != null) {
                try (var files = Files.list(snap)) {
                    family = files.anyMatch(p -> p.toString().endsWith(".gguf")) ? "gguf" : "-";
                }
            }
            out.printf("  %-48s %-12s %5s %9s  %s%n", name, family, dims, size(cache.repo(id).resolve("blobs")),
                    snap != null ? snap : cache.repo(id));
        }
    }

    private static void ollamaModels(PrintWriter out) throws IOException {
        OllamaStore store = OllamaStore.standard();
        List<String> names = store.models();
        out.println();
        out.println("Ollama store (" + store.root() + "): " + (names.isEmpty() ? "none" : names.size() + " models"));
        for (String name : names) {
            String where;
            String bytes;
            try {
                Path blob = store.model(name);
                where = blob.toString();
                bytes = size(blob);
            } catch (dev.tongyeok.hub.HubException e) {
                where = e.getMessage();
                bytes = "-";
            }
            out.printf("  %-48s %-12s %5s %9s  %s%n", "ollama:" + name, "gguf", "-", bytes, where);
        }
    }

    // The bytes under p (a file or a folder), as MB.
    private static String size(Path p) throws IOException {
        if (!Files.exists(p)) {
            return "-";
        }
        try (var walk = Files.walk(p)) {
            long n = walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        }
    }
}
