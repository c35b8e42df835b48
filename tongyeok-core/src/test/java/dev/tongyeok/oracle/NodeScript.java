package dev.tongyeok.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.tokenize.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the scripts in {@code tongyeok-core/src/test/node} (the oracles, the npm clients) on a job: the job goes in as a JSON file,
 * the answer comes back as one JSON object on the script's standard output.
 */
public final class NodeScript {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeScript() {}

    /**
     * The answer of {@code script} to {@code job}, the npm package {@code needs} installed in the
     * fixtures.
     */
    public static JsonNode run(String script, String needs, JsonNode job) {
        Path modules = Fixtures.dir().toAbsolutePath().resolve("node_modules");
        if (!Files.isDirectory(modules.resolve(needs))) {
            throw new IllegalStateException(needs + " is missing from " + modules + ": run scripts/fixtures.sh");
        }
        Path file = Fixtures.dir().toAbsolutePath().getParent().resolve("tongyeok-core/src/test/node").resolve(script);
        try {
            Path jobFile = Files.createTempFile("oracle-", ".json");
            Process p;
            boolean finished;
            CompletableFuture<byte[]> err;
            CompletableFuture<byte[]> out;
            try {
                Files.write(jobFile, JSON.writeValueAsBytes(job));
                p = new ProcessBuilder("node", file.toString(), modules.toString(), jobFile.toString())
                        .redirectInput(ProcessBuilder.Redirect.DISCARD.file()).start();
                // A thread of its own for each pipe (the common pool may have one thread: one pipe would fill up).
                err = drain(p.getErrorStream());
                out = drain(p.getInputStream());
                finished = p.waitFor(10, TimeUnit.MINUTES);
            } finally {
                Files.deleteIfExists(jobFile);
            }
            if (!finished) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " did not finish in 10 minutes");
            }
            String stderr = new String(err.join(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(script + " exited with " + p.exitValue() + ":\n" + stderr);
            }
            return JSON.readTree(out.join());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<byte[]> drain(java.io.InputStream in) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                done.complete(in.readAllBytes());
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Rows of integers, as the scripts write token ids. */
    public static java.util.List<int[]> ints(JsonNode rows) {
        java.util.List<int[]> result = new java.util.ArrayList<>();
        for (JsonNode r : rows) {
            int[] a = new int[r.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.get(i).asInt();
            }
            result.add(a);
        }
        return result;
    }
}
