package dev.tongyeok.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Downloads a model's files from the Hugging Face Hub into huggingface_hub's cache, speaking the
 * protocol {@code huggingface_hub} speaks (its {@code file_download.py}):
 * <ol>
 *   <li>{@code GET {endpoint}/api/models/{repo}/revision/{revision}}: the commit the revision names
 *       ({@code sha}) and the repository's files ({@code siblings[].rfilename});
 *   <li>per file, {@code HEAD {endpoint}/{repo}/resolve/{commit}/{path}} without following
 *       redirects: {@code ETag} (a small file's git blob id), or for a large (LFS) file a redirect
 *       whose {@code X-Linked-Etag} is the content's sha256 and {@code X-Linked-Size} its size;
 *   <li>{@code GET} of the file (or of the redirect's target, without the token when it is on another
 *       host) into {@code blobs/<etag>.incomplete}, resumed with {@code Range: bytes=N-} after a cut
 *       (also across runs), checked against its size and sha256, then moved into place and linked
 *       from {@code snapshots/<commit>/<path>}; {@code refs/<revision>} records the commit.
 * </ol>
 * Errors carry the Hub's {@code X-Error-Code} ({@code RepoNotFound}, {@code RevisionNotFound},
 * {@code EntryNotFound}, {@code GatedRepo}) as one line naming the repository. A lock file per blob
 * (under {@code .locks/}, where huggingface_hub keeps its own) lets two processes fetch the same
 * model at once. With {@code HF_HUB_OFFLINE=1} no request is sent.
 */
public final class HubClient {
    /** Where a download's progress goes. */
    public interface Progress {
        /** A file of {@code size} bytes (-1: unknown) starts, {@code done} bytes of it already there. */
        void start(String repo, String file, long size, long done);

        /** {@code bytes} more of the current file arrived. */
        void advance(long bytes);

        /** The current file is complete. */
        void finish();

        /** No progress shown. */
        Progress NONE = new Progress() {
            @Override
            public void start(String repo, String file, long size, long done) {}

            @Override
            public void advance(long bytes) {}

            @Override
            public void finish() {}
        };
    }

    /** The Hub when {@code HF_ENDPOINT} names no mirror. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    /** Tries of one file's transfer before giving up (the first and this many minus one resumptions). */
    static final int TRIES = 5;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** One monitor per lock file, for the threads of this process. */
    private static final java.util.concurrent.ConcurrentHashMap<Path, Object> LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Jackson's mapper, made when first used: every model command makes a client, and building a
     * mapper costs a cold JVM 0.18–0.38 s (docs/PERFORMANCE.md), which most runs, naming no Hub
     * model, must not pay.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final HubCache cache;
    private final String endpoint;
    private final String token;
    private final boolean offline;
    private final Progress progress;
    private final Consumer<String> notice;
    private final long backoffMillis;
    private volatile HttpClient http; // made on the first request: most runs name no Hub model

    /**
     * @param cache where files go
     * @param endpoint the Hub or a mirror, without a trailing slash
     * @param token a user access token, or null
     * @param offline send no request at all
     * @param progress where download progress goes
     * @param notice one-line notices (a cached model used while the Hub is unreachable)
     * @param backoffMillis the first pause between tries (doubled each time)
     */
    public HubClient(HubCache cache, String endpoint, String token, boolean offline, Progress progress,
            Consumer<String> notice, long backoffMillis) {
        this.cache = cache;
        this.endpoint = endpoint.replaceAll("/+$", "");
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.offline = offline;
        this.progress = progress;
        this.notice = notice;
        this.backoffMillis = backoffMillis;
    }

    /**
     * The client the environment describes, as huggingface_hub reads it: {@code HF_ENDPOINT},
     * {@code HF_TOKEN} (else the token file {@code $HF_TOKEN_PATH} or {@code $HF_HOME/token}),
     * {@code HF_HUB_OFFLINE}, and {@link HubCache#standard()}.
     */
    public static HubClient standard(Progress progress, Consumer<String> notice) {
        String endpoint = env("HF_ENDPOINT");
        return new HubClient(HubCache.standard(), endpoint != null ? endpoint : DEFAULT_ENDPOINT, token(),
                isOffline(), progress, notice, 500);
    }

    /** {@code $HF_HOME}, else {@code ~/.cache/huggingface}. */
    static Path hfHome() {
        String home = env("HF_HOME");
        return home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".cache", "huggingface");
    }

    /** Whether {@code HF_HUB_OFFLINE} is set to a true value ({@code 1}, {@code true}, {@code yes}, {@code on}). */
    public static boolean isOffline() {
        String v = env("HF_HUB_OFFLINE");
        return v != null && List.of("1", "true", "yes", "on").contains(v.toLowerCase(Locale.ROOT));
    }

    private static String token() {
        String t = env("HF_TOKEN");
        if (t != null) {
            return t;
        }
        String p = env("HF_TOKEN_PATH");
        Path file = p != null ? Path.of(p) : hfHome().resolve("token");
        try {
            return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** The cache this client fills. */
    public HubCache cache() {
        return cache;
    }

    /**
     * What {@code id} needs, from the cache when it holds it (no request is sent), else downloaded.
     *
     * @return the snapshot folder, or for a GGUF repository the GGUF file
     * @throws HubException when the model cannot be had, in one line naming the repository
     * @throws IOException when the cache cannot be written
     */
    public Path model(HubId id) throws IOException {
        Optional<Path> cached = cachedModel(id);
        if (cached.isPresent()) {
            return cached.get();
        }
        return pull(id);
    }

    /**
     * Asks the Hub which commit {@code id}'s revision names and fetches what of it the cache lacks.
     * When the Hub cannot be reached and the cache holds the model, the cached one is used with a
     * notice.
     *
     * @return the snapshot folder, or for a GGUF repository the GGUF file
     * @throws HubException when the model cannot be had, in one line naming the repository
     * @throws IOException when the cache cannot be written
     */
    public Path pull(HubId id) throws IOException {
        if (offline) {
            return cachedModel(id).orElseThrow(() -> new HubException(id + " is not in the Hugging Face cache ("
                    + cache.repo(id) + ") and HF_HUB_OFFLINE is set, so it cannot be downloaded"));
        }
        JsonNode info;
        try {
            info = info(id);
        } catch (Unreachable e) {
            Optional<Path> cached = cachedModel(id);
            if (cached.isPresent()) {
                notice.accept("tongyeok: cannot reach " + endpoint + " (" + e.getMessage() + "); using " + id
                        + " from the cache");
                return cached.get();
            }
            throw new HubException(id + ": cannot reach " + endpoint + " (" + e.getMessage() + ") and the model is "
                    + "not in the cache (" + cache.repo(id) + ")");
        }
        String commit = info.path("sha").asText("");
        if (!commit.matches("[0-9a-f]{40}")) {
            throw new HubException(id + ": " + endpoint + " answered without a commit id for revision " + id.revision());
        }
        List<String> files = new ArrayList<>();
        info.path("siblings").forEach(s -> files.add(s.path("rfilename").asText("")));
        List<String> wanted = new ArrayList<>(FileSelection.select(id, files));
        Path snapshot = cache.snapshot(id, commit);
        for (int i = 0; i < wanted.size(); i++) {
            String f = wanted.get(i);
            fetch(id, commit, f);
            if (f.equals(FileSelection.INDEX)) {
                wanted.addAll(shards(id, snapshot.resolve(f)));
            }
        }
        if (!id.revision().equals(commit)) {
            Path ref = cache.repo(id).resolve("refs").resolve(id.revision());
            Files.createDirectories(ref.getParent());
            Path tmp = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
            Files.writeString(tmp, commit);
            Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return isGguf(wanted) ? snapshot.resolve(wanted.get(0)) : snapshot;
    }

    /**
     * The model {@code id} names, if the cache already holds what it needs: for a tag, the GGUF file
     * it picks; else a snapshot with weights, and a tokenizer unless the weights are GGUF.
     */
    Optional<Path> cachedModel(HubId id) throws IOException {
        Optional<Path> snap = cache.snapshot(id);
        if (snap.isEmpty()) {
            return Optional.empty();
        }
        Path s = snap.get();
        List<String> here = new ArrayList<>();
        try (var walk = Files.walk(s, 3)) {
            walk.filter(Files::isRegularFile).forEach(p -> here.add(s.relativize(p).toString().replace('\\', '/')));
        }
        List<String> wanted;
        try {
            wanted = FileSelection.select(id, here);
        } catch (HubException e) {
            return Optional.empty(); // the cache holds part of the repository: ask the Hub
        }
        if (isGguf(wanted)) {
            return here.containsAll(wanted) ? Optional.of(s.resolve(wanted.get(0))) : Optional.empty();
        }
        if (!here.contains("tokenizer.json")) {
            return Optional.empty();
        }
        if (wanted.contains(FileSelection.INDEX)) {
            for (String shard : shards(id, s.resolve(FileSelection.INDEX))) {
                if (!here.contains(shard)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(s);
    }

    // A GGUF selection (one file, or a split model's parts) opens at its first file.
    private static boolean isGguf(List<String> wanted) {
        return wanted.stream().allMatch(f -> f.toLowerCase(Locale.ROOT).endsWith(".gguf"));
    }

    // The shard files an index's weight_map names.
    private static List<String> shards(HubId id, Path index) throws IOException {
        JsonNode map = Json.MAPPER.readTree(index.toFile()).path("weight_map");
        if (!map.isObject()) {
            throw new HubException(id.repo() + ": " + FileSelection.INDEX + " has no weight_map");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        map.properties().forEach(e -> out.add(e.getValue().asText("")));
        for (String s : out) {
            if (s.isEmpty() || s.contains("..") || s.startsWith("/")) {
                throw new HubException(id.repo() + ": " + FileSelection.INDEX + " names shard '" + s
                        + "', not a file of the repository");
            }
        }
        return new ArrayList<>(out);
    }

    /** A request that got no answer: the Hub cannot be reached. */
    private static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }

    private JsonNode info(HubId id) throws IOException {
        URI uri = URI.create(endpoint + "/api/models/" + id.repo() + "/revision/"
                + URLEncoder.encode(id.revision(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = send(request(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        check(id, r, null);
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new HubException(id + ": " + endpoint + " answered the model info request with something that is "
                    + "not JSON");
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("User-Agent", "tongyeok/" + version());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static String version() {
        String v = HubClient.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private HttpClient http() {
        HttpClient h = http;
        if (h == null) {
            synchronized (this) {
                h = http;
                if (h == null) {
                    h = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(Duration.ofSeconds(15)).build();
                    http = h;
                }
            }
        }
        return h;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws IOException {
        try {
            return http().send(request, body);
        } catch (java.net.ConnectException | java.net.UnknownHostException | java.net.http.HttpConnectTimeoutException e) {
            throw new Unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new Unreachable("no answer within " + request.timeout().map(Duration::toSeconds).orElse(0L) + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** Fails with the Hub's reason, naming the repository (and the file, when {@code file} is given). */
    private void check(HubId id, HttpResponse<?> r, String file) {
        int s = r.statusCode();
        if (s < 400) {
            return;
        }
        String code = r.headers().firstValue("X-Error-Code").orElse("");
        String what = file == null ? id.toString() : id + ": " + file;
        switch (code) {
            case "GatedRepo" -> throw new HubException(id.repo() + " is gated: accept its terms on its Hub page"
                    + (token == null ? ", then set HF_TOKEN to an access token of that account"
                            : " with the account of the token in HF_TOKEN"));
            case "RepoNotFound" -> throw new HubException(id.repo() + ": no such repository on " + endpoint
                    + (token == null ? " (if it is private, set HF_TOKEN)" : " that this token can see"));
            case "RevisionNotFound" -> throw new HubException(id.repo() + ": revision '" + id.revision()
                    + "' not found (a branch, tag or commit of the repository)");
            case "EntryNotFound" -> throw new HubException(what + " not found in the repository");
            default -> { }
        }
        if (s == 401 || s == 403) {
            throw new HubException(id.repo() + ": the Hub refused access (HTTP " + s + "); if the repository is "
                    + "private or gated, accept its terms and set HF_TOKEN");
        }
        if (s == 404) {
            throw new HubException(what + ": not found on " + endpoint + " (HTTP 404)");
        }
        throw new HubException(what + ": " + endpoint + " answered HTTP " + s);
    }

    /** What a HEAD of {@code resolve/} says about one file. */
    private record Metadata(String etag, long size, URI location) {}

    private Metadata head(HubId id, String commit, String file) throws IOException {
        URI uri = URI.create(endpoint + "/" + id.repo() + "/resolve/" + commit + "/" + encodePath(file));
        HttpResponse<Void> r = send(request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept-Encoding", "identity").build(), HttpResponse.BodyHandlers.discarding());
        check(id, r, file);
        var h = r.headers();
        String etag = h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElseThrow(
                () -> new HubException(id + ": " + file + ": the Hub sent no ETag"));
        etag = etag.replaceFirst("^W/", "").replace("\"", "");
        if (etag.isEmpty() || etag.contains("/") || etag.contains("..")) {
            throw new HubException(id + ": " + file + ": the Hub sent an unusable ETag");
        }
        long size = h.firstValue("X-Linked-Size").or(() -> h.firstValue("Content-Length")).map(Long::parseLong)
                .orElse(-1L);
        URI location = r.statusCode() >= 300 && r.statusCode() < 400
                ? h.firstValue("Location").map(uri::resolve).orElse(uri) : uri;
        return new Metadata(etag, size, location);
    }

    private static String encodePath(String file) {
        StringBuilder b = new StringBuilder();
        for (String part : file.split("/")) {
            b.append(b.isEmpty() ? "" : "/").append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }

    /** Makes {@code snapshots/<commit>/<file>} present, downloading its blob unless the cache has it. */
    private void fetch(HubId id, String commit, String file) throws IOException {
        if (file.contains("..") || file.startsWith("/")) {
            throw new HubException(id + ": the Hub lists a file '" + file + "' outside the repository");
        }
        Path pointer = cache.snapshot(id, commit).resolve(file);
        if (Files.exists(pointer)) {
            return;
        }
        Metadata m = head(id, commit, file);
        Path blob = cache.blob(id, m.etag());
        if (!Files.exists(blob)) {
            Path lock = cache.lock(id, m.etag());
            Files.createDirectories(lock.getParent());
            Files.createDirectories(blob.getParent());
            // A file lock keeps other processes out; threads of this one wait on the path's monitor first
            // (a JVM may hold only one lock on a file: a second would fail, not wait).
            synchronized (LOCKS.computeIfAbsent(lock.toAbsolutePath().normalize(), k -> new Object())) {
                try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock held = ch.lock()) {
                    if (!Files.exists(blob)) { // another process may have fetched it while this one waited
                        download(id, file, m, blob);
                    }
                }
            }
        }
        Files.createDirectories(pointer.getParent());
        Path target = pointer.getParent().relativize(blob);
        try {
            Files.createSymbolicLink(pointer, target);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // linked by another process meanwhile
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(blob, pointer, StandardCopyOption.REPLACE_EXISTING); // as huggingface_hub does without symlinks
        }
    }

    // The blob, into <blob>.incomplete and then moved into place; resumed after a cut.
    private void download(HubId id, String file, Metadata m, Path blob) throws IOException {
        Path part = blob.resolveSibling(blob.getFileName() + ".incomplete");
        long have = Files.exists(part) ? Files.size(part) : 0;
        progress.start(id.repo(), file, m.size(), have);
        IOException last = null;
        for (int attempt = 0; attempt < TRIES; attempt++) {
            if (attempt > 0) {
                pause(backoffMillis << (attempt - 1));
            }
            have = Files.exists(part) ? Files.size(part) : 0;
            if (m.size() >= 0 && have == m.size()) {
                break;
            }
            try {
                transfer(id, file, m, part, have);
                last = null;
                break;
            } catch (HubException e) {
                throw e;
            } catch (IOException e) {
                if (isDiskFull(e)) {
                    throw new HubException(id + ": " + file + ": no space left on the device of " + cache.root()
                            + " (" + (m.size() >= 0 ? m.size() + " bytes needed" : "size unknown") + ")");
                }
                last = e;
            }
        }
        if (last != null) {
            throw new HubException(id + ": " + file + ": the transfer broke off " + TRIES + " times (" + last.getMessage()
                    + "); run again to resume from " + Files.size(part) + " bytes");
        }
        long got = Files.size(part);
        if (m.size() >= 0 && got != m.size()) {
            throw new HubException(id + ": " + file + ": got " + got + " bytes, the Hub announced " + m.size());
        }
        if (SHA256.matcher(m.etag()).matches()) {
            String sha = sha256(part);
            if (!sha.equals(m.etag())) {
                Files.delete(part);
                throw new HubException(id + ": " + file + ": checksum mismatch (sha256 " + sha + ", the Hub says "
                        + m.etag() + "); the partial file was removed, run again");
            }
        }
        Files.move(part, blob, StandardCopyOption.ATOMIC_MOVE);
        progress.finish();
    }

    private void transfer(HubId id, String file, Metadata m, Path part, long from) throws IOException {
        // The token goes to the Hub only, not to the storage a large file's redirect points at.
        URI base = URI.create(endpoint);
        boolean sameHost = m.location().getHost() != null && m.location().getHost().equals(base.getHost())
                && m.location().getPort() == base.getPort();
        HttpRequest.Builder b = sameHost ? request(m.location())
                : HttpRequest.newBuilder(m.location()).timeout(Duration.ofSeconds(60));
        if (from > 0) {
            b.header("Range", "bytes=" + from + "-");
        }
        HttpResponse<InputStream> r = send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        for (int hops = 0; r.statusCode() >= 300 && r.statusCode() < 400 && hops < 5; hops++) {
            URI next = r.uri().resolve(r.headers().firstValue("Location").orElseThrow(
                    () -> new HubException(id + ": " + file + ": a redirect without Location")));
            r.body().close();
            HttpRequest.Builder nb = HttpRequest.newBuilder(next).timeout(Duration.ofSeconds(60));
            if (from > 0) {
                nb.header("Range", "bytes=" + from + "-");
            }
            r = send(nb.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        }
        if (r.statusCode() == 416 && m.size() >= 0 && from == m.size()) {
            r.body().close();
            return;
        }
        if (r.statusCode() >= 400) {
            r.body().close();
            check(id, r, file);
        }
        boolean append = r.statusCode() == 206;
        if (!append && from > 0) {
            progress.start(id.repo(), file, m.size(), 0); // the server sent the whole file again
        }
        try (InputStream in = r.body();
                OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                progress.advance(n);
            }
        }
        long got = Files.size(part);
        if (m.size() >= 0 && got < m.size()) {
            throw new IOException("the connection closed after " + got + " of " + m.size() + " bytes");
        }
    }

    private static boolean isDiskFull(IOException e) {
        String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return msg.contains("no space left") || msg.contains("disk quota");
    }

    private static void pause(long millis) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
