package dev.tongyeok.cli;

import dev.tongyeok.tokenize.TokenizerException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tongyeok} command. Exit codes: 0 success, 2 bad usage or bad input (one line naming
 * the file, line or field), 1 internal error. Set {@code TONGYEOK_DEBUG=1} for stack traces.
 */
@Command(name = "tongyeok", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Text in any script to a model's own tokens and vectors, in pure Java.",
        subcommands = {TokenizeCommand.class, EmbedCommand.class, AttentionCommand.class, SimilarityCommand.class,
            ModelsCommand.class, ServeCommand.class, IndexCommand.class, SearchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /**
     * Lucene announces at INFO through java.util.logging which vector API it found; the command line
     * keeps standard error for its own messages. Held here so that the setting is not collected.
     */
    private static final java.util.logging.Logger LUCENE = java.util.logging.Logger.getLogger("org.apache.lucene");

    static {
        LUCENE.setLevel(java.util.logging.Level.WARNING);
    }

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
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("tongyeok: " + ex.getMessage().lines().findFirst().orElse("bad usage")
                    + " (see tongyeok " + ex.getCommandLine().getCommandName() + " --help)");
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
