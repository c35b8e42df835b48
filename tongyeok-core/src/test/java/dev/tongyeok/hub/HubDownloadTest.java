package dev.tongyeok.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.embed.GgufBertTest;
import dev.tongyeok.load.onnx.OnnxWeights;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.model.bert.BertFamily;
import dev.tongyeok.resolve.BuiltinModel;
import dev.tongyeok.resolve.ModelSpec;
import dev.tongyeok.tokenize.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models by name against a Hub stand-in on 127.0.0.1 ({@link HubStandIn}): repositories built from
 * the built-in all-MiniLM-L6-v2's real files (its ONNX weights written as safetensors, its
 * tokenizer.json, sentence-transformers configs; the same weights as GGUF in two types), checked
 * against the built-in model. The real Hub is never contacted.
 */
class HubDownloadTest {
    static HubStandIn hub;
    static Path repos;
    static List<String> texts;
    static List<Embedding> builtin;

    @TempDir
    Path cacheDir;

    @BeforeAll
    static void serve() throws Exception {
        hub = new HubStandIn();
        repos = Files.createTempDirectory("tongyeok-hub-repos");
        OnnxWeights onnx = OnnxWeights.read(BuiltinModel.defaultModel().onnxFile());
        Path st = HubStandIn.miniLm(repos.resolve("minilm"));
        hub.add("sentence-transformers/all-MiniLM-L6-v2", st, null);

        Path cls = Files.createDirectories(repos.resolve("minilm-cls"));
        Files.copy(st.resolve("model.safetensors"), cls.resolve("model.safetensors"));
        HubStandIn.sentenceTransformers(cls, "cls", new BertFamily().config(onnx).toJson());
        hub.add("test-org/minilm-cls", cls, null);
        hub.add("test-org/gated", st, "secret-token");

        Path gguf = Files.createDirectories(repos.resolve("gguf"));
        GgufBertTest.writeMiniLm(gguf.resolve("all-MiniLM-L6-v2-F32.gguf"), false);
        GgufBertTest.writeMiniLm(gguf.resolve("all-MiniLM-L6-v2-Q8_0.gguf"), true);
        Files.writeString(gguf.resolve("README.md"), "GGUF files\n");
        hub.add("test-org/all-MiniLM-L6-v2-GGUF", gguf, null);

        Path split = Files.createDirectories(repos.resolve("split"));
        GgufBertTest.writeMiniLm(split.resolve("all-MiniLM-L6-v2-Q8_0.gguf"), true, 2);
        hub.add("test-org/split-GGUF", split, null);

        Path bin = Files.createDirectories(repos.resolve("bin"));
        Files.writeString(bin.resolve("config.json"), "{}");
        Files.write(bin.resolve("pytorch_model.bin"), new byte[20_000]);
        hub.add("test-org/pickle-only", bin, null);

        texts = new ArrayList<>(Fixtures.brown(12));
        texts.add("안녕하세요, こんにちは, Hello, 你好, @#%^&*()");
        builtin = Embedder.load("all-minilm-l6-v2").embed(texts, EmbedOptions.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @AfterEach
    void standardHubAgain() {
        ModelSpec.useHub(null);
        hub.cuts.set(0);
        hub.corrupt = false;
    }

    HubClient client(String token, boolean offline) {
        return new HubClient(new HubCache(cacheDir), hub.endpoint(), token, offline, HubClient.Progress.NONE, n -> { },
                1);
    }

    /** N of a logged request's {@code bytes=N-}. */
    static long rangeStart(String request) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes=(\\d+)-$").matcher(request);
        assertTrue(m.find(), request + " has a Range");
        return Long.parseLong(m.group(1));
    }

    void assertBuiltinVectors(Embedder e) {
        List<Embedding> got = e.embed(texts, EmbedOptions.DEFAULTS);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(builtin.get(i).encoding().ids(), got.get(i).encoding().ids(), texts.get(i));
            assertArrayEquals(builtin.get(i).vector(), got.get(i).vector(), 2e-6f, texts.get(i));
        }
    }

    @Test
    void aHubIdDownloadsIntoHuggingFaceHubsCacheAndEmbedsAsTheBuiltinModel() throws Exception {
        ModelSpec.useHub(client(null, false));
        hub.requests.clear();
        Embedder e = Embedder.load("sentence-transformers/all-MiniLM-L6-v2");
        assertEquals("sentence-transformers/all-MiniLM-L6-v2", e.name());
        assertEquals(Pooling.MEAN, e.defaultPooling());
        assertEquals(256, e.files().maxSeqLength(), "sentence_bert_config.json's max_seq_length");
        assertBuiltinVectors(e);

        // huggingface_hub's layout: blobs by ETag, the snapshot's files linking to them, refs/main.
        Path repo = cacheDir.resolve("models--sentence-transformers--all-MiniLM-L6-v2");
        String commit = Files.readString(repo.resolve("refs/main")).strip();
        Path snap = repo.resolve("snapshots").resolve(commit);
        Path weights = snap.resolve("model.safetensors");
        assertTrue(Files.isSymbolicLink(weights));
        String sha = HubStandIn.hex(HubStandIn.digest("SHA-256", Files.readAllBytes(repos.resolve("minilm/model.safetensors"))));
        assertEquals(repo.resolve("blobs").resolve(sha), weights.toRealPath());
        String tokenizerId = HubStandIn.gitBlobId(Files.readAllBytes(repos.resolve("minilm/tokenizer.json")));
        assertEquals(repo.resolve("blobs").resolve(tokenizerId), snap.resolve("tokenizer.json").toRealPath());
        assertTrue(Files.isRegularFile(snap.resolve("1_Pooling/config.json")));

        // What the model does not need is never fetched.
        assertEquals(List.of(), hub.requestsFor("onnx/model.onnx"));
        assertEquals(List.of(), hub.requestsFor("README.md"));

        // A warm cache: no request at all.
        hub.requests.clear();
        assertBuiltinVectors(Embedder.load("sentence-transformers/all-MiniLM-L6-v2"));
        assertEquals(List.of(), hub.requests);
    }

    @Test
    void whatPythonToolsDownloadedIsUsedAndAPullFetchesOnlyWhatIsMissing() throws Exception {
        HubClient c = client(null, false);
        HubId id = HubId.parse("sentence-transformers/all-MiniLM-L6-v2").orElseThrow();
        Path snap = c.pull(id);
        // As if another tool had fetched all but the tokenizer: its link and its blob gone.
        Path blob = snap.resolve("tokenizer.json").toRealPath();
        Files.delete(snap.resolve("tokenizer.json"));
        Files.delete(blob);
        ModelSpec.useHub(client(null, false));
        hub.requests.clear();
        assertBuiltinVectors(Embedder.load("sentence-transformers/all-MiniLM-L6-v2"));
        assertEquals(List.of("GET /api/models/sentence-transformers/all-MiniLM-L6-v2/revision/main",
                "HEAD /sentence-transformers/all-MiniLM-L6-v2/resolve/" + snap.getFileName() + "/tokenizer.json",
                "GET /sentence-transformers/all-MiniLM-L6-v2/resolve/" + snap.getFileName() + "/tokenizer.json"),
                hub.requests, "only the missing file is fetched");
    }

    @Test
    void aCutTransferResumesWithRange() throws Exception {
        ModelSpec.useHub(client(null, false));
        hub.cuts.set(2); // the first two tries of the weights break off after 1 MiB
        hub.requests.clear();
        assertBuiltinVectors(Embedder.load("sentence-transformers/all-MiniLM-L6-v2"));
        List<String> cdn = hub.requestsFor("/cdn/");
        assertEquals(3, cdn.size(), cdn.toString());
        assertFalse(cdn.get(0).contains("bytes="), cdn.get(0));
        // Each try resumes where the last stopped (a cut connection may lose what was in flight).
        long second = rangeStart(cdn.get(1));
        long third = rangeStart(cdn.get(2));
        assertTrue(second > 0 && second <= hub.cutAt, cdn.get(1));
        assertTrue(third > second && third <= second + hub.cutAt, cdn.get(2));
    }

    @Test
    void aSecondRunResumesWhatTheFirstLeft() throws Exception {
        HubClient c = client(null, false);
        HubId id = HubId.parse("sentence-transformers/all-MiniLM-L6-v2").orElseThrow();
        hub.cuts.set(HubClient.TRIES);
        HubException e = assertThrows(HubException.class, () -> c.pull(id));
        assertTrue(e.getMessage().contains("model.safetensors: the transfer broke off 5 times"), e.getMessage());
        java.util.regex.Matcher left = java.util.regex.Pattern.compile("resume from (\\d+) bytes").matcher(e.getMessage());
        assertTrue(left.find(), e.getMessage());
        long kept = Long.parseLong(left.group(1));
        assertTrue(kept > 0, e.getMessage());
        hub.requests.clear();
        c.pull(id);
        assertEquals(kept, rangeStart(hub.requestsFor("/cdn/").get(0)), "the second run starts where the first stopped");
    }

    @Test
    void aCorruptTransferIsCaughtByItsChecksum() throws Exception {
        hub.corrupt = true;
        HubException e = assertThrows(HubException.class,
                () -> client(null, false).pull(HubId.parse("sentence-transformers/all-MiniLM-L6-v2").orElseThrow()));
        assertTrue(e.getMessage().contains("model.safetensors: checksum mismatch"), e.getMessage());
        try (var blobs = Files.list(cacheDir.resolve("models--sentence-transformers--all-MiniLM-L6-v2/blobs"))) {
            assertTrue(blobs.noneMatch(p -> p.toString().endsWith(".incomplete")), "nothing half-written is left");
        }
    }

    @Test
    void offlineSendsNoRequest() throws Exception {
        HubId id = HubId.parse("sentence-transformers/all-MiniLM-L6-v2").orElseThrow();
        hub.requests.clear();
        HubException cold = assertThrows(HubException.class, () -> client(null, true).pull(id));
        assertTrue(cold.getMessage().contains("is not in the Hugging Face cache"), cold.getMessage());
        client(null, false).pull(id);
        hub.requests.clear();
        ModelSpec.useHub(client(null, true));
        assertBuiltinVectors(Embedder.load("sentence-transformers/all-MiniLM-L6-v2"));
        client(null, true).pull(id);
        assertEquals(List.of(), hub.requests);
    }

    @Test
    void anUnreachableHubFallsBackToTheCacheWithANotice() throws Exception {
        HubId id = HubId.parse("sentence-transformers/all-MiniLM-L6-v2").orElseThrow();
        Path snap = client(null, false).pull(id);
        List<String> notices = new ArrayList<>();
        HubClient away = new HubClient(new HubCache(cacheDir), "http://127.0.0.1:9", null, false,
                HubClient.Progress.NONE, notices::add, 1);
        assertEquals(snap, away.pull(id));
        assertEquals(1, notices.size());
        assertTrue(notices.get(0).startsWith("tongyeok: cannot reach http://127.0.0.1:9"), notices.get(0));
        HubException e = assertThrows(HubException.class, () -> away.pull(HubId.parse("test-org/minilm-cls").orElseThrow()));
        assertTrue(e.getMessage().startsWith("test-org/minilm-cls: cannot reach http://127.0.0.1:9"), e.getMessage());
    }

    @Test
    void gatedRepositoriesNeedAToken() throws Exception {
        HubException e = assertThrows(HubException.class,
                () -> client(null, false).pull(HubId.parse("test-org/gated").orElseThrow()));
        assertEquals("test-org/gated is gated: accept its terms on its Hub page, then set HF_TOKEN to an access token "
                + "of that account", e.getMessage());
        Path snap = client("secret-token", false).pull(HubId.parse("test-org/gated").orElseThrow());
        assertTrue(Files.isRegularFile(snap.resolve("model.safetensors")));
    }

    @Test
    void errorsNameTheRepository() {
        HubClient c = client(null, false);
        assertEquals("test-org/nothing: no such repository on " + hub.endpoint() + " (if it is private, set HF_TOKEN)",
                assertThrows(HubException.class, () -> c.pull(HubId.parse("test-org/nothing").orElseThrow())).getMessage());
        assertEquals("test-org/minilm-cls: revision 'v9' not found (a branch, tag or commit of the repository)",
                assertThrows(HubException.class, () -> c.pull(HubId.parse("test-org/minilm-cls@v9").orElseThrow()))
                        .getMessage());
        assertTrue(assertThrows(HubException.class, () -> c.pull(HubId.parse("test-org/pickle-only").orElseThrow()))
                .getMessage().startsWith("test-org/pickle-only holds its weights only as pytorch_model.bin"));
        assertTrue(assertThrows(HubException.class,
                () -> c.pull(HubId.parse("test-org/all-MiniLM-L6-v2-GGUF:Q4_K_M").orElseThrow())).getMessage()
                .startsWith("test-org/all-MiniLM-L6-v2-GGUF: no GGUF file for tag Q4_K_M; it has all-MiniLM-L6-v2-F32.gguf, "
                        + "all-MiniLM-L6-v2-Q8_0.gguf"));
    }

    @Test
    void poolingComesFromTheRepositorysOwnFiles() throws Exception {
        ModelSpec.useHub(client(null, false));
        Embedder e = Embedder.load("hf.co/test-org/minilm-cls");
        assertEquals(Pooling.CLS, e.defaultPooling());
        Embedder b = Embedder.load("all-minilm-l6-v2");
        assertArrayEquals(b.embed(List.of(texts.get(0)), EmbedOptions.DEFAULTS.withPooling(Pooling.CLS)).get(0).vector(),
                e.embed(texts.get(0)), 2e-6f);
    }

    @Test
    void aGgufTagFetchesThatFileOnly() throws Exception {
        ModelSpec.useHub(client(null, false));
        hub.requests.clear();
        Embedder q8 = Embedder.load("test-org/all-MiniLM-L6-v2-GGUF:Q8_0");
        assertEquals("Q8_0", q8.weightType());
        assertEquals(List.of(), hub.requestsFor("F32.gguf"), "the other type is never fetched");
        assertEquals(List.of(), hub.requestsFor("README.md"));
        double worst = 1;
        List<Embedding> got = q8.embed(texts, EmbedOptions.DEFAULTS);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(builtin.get(i).encoding().ids(), got.get(i).encoding().ids(), "GGUF's own vocabulary");
            worst = Math.min(worst, dev.tongyeok.embed.ModelParityTest.cosine(builtin.get(i).vector(), got.get(i).vector()));
        }
        assertTrue(worst >= 0.999, "Q8_0 against F32: worst cosine " + worst);
        // Without a tag the default order takes Q8_0 before F32.
        assertEquals(Embedder.load("test-org/all-MiniLM-L6-v2-GGUF").files().weights().source(),
                q8.files().weights().source());
    }

    @Test
    void anOllamaModelIsReadInPlace() throws Exception {
        Path store = cacheDir.resolve("ollama");
        byte[] gguf = Files.readAllBytes(repos.resolve("gguf/all-MiniLM-L6-v2-F32.gguf"));
        String sha = HubStandIn.hex(HubStandIn.digest("SHA-256", gguf));
        Path blob = Files.createDirectories(store.resolve("blobs")).resolve("sha256-" + sha);
        Files.write(blob, gguf);
        Path manifest = store.resolve("manifests/registry.ollama.ai/library/all-minilm/latest");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\"sha256:"
                + "0".repeat(64) + "\",\"size\":1},\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\","
                + "\"digest\":\"sha256:" + sha + "\",\"size\":" + gguf.length + "},{\"mediaType\":"
                + "\"application/vnd.ollama.image.params\",\"digest\":\"sha256:" + "1".repeat(64) + "\",\"size\":1}]}");
        OllamaStore s = new OllamaStore(store);
        assertEquals(blob, s.model("all-minilm"));
        assertEquals(blob, s.model("all-minilm:latest"));
        assertEquals(List.of("all-minilm:latest"), s.models());
        HubException missing = assertThrows(HubException.class, () -> s.model("nomic-embed-text:v1.5"));
        assertTrue(missing.getMessage().startsWith("ollama:nomic-embed-text:v1.5 is not in the Ollama store"),
                missing.getMessage());
        assertTrue(missing.getMessage().endsWith("pull it with: ollama pull nomic-embed-text:v1.5"), missing.getMessage());

        System.setProperty("tongyeok.ollama.models", store.toString());
        try {
            Embedder e = Embedder.load("ollama:all-minilm");
            assertEquals(blob.getFileName().toString(), e.files().weights().source(), "the blob is read in place");
            assertBuiltinVectors(e);
        } finally {
            System.clearProperty("tongyeok.ollama.models");
        }
        try (var files = Files.list(store.resolve("blobs"))) {
            assertEquals(1, files.count(), "nothing copied");
        }
    }

    @Test
    void aSplitGgufLoadsAsOne() throws Exception {
        ModelSpec.useHub(client(null, false));
        hub.requests.clear();
        Embedder split = Embedder.load("test-org/split-GGUF:Q8_0");
        assertEquals(2, hub.requestsFor("GET /cdn/").size(), "both parts");
        Embedder whole = Embedder.load("test-org/all-MiniLM-L6-v2-GGUF:Q8_0");
        for (String t : texts) {
            assertArrayEquals(whole.embed(t), split.embed(t), 0f, t);
        }
    }

    @Test
    void twoFetchesOfOneModelAtOnceShareTheCache() throws Exception {
        HubId id = HubId.parse("test-org/minilm-cls").orElseThrow();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> client(null, false).pull(id));
            var b = pool.submit(() -> client(null, false).pull(id));
            Path snap = a.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(snap, b.get(120, java.util.concurrent.TimeUnit.SECONDS));
            byte[] want = Files.readAllBytes(repos.resolve("minilm-cls/model.safetensors"));
            assertArrayEquals(want, Files.readAllBytes(snap.resolve("model.safetensors")));
            try (var blobs = Files.list(cacheDir.resolve("models--test-org--minilm-cls/blobs"))) {
                assertTrue(blobs.noneMatch(p -> p.toString().endsWith(".incomplete")));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoProcessesFetchingOneModelAtOnceDoNotCorruptIt() throws Exception {
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ps.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), PullProcess.class.getName(), hub.endpoint(),
                    cacheDir.toString(), "sentence-transformers/all-MiniLM-L6-v2").redirectErrorStream(true).start());
        }
        List<String> out = new ArrayList<>();
        for (Process p : ps) {
            String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), printed);
            out.add(printed);
        }
        assertEquals(out.get(0), out.get(1));
        Path snap = Path.of(out.get(0));
        assertArrayEquals(Files.readAllBytes(repos.resolve("minilm/model.safetensors")),
                Files.readAllBytes(snap.resolve("model.safetensors")));
        ModelSpec.useHub(client(null, true));
        assertBuiltinVectors(Embedder.load("sentence-transformers/all-MiniLM-L6-v2"));
    }
}
