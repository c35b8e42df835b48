package dev.tongyeok.cli;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Inspection;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tongyeok attention}: a tokens × tokens heat map of softmax(QKᵀ/√d) for one layer and head. */
@Command(name = "attention", mixinStandardHelpOptions = true,
        description = {"Shows where each token looks: the attention probabilities softmax(QK^T/sqrt(d)) of one layer, "
                + "for one head or averaged over all heads, as a heat map (rows: the token attending, columns: the token "
                + "attended to; each row sums to 1)."})
final class AttentionCommand implements Callable<Integer> {
    /** Shades from empty to full; a cell's shade is its probability in fifths. */
    private static final String[] SHADES = {"  ", "░░", "▒▒", "▓▓", "██"};

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOption model;

    @Parameters(paramLabel = "TEXT", arity = "1", description = "the text")
    String text;

    @Option(names = "--layer", paramLabel = "N", description = "layer, 1 to the model's count (default: the last)")
    Integer layer;

    @Option(names = "--head", paramLabel = "H", description = "head, 1 to the model's count (default: the mean over all heads)")
    Integer head;

    @Option(names = "--values", description = "print the probabilities as numbers instead of shades")
    boolean values;

    @Override
    public Integer call() throws IOException {
        Embedder embedder = model.load(spec.commandLine().getErr());
        int L = embedder.files().config().num_hidden_layers();
        int H = embedder.files().config().num_attention_heads();
        if (layer != null && (layer < 1 || layer > L)) {
            throw new InputException("--layer must be between 1 and " + L + " for " + embedder.name() + ", not " + layer);
        }
        if (head != null && (head < 1 || head > H)) {
            throw new InputException("--head must be between 1 and " + H + " for " + embedder.name() + ", not " + head);
        }
        int l = layer == null ? L : layer;
        Inspection in = embedder.inspect(text, EmbedOptions.DEFAULTS);
        int T = in.tokens();
        float[][] p = new float[T][T];
        for (int h = 0; h < H; h++) {
            if (head != null && h != head - 1) {
                continue;
            }
            float[][] a = in.attentions()[l - 1][h];
            for (int i = 0; i < T; i++) {
                for (int j = 0; j < T; j++) {
                    p[i][j] += head != null ? a[i][j] : a[i][j] / H;
                }
            }
        }
        String[] tokens = new String[T];
        int width = "token".length();
        for (int t = 0; t < T; t++) {
            tokens[t] = Display.escape(in.encoding().token(t));
            width = Math.max(width, Display.width(tokens[t]));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(Display.quote(text) + " -> attention, layer " + l + " of " + L + ", "
                + (head == null ? "mean of " + H + " heads" : "head " + head + " of " + H) + " (" + embedder.name() + ")");
        out.println("rows: the token attending; columns: the token attended to (by number); each row sums to 1");
        int cell = values ? 5 : 2;
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%4s %s ", "", Display.pad("", width)));
        for (int j = 0; j < T; j++) {
            String n = Integer.toString(j % (values ? 1000 : 100));
            header.append(" ").append(" ".repeat(Math.max(0, cell - n.length()))).append(n);
        }
        out.println(header.toString().stripTrailing());
        for (int i = 0; i < T; i++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%4d %s ", i, Display.pad(tokens[i], width)));
            int best = 0;
            for (int j = 0; j < T; j++) {
                row.append(' ');
                if (values) {
                    row.append(String.format(Locale.ROOT, "%5.2f", p[i][j]));
                } else {
                    row.append(SHADES[Math.min(4, (int) (p[i][j] * 5))]);
                }
                if (p[i][j] > p[i][best]) {
                    best = j;
                }
            }
            row.append(String.format(Locale.ROOT, "  -> %s %.2f", tokens[best], p[i][best]));
            out.println(row);
        }
        if (!values) {
            out.println("shades: '  ' < 0.2 <= ░░ < 0.4 <= ▒▒ < 0.6 <= ▓▓ < 0.8 <= ██");
        }
        out.flush();
        return 0;
    }
}
