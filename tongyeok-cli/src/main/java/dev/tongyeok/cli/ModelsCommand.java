package dev.tongyeok.cli;

import dev.tongyeok.resolve.BuiltinModel;
import dev.tongyeok.tokenize.Tokenizer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code tongyeok models}: the built-in models and what they are. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists the built-in models: tokenizer, vocabulary, dimensions, layers, sequence limit, pooling and "
                + "weight size.")
final class ModelsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
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
        out.flush();
        return 0;
    }
}
