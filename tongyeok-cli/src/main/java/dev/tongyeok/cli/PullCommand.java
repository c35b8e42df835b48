package dev.tongyeok.cli;

import dev.tongyeok.hub.HubClient;
import dev.tongyeok.hub.HubId;
import dev.tongyeok.resolve.BuiltinModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tongyeok pull NAME…}: downloads Hub models into the Hugging Face cache and exits. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Downloads models from the Hugging Face Hub into its cache (shared with Python's huggingface_hub) "
                + "and exits: the configuration, the tokenizer, the sentence-transformers files and the weights in the "
                + "best format present; only what the cache lacks.",
            "NAME: org/name, org/name@REVISION, org/name:TAG (a GGUF file by type, e.g. Q8_0), hf.co/org/name.",
            "Environment: HF_ENDPOINT (a mirror), HF_TOKEN (gated and private models), HF_HOME, HF_HUB_CACHE, "
                + "HF_HUB_OFFLINE=1 (no request)."})
final class PullCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Hub models to download")
    List<String> names;

    @Option(names = {"-q", "--quiet"}, description = "no progress on standard error")
    boolean quiet;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HubClient hub = HubClient.standard(quiet ? HubClient.Progress.NONE : DownloadProgress.onStderr(err), err::println);
        for (String name : names) {
            if (BuiltinModel.find(name).isPresent()) {
                throw new InputException(name + " is a built-in model: it needs no download");
            }
            HubId id = HubId.parse(name).orElseThrow(() -> new InputException("'" + name
                    + "' is not a Hub model name (org/name, org/name@REVISION, org/name:TAG)"));
            Path got = hub.pull(id);
            out.println(name + "\t" + got);
            out.flush();
        }
        return 0;
    }
}
