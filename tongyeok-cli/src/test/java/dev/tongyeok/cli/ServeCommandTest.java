package dev.tongyeok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code tongyeok serve} as its own process: ready message, a request, SIGTERM drains and exits. */
class ServeCommandTest {
    @Test
    void badOptionIsOneLineExit2() {
        Cli.Run r = Cli.run("serve", "--max-batch-tokens", "0");
        assertEquals(2, r.code());
        assertEquals("tongyeok: --max-batch-tokens must be >= 1, got 0", r.err().strip());
    }

    @Test
    void sigtermDrainsRequestsInFlight() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "-Dtongyeok.cache=" + System.getProperty("tongyeok.cache"), "dev.tongyeok.cli.Main", "serve",
                "--port", "0", "--auto-truncate"));
        Process p = new ProcessBuilder(cmd).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            String url = null;
            List<String> lines = new ArrayList<>();
            for (String line; (line = err.readLine()) != null; ) {
                lines.add(line);
                Matcher m = Pattern.compile("listening on (http://\\S+),").matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
                if (line.contains("ready: all-minilm-l6-v2")) {
                    break;
                }
            }
            assertTrue(url != null, "no 'listening on' line in " + lines);
            HttpClient http = HttpClient.newHttpClient();
            StringBuilder inputs = new StringBuilder("[");
            for (int i = 0; i < 250; i++) { // within --max-client-batch-size
                inputs.append(i == 0 ? "" : ",").append("\"").append("the quick brown fox jumps ".repeat(40)).append("\"");
            }
            HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/embed"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":" + inputs + "]}")).build();
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
            HttpRequest metrics = HttpRequest.newBuilder(URI.create(url + "/metrics")).build();
            while (!http.send(metrics, HttpResponse.BodyHandlers.ofString()).body()
                    .contains("tongyeok_requests_in_flight 1.0")) {
                assertTrue(!inFlight.isDone(), "the request finished before it was seen in flight");
                Thread.onSpinWait();
            }
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its pipes)
            HttpResponse<String> r = inFlight.get(120, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            String rest = String.join("\n", err.lines().toList()); // until the process closes standard error
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not exit after SIGTERM");
            assertTrue(rest.contains("draining requests in flight") && rest.contains("stopped"), rest);
            assertEquals(143, p.exitValue()); // 128 + SIGTERM
        } finally {
            p.destroyForcibly();
        }
    }
}
