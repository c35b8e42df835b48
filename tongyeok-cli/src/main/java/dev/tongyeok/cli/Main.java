package dev.tongyeok.cli;

import dev.tongyeok.tokenize.TokenizerException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code tongyeok} command. Exit codes: 0 success, 2 bad usage or bad input (one line naming
 * the file, line or field), 1 internal error. Set {@code TONGYEOK_DEBUG=1} for stack traces.
 */
@Command(name = "tongyeok", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Text in any script to a model's own tokens and vectors, in pure Java.")
public final class Main implements Runnable {
    /**
     * The subcommands, in the order help lists them. Picocli reads a command's annotations by
     * reflection when it is added, ~20 ms each before the JIT has run: a command line naming one
     * gets only that one (help, an unknown name or none gets them all).
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("tokenize", TokenizeCommand::new);
        COMMANDS.put("embed", EmbedCommand::new);
        COMMANDS.put("attention", AttentionCommand::new);
        COMMANDS.put("similarity", SimilarityCommand::new);
        COMMANDS.put("rerank", RerankCommand::new);
        COMMANDS.put("models", ModelsCommand::new);
        COMMANDS.put("pull", PullCommand::new);
        COMMANDS.put("serve", ServeCommand::new);
        COMMANDS.put("index", IndexCommand::new);
        COMMANDS.put("search", SearchCommand::new);
    }

    /** The commands that use Lucene (through the search module). */
    private static final Set<String> LUCENE_COMMANDS = Set.of("serve", "index", "search");

    /**
     * Lucene announces at INFO through java.util.logging which vector API it found; the command line
     * keeps standard error for its own messages. Held here so that the setting is not collected;
     * set only for the commands that use Lucene (java.util.logging takes ~10 ms to start).
     */
    private static java.util.logging.Logger lucene;

    /** Exit code for bad usage or bad input. */
    static final int BAD_INPUT = 2;
    /** Exit code for an internal error. */
    static final int INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and returns the exit code. */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : "";
        if (COMMANDS.containsKey(first)) {
            cl.addSubcommand(COMMANDS.get(first).get());
        } else {
            COMMANDS.values().forEach(c -> cl.addSubcommand(c.get()));
            cl.addSubcommand(new CommandLine.HelpCommand());
        }
        if (!COMMANDS.containsKey(first) || LUCENE_COMMANDS.contains(first)) {
            lucene = java.util.logging.Logger.getLogger("org.apache.lucene");
            lucene.setLevel(java.util.logging.Level.WARNING);
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("tongyeok: " + usageMessage(ex) + " (see " + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (System.getenv("TONGYEOK_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            if (ex instanceof InputException || ex instanceof TokenizerException
                    || ex instanceof dev.tongyeok.load.ModelException
                    || ex instanceof dev.tongyeok.search.SearchException) {
                err.println("tongyeok: " + oneLine(ex.getMessage()));
                return BAD_INPUT;
            }
            if (ex instanceof java.io.IOException) {
                err.println("tongyeok: " + oneLine(String.valueOf(ex.getMessage())));
                return BAD_INPUT;
            }
            err.println("tongyeok: internal error: " + ex.getClass().getSimpleName() + ": " + oneLine(String.valueOf(ex.getMessage()))
                    + " (set TONGYEOK_DEBUG=1 for details)");
            return INTERNAL;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Picocli's complaint in our words: an unknown command or option with the closest known one, a
     * missing argument named by what it is for; otherwise picocli's first line.
     */
    static String usageMessage(CommandLine.ParameterException ex) {
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (first.startsWith("-")) {
                String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
                java.util.List<String> options = new java.util.ArrayList<>();
                spec.options().forEach(o -> options.addAll(java.util.List.of(o.names())));
                return "unknown option " + name + " for " + spec.qualifiedName()
                        + dev.tongyeok.resolve.Names.closest(name, options).map(n -> "; did you mean " + n + "?").orElse("");
            }
            if (spec.parent() == null) {
                return "'" + first + "' is not a command" + dev.tongyeok.resolve.Names.closest(first, COMMANDS.keySet())
                        .map(n -> "; did you mean " + n + "?").orElse("") + " (commands: " + String.join(", ",
                        COMMANDS.keySet()) + ")";
            }
            return "unexpected argument '" + first + "' for " + spec.qualifiedName();
        }
        if (ex instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            CommandLine.Model.ArgSpec arg = m.getMissing().get(0);
            if (arg instanceof CommandLine.Model.PositionalParamSpec p) {
                String label = p.paramLabel();
                String need = p.arity().min() > 1 ? "at least " + p.arity().min() + " " + label + " arguments"
                        : "a " + label + " argument";
                return spec.qualifiedName() + " needs " + need;
            }
            return spec.qualifiedName() + " needs " + String.join("/", ((CommandLine.Model.OptionSpec) arg).names());
        }
        return ex.getMessage().lines().findFirst().orElse("bad usage");
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Entry point.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true);
        System.exit(execute(args, out, err));
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tongyeok " + (v == null ? "(development build)" : v)};
        }
    }
}
