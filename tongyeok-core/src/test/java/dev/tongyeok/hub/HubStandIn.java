package dev.tongyeok.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tongyeok.load.SafetensorsWriter;
import dev.tongyeok.load.onnx.OnnxWeights;
import dev.tongyeok.model.bert.BertFamily;
import dev.tongyeok.resolve.BuiltinModel;
import dev.tongyeok.tokenize.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Hugging Face Hub on 127.0.0.1, speaking the protocol huggingface_hub's
 * {@code file_download.py} and {@code hf_api.py} speak: {@code GET /api/models/{repo}/revision/{rev}}
 * (the commit and the file list), {@code HEAD|GET /{repo}/resolve/{rev}/{path}} (a small file
 * directly with its git blob id as {@code ETag}; a large one, as the Hub does for LFS files, by a
 * redirect to {@code /cdn/{sha256}} carrying {@code X-Linked-Etag} and {@code X-Linked-Size}),
 * {@code Range} requests, and the error headers {@code X-Error-Code: RepoNotFound |
 * RevisionNotFound | EntryNotFound | GatedRepo}. It can cut a transfer midway, and counts every
 * request.
 */
public final class HubStandIn implements AutoCloseable {
    /** Files this large or larger are served as LFS files, through the redirect to the storage host. */
    static final int LFS = 1_000_000;

    /** One repository: its commit, its files, and the token a gated one requires (null: open). */
    public record Repo(String commit, Map<String, byte[]> files, String token) {}

    private final HttpServer server;
    private final HttpServer storage; // on 127.0.0.2: another host, as the Hub's LFS storage is
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>(); // sha256 -> content
    /** Every request, as "METHOD path [Range]". */
    public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** The next this many blob transfers stop after {@link #cutAt} bytes and close the connection. */
    final AtomicInteger cuts = new AtomicInteger();
    volatile int cutAt = 1 << 20;
    /** When set, blobs are served with their last byte flipped (their X-Linked-Etag stays right). */
    volatile boolean corrupt;

    /** Starts the stand-in on 127.0.0.1 (and its storage host on 127.0.0.2), on free ports. */
    public HubStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        storage = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
        storage.createContext("/", this::handle);
        storage.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        storage.start();
    }

    /** The endpoint, as {@code HF_ENDPOINT} would name it. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves a repository of the files of {@code dir} (walked recursively) at a fixed commit. */
    public Repo add(String repo, Path dir, String token) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        String commit = hex(digest("SHA-1", (repo + files.keySet()).getBytes(StandardCharsets.UTF_8)));
        Repo r = new Repo(commit, files, token);
        repos.put(repo, r);
        for (byte[] content : files.values()) {
            blobs.put(hex(digest("SHA-256", content)), content);
        }
        return r;
    }

    /** The requests whose path contains {@code part}. */
    public List<String> requestsFor(String part) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.contains(part)).toList();
        }
    }

    /**
     * A repository as sentence-transformers/all-MiniLM-L6-v2 is laid out, built from the built-in
     * model's real files: its ONNX weights as {@code model.safetensors}, its tokenizer.json, the
     * sentence-transformers configs; also an {@code onnx/} folder and a README, which a download
     * must not fetch.
     */
    public static Path miniLm(Path dir) throws Exception {
        Files.createDirectories(dir);
        OnnxWeights onnx = OnnxWeights.read(BuiltinModel.defaultModel().onnxFile());
        SafetensorsWriter.write(dir.resolve("model.safetensors"), SafetensorsWriter.checkpoint(onnx, ""));
        sentenceTransformers(dir, "mean", new BertFamily().config(onnx).toJson());
        Files.createDirectories(dir.resolve("onnx"));
        Files.copy(BuiltinModel.defaultModel().onnxFile(), dir.resolve("onnx/model.onnx"));
        Files.writeString(dir.resolve("README.md"), "# all-MiniLM-L6-v2 as a test repository\n");
        return dir;
    }

    /** The sentence-transformers files of all-MiniLM-L6-v2 with {@code pooling} (mean or cls), and {@code config} as config.json. */
    public static void sentenceTransformers(Path dir, String pooling, String config) throws IOException {
        Files.writeString(dir.resolve("config.json"), config);
        Files.writeString(dir.resolve("tokenizer.json"), Fixtures.tokenizerJson("all-minilm-l6-v2"));
        Files.writeString(dir.resolve("modules.json"), """
                [{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
                 {"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"},
                 {"idx":2,"name":"2","path":"2_Normalize","type":"sentence_transformers.models.Normalize"}]""");
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"word_embedding_dimension\":384,"
                + "\"pooling_mode_cls_token\":" + pooling.equals("cls") + ",\"pooling_mode_mean_tokens\":"
                + pooling.equals("mean") + "}");
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\":256,\"do_lower_case\":false}");
    }

    private static final Pattern INFO = Pattern.compile("/api/models/([^/]+/[^/]+)/revision/([^/]+)");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern CDN = Pattern.compile("/cdn/([0-9a-f]{64})");

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = URLDecoder.decode(x.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
            String range = x.getRequestHeaders().getFirst("Range");
            requests.add(x.getRequestMethod() + " " + path + (range != null ? " " + range : ""));
            Matcher m;
            if ((m = INFO.matcher(path)).matches()) {
                Repo r = repo(x, m.group(1), m.group(2));
                if (r == null) {
                    return;
                }
                StringBuilder json = new StringBuilder("{\"id\":\"" + m.group(1) + "\",\"sha\":\"" + r.commit()
                        + "\",\"siblings\":[");
                int i = 0;
                for (String f : r.files().keySet()) {
                    json.append(i++ == 0 ? "" : ",").append("{\"rfilename\":\"").append(f).append("\"}");
                }
                send(x, 200, json.append("]}").toString().getBytes(StandardCharsets.UTF_8), Map.of());
            } else if ((m = RESOLVE.matcher(path)).matches()) {
                Repo r = repo(x, m.group(1), m.group(2));
                if (r == null) {
                    return;
                }
                byte[] content = r.files().get(m.group(3));
                if (content == null) {
                    error(x, 404, "EntryNotFound");
                    return;
                }
                Map<String, String> h = new LinkedHashMap<>();
                h.put("X-Repo-Commit", r.commit());
                if (content.length >= LFS) {
                    String sha = hex(digest("SHA-256", content));
                    h.put("X-Linked-Etag", "\"" + sha + "\"");
                    h.put("X-Linked-Size", Integer.toString(content.length));
                    h.put("ETag", "\"" + sha + "\"");
                    h.put("Location", "http://127.0.0.2:" + storage.getAddress().getPort() + "/cdn/" + sha);
                    send(x, 302, new byte[0], h);
                } else {
                    h.put("ETag", "\"" + gitBlobId(content) + "\"");
                    serve(x, content, range, h, false);
                }
            } else if ((m = CDN.matcher(path)).matches()) {
                if (x.getRequestHeaders().containsKey("Authorization")) {
                    send(x, 400, "the token must not reach the storage".getBytes(StandardCharsets.UTF_8), Map.of());
                    return;
                }
                byte[] content = blobs.get(m.group(1));
                if (content == null) {
                    send(x, 404, new byte[0], Map.of());
                    return;
                }
                serve(x, content, range, new LinkedHashMap<>(), true);
            } else {
                send(x, 404, new byte[0], Map.of());
            }
        }
    }

    // The repository at a revision it has (main or its commit), or null after answering as the Hub
    // answers for a missing or gated repository or a missing revision.
    private Repo repo(HttpExchange x, String name, String revision) throws IOException {
        Repo r = repos.get(name);
        if (r == null) {
            error(x, 401, "RepoNotFound"); // the Hub says 401 so as not to tell private from missing
            return null;
        }
        if (r.token() != null && !("Bearer " + r.token()).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            error(x, 401, "GatedRepo");
            return null;
        }
        if (!revision.equals("main") && !revision.equals(r.commit())) {
            error(x, 404, "RevisionNotFound");
            return null;
        }
        return r;
    }

    private void serve(HttpExchange x, byte[] content, String range, Map<String, String> h, boolean blob)
            throws IOException {
        int from = 0;
        if (range != null) {
            Matcher m = Pattern.compile("bytes=(\\d+)-").matcher(range);
            if (!m.matches()) {
                send(x, 400, new byte[0], Map.of());
                return;
            }
            from = Integer.parseInt(m.group(1));
            if (from >= content.length) {
                send(x, 416, new byte[0], Map.of("Content-Range", "bytes */" + content.length));
                return;
            }
            h.put("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        byte[] body = java.util.Arrays.copyOfRange(content, from, content.length);
        if (blob && corrupt) {
            body[body.length - 1] ^= 1;
        }
        h.forEach((k, v) -> x.getResponseHeaders().add(k, v));
        int status = range != null ? 206 : 200;
        if (x.getRequestMethod().equals("HEAD")) {
            x.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
            x.sendResponseHeaders(status, -1);
            return;
        }
        if (blob && body.length > cutAt && cuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            x.sendResponseHeaders(status, body.length);
            OutputStream out = x.getResponseBody();
            out.write(body, 0, cutAt);
            out.flush();
            throw new IOException("cut: the connection closes with the body unfinished, as a dropped transfer does");
        }
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
    }

    private static void error(HttpExchange x, int status, String code) throws IOException {
        send(x, status, ("{\"error\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8), Map.of("X-Error-Code", code));
    }

    private static void send(HttpExchange x, int status, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
        if (x.getRequestMethod().equals("HEAD") || status == 302 || body.length == 0) {
            x.sendResponseHeaders(status, -1);
        } else {
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
        }
    }

    /** git's object id of a blob: sha1("blob " + length + "\0" + content), the ETag the Hub gives small files. */
    static String gitBlobId(byte[] content) {
        byte[] head = ("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + content.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        return hex(digest("SHA-1", all));
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        server.stop(0);
        storage.stop(0);
    }
}
