package dev.tongyeok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.hub.HubStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line with a Hub name, in a JVM of its own whose environment points at a Hub stand-in
 * on 127.0.0.1 ({@code HF_ENDPOINT}) and an empty cache ({@code HF_HUB_CACHE}), as a user runs it.
 */
class HubCommandTest {
    static HubStandIn hub;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void serve() throws Exception {
        hub = new HubStandIn();
        hub.add("sentence-transformers/all-MiniLM-L6-v2", HubStandIn.miniLm(tmp.resolve("repo")), null);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    record Child(int code, String out, String err) {}

    static Child tongyeok(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dtongyeok.cache=" + tmp.resolve("tongyeok-cache"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("HF_"));
        env.put("HF_ENDPOINT", hub.endpoint());
        env.put("HF_HUB_CACHE", tmp.resolve("hf-cache").toString());
        env.put("HF_HOME", tmp.resolve("hf-home").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        var out = p.inputReader(StandardCharsets.UTF_8);
        var err = p.errorReader(StandardCharsets.UTF_8);
        var errText = new java.util.concurrent.CompletableFuture<String>();
        // The JVM's own notice about the incubator module is the launcher's business, not this test's.
        Thread.ofVirtual().start(() -> errText.complete(err.lines()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n")));
        String outText = out.lines().reduce("", (a, b) -> a + b + "\n");
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "tongyeok " + String.join(" ", args) + " finishes");
        return new Child(p.exitValue(), outText, errText.get());
    }

    @Test
    void embedByHubNameGivesTheBuiltinModelsVectors() throws Exception {
        Child c = tongyeok("embed", "--model", "sentence-transformers/all-MiniLM-L6-v2", "--format", "jsonl",
                "I love you so much.", "안녕하세요");
        assertEquals(0, c.code(), c.err());
        // Not a terminal: plain progress lines on standard error.
        assertTrue(c.err().contains("tongyeok: downloading sentence-transformers/all-MiniLM-L6-v2 model.safetensors ("),
                c.err());
        assertTrue(c.err().contains("model.safetensors done ("), c.err());
        assertFalse(c.err().contains("\r"), "no redraws into a pipe");
        Path ref = tmp.resolve("builtin.jsonl");
        Cli.Run builtin = Cli.run("embed", "--format", "jsonl", "--output", ref.toString(), "I love you so much.",
                "안녕하세요");
        assertEquals(0, builtin.code(), builtin.err());
        ObjectMapper json = new ObjectMapper();
        String[] got = c.out().strip().split("\n");
        String[] want = java.nio.file.Files.readString(ref).strip().split("\n");
        assertEquals(want.length, got.length, c.out());
        for (int i = 0; i < want.length; i++) {
            JsonNode a = json.readTree(want[i]).get("embedding");
            JsonNode b = json.readTree(got[i]).get("embedding");
            assertEquals(a.size(), b.size());
            for (int d = 0; d < a.size(); d++) {
                assertEquals(a.get(d).floatValue(), b.get(d).floatValue(), 2e-6f, "line " + i + " dim " + d);
            }
        }

        // Cached now: pull --quiet asks the Hub, fetches nothing, prints where the snapshot is.
        hub.requests.clear();
        Child pull = tongyeok("pull", "--quiet", "sentence-transformers/all-MiniLM-L6-v2");
        assertEquals(0, pull.code(), pull.err());
        assertEquals("", pull.err());
        assertTrue(pull.out().startsWith("sentence-transformers/all-MiniLM-L6-v2\t" + tmp.resolve("hf-cache")
                .resolve("models--sentence-transformers--all-MiniLM-L6-v2/snapshots")), pull.out());
        assertEquals(List.of(), hub.requestsFor("GET /sentence-transformers/all-MiniLM-L6-v2/resolve"));
        assertEquals(List.of(), hub.requestsFor("/cdn/"));

        Child models = tongyeok("models");
        assertEquals(0, models.code(), models.err());
        assertTrue(models.out().contains("Hugging Face cache (" + tmp.resolve("hf-cache") + "): 1 models"), models.out());
        assertTrue(models.out().matches("(?s).*\\n  sentence-transformers/all-MiniLM-L6-v2 +bert +384 .*"), models.out());
    }

    @Test
    void aMissingRepositoryIsOneLine() throws Exception {
        Child c = tongyeok("embed", "--model", "test-org/nothing-here", "x");
        assertEquals(2, c.code(), c.err());
        assertEquals("tongyeok: test-org/nothing-here: no such repository on " + hub.endpoint()
                + " (if it is private, set HF_TOKEN)\n", c.err());
    }
}
