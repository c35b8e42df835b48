package dev.tongyeok.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.server.EmbeddingServer;
import dev.tongyeok.server.ServerOptions;
import dev.tongyeok.tokenize.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on {@code tongyeok serve} over loopback: N clients, each sending one text per
 * {@code POST /embed} request back to back for a fixed time, at concurrency 1, 8 and 64, with short
 * inputs (Brown sentences, ≈27 tokens) and paragraphs (8 sentences, ≈220 tokens), with dynamic
 * batching and without it (each request its own encoder pass). The clients (the JDK's HTTP client)
 * run in the same JVM as the server and share its 2 cores, so the numbers include the client's
 * cost. The library's own batch throughput on the same short texts is measured first, as the
 * reference the batching server should reach.
 *
 * <p>Usage: {@code ServerBench [seconds per cell] [warm-up seconds]}; prints a Markdown table.
 */
public final class ServerBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 8;
        double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        List<String> shortTexts = Fixtures.brown(4000);
        List<String> paragraphs = new ArrayList<>();
        for (int i = 0; i + 8 <= shortTexts.size(); i += 8) {
            paragraphs.add(String.join(" ", shortTexts.subList(i, i + 8)));
        }
        Embedder embedder = Embedder.load("all-minilm-l6-v2");
        double libShort = library(embedder, shortTexts.subList(0, 2000));
        double libPara = library(embedder, paragraphs.subList(0, 250));
        System.out.printf(Locale.ROOT, "library embed(), same JVM: %.1f texts/s short, %.1f texts/s paragraphs%n%n",
                libShort, libPara);
        System.out.println("| batching | input | clients | texts/s | p50 ms | p99 ms | × library batch |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (boolean batching : new boolean[] {true, false}) {
            ServerOptions o = ServerOptions.DEFAULTS.withPort(0).withBatching(batching).withAutoTruncate(true)
                    .withMaxConcurrentRequests(1024);
            try (EmbeddingServer server = EmbeddingServer.start(o,
                    List.of(EmbeddingServer.ModelSource.of("all-minilm-l6-v2")))) {
                server.awaitReady();
                for (String kind : List.of("short", "paragraph")) {
                    List<String> texts = kind.equals("short") ? shortTexts : paragraphs;
                    for (int clients : new int[] {1, 8, 64}) {
                        load(server.port(), texts, clients, warmup); // warm-up, discarded
                        Result r = load(server.port(), texts, clients, seconds);
                        double lib = kind.equals("short") ? libShort : libPara;
                        System.out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.1f | %.2f |%n",
                                batching ? "dynamic" : "off", kind, clients, r.textsPerSecond, r.p50, r.p99,
                                r.textsPerSecond / lib);
                    }
                }
            }
        }
    }

    private static double library(Embedder embedder, List<String> texts) {
        embedder.embed(texts, EmbedOptions.DEFAULTS);
        double best = 0;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            embedder.embed(texts, EmbedOptions.DEFAULTS);
            best = Math.max(best, texts.size() / ((System.nanoTime() - t0) / 1e9));
        }
        return best;
    }

    private record Result(double textsPerSecond, double p50, double p99) {
    }

    private static Result load(int port, List<String> texts, int clients, double seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/embed");
        long end = System.nanoTime() + (long) (seconds * 1e9);
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        List<long[]> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long[] latencies = new long[1 << 16];
            perClient.add(latencies);
            int client = c;
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                int n = 0;
                while (System.nanoTime() < end && n < latencies.length - 1) {
                    String text = texts.get(Math.floorMod(next.getAndIncrement(), texts.size()));
                    try {
                        byte[] body = JSON.writeValueAsBytes(Map.of("inputs", text));
                        long s = System.nanoTime();
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        long took = System.nanoTime() - s;
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                            continue;
                        }
                        latencies[++n] = took;
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                latencies[0] = n;
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        int total = 0;
        for (long[] l : perClient) {
            total += (int) l[0];
        }
        long[] all = new long[total];
        int k = 0;
        for (long[] l : perClient) {
            System.arraycopy(l, 1, all, k, (int) l[0]);
            k += (int) l[0];
        }
        Arrays.sort(all);
        if (errors.get() > 0) {
            System.err.println("  " + errors.get() + " failed requests at " + clients + " clients");
        }
        return new Result(total / elapsed, all.length == 0 ? 0 : all[all.length / 2] / 1e6,
                all.length == 0 ? 0 : all[(int) Math.min(all.length - 1, Math.floor(all.length * 0.99))] / 1e6);
    }
}
