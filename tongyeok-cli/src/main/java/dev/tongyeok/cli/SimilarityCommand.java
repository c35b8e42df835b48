package dev.tongyeok.cli;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Embedding;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tongyeok similarity}: the cosine similarity of every pair of the given texts. */
@Command(name = "similarity", mixinStandardHelpOptions = true,
        description = "Embeds the texts with the model's default pooling and prints the matrix of cosine similarities.")
final class SimilarityCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "put before every text, as E5's \"query: \"")
    String prompt;

    @Parameters(paramLabel = "TEXT", arity = "2..*", description = "two or more texts")
    List<String> texts;

    @Override
    public Integer call() throws IOException {
        Embedder embedder = model.load(spec.commandLine().getErr());
        ModelOption.promptHint(embedder, prompt, spec.commandLine().getErr());
        List<Embedding> es = embedder.embed(texts, EmbedOptions.DEFAULTS.withPrompt(prompt));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int n = texts.size();
        for (int i = 0; i < n; i++) {
            if (es.get(i).truncated()) {
                err.println("tongyeok: text " + (i + 1) + ": " + es.get(i).originalTokens() + " tokens, truncated to "
                        + es.get(i).encoding().length());
            }
        }
        out.println("cosine similarity (" + embedder.name() + ", " + embedder.defaultPooling() + " pooling)");
        for (int i = 0; i < n; i++) {
            out.println(String.format(Locale.ROOT, "  #%-3d %s", i + 1, Display.quote(texts.get(i))));
        }
        StringBuilder header = new StringBuilder("      ");
        for (int j = 0; j < n; j++) {
            header.append(String.format(Locale.ROOT, " %7s", "#" + (j + 1)));
        }
        out.println(header);
        for (int i = 0; i < n; i++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-4s", "#" + (i + 1)));
            for (int j = 0; j < n; j++) {
                row.append(String.format(Locale.ROOT, " %7.4f", cosine(es.get(i).vector(), es.get(j).vector())));
            }
            out.println(row);
        }
        out.flush();
        return 0;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
