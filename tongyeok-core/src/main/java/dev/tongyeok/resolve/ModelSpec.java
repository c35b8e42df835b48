package dev.tongyeok.resolve;

import dev.tongyeok.tokenize.json.TokenizerJson;
import dev.tongyeok.tokenize.sentencepiece.SentencePieceModel;
import dev.tongyeok.hub.HubClient;
import dev.tongyeok.hub.HubId;
import dev.tongyeok.hub.OllamaStore;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.layer.Linear;
import dev.tongyeok.model.family.ModelFamily;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.model.registry.ModelFamilies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.load.gguf.GgufTokenizer;
import dev.tongyeok.load.gguf.GgufWeights;
import dev.tongyeok.load.onnx.OnnxWeights;
import dev.tongyeok.load.safetensors.SafetensorsWeights;
import dev.tongyeok.tokenize.Tokenizer;
import dev.tongyeok.tokenize.TokenizerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves what users write after {@code --model}: a built-in name, a model directory
 * ({@code config.json}, {@code tokenizer.json}, and {@code model.safetensors},
 * {@code model.safetensors.index.json} or {@code model.onnx}), a single {@code .onnx} file with
 * {@code tokenizer.json} beside it, a {@code .gguf} file, a Hub id ({@code org/name},
 * {@code org/name@REVISION}, {@code org/name:TAG} for a GGUF repository, {@code hf.co/org/name}; from
 * the Hugging Face cache, downloaded into it when missing), {@code ollama:NAME[:TAG]} (a model in
 * the Ollama store), or a {@code tokenizer.json} file (tokenizing only).
 */
public final class ModelSpec {
    private ModelSpec() {}

    /**
     * The tokenizer of {@code spec}.
     *
     * @throws TokenizerException when the spec names nothing usable, with what was tried
     * @throws IOException when a file cannot be read
     */
    public static Tokenizer tokenizer(String spec) throws IOException {
        var builtin = BuiltinModel.find(spec);
        if (builtin.isPresent()) {
            return builtin.get().tokenizer();
        }
        var named = named(spec);
        if (named.isPresent()) {
            return tokenizer(named.get().toString());
        }
        Path p = Path.of(expandHome(spec));
        if (Files.isDirectory(p)) {
            TokenizerReader reader = directoryTokenizer(p);
            if (reader == null) {
                throw new TokenizerException(spec + ": model directory has no " + TOKENIZER_FILES);
            }
            return reader.read();
        }
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json")) {
            return TokenizerJson.read(p);
        }
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".model")) {
            return sentencePiece(p);
        }
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".onnx")) {
            return TokenizerJson.read(tokenizerBeside(p));
        }
        if (Files.isRegularFile(p) && isGguf(p)) {
            return ggufTokenizer(p, GgufFile.read(p));
        }
        if (!Files.exists(p) && looksLikePath(spec)) {
            throw new TokenizerException(spec + ": no such file or directory");
        }
        throw new TokenizerException(notFound(spec, "nor a tokenizer.json file"));
    }

    private static volatile HubClient hub;

    /**
     * The client that fetches Hub models: {@link HubClient#standard} with no progress shown and
     * notices on standard error, unless {@link #useHub} gave another.
     */
    public static HubClient hub() {
        HubClient h = hub;
        if (h == null) {
            h = HubClient.standard(HubClient.Progress.NONE, System.err::println);
            hub = h;
        }
        return h;
    }

    /** Fetches Hub models with {@code client} from now on (the command line's, with its progress bar). */
    public static void useHub(HubClient client) {
        hub = client;
    }

    /**
     * Whether {@code spec} is written as a path: it starts with {@code ./}, {@code ../}, {@code /} or
     * {@code ~}, or ends in a file extension tongyeok reads, or exists. Such a spec is never a Hub id.
     */
    static boolean looksLikePath(String spec) {
        return spec.startsWith("./") || spec.startsWith("../") || spec.startsWith("/") || spec.startsWith("~")
                || spec.startsWith(".\\") || spec.matches("(?i).*\\.(gguf|onnx|json|safetensors)")
                || Files.exists(Path.of(spec));
    }

    /** {@code ~/…} as the user's home, as a shell would expand it. */
    static String expandHome(String spec) {
        return spec.equals("~") || spec.startsWith("~/") ? System.getProperty("user.home") + spec.substring(1) : spec;
    }

    /**
     * Where a name that is not a path puts the model: {@code ollama:NAME[:TAG]} in the Ollama store,
     * a Hub id ({@code org/name[@REVISION][:TAG]}, {@code hf.co/…}) in the Hugging Face cache,
     * downloaded first when the cache does not hold it. Empty when {@code spec} is neither.
     *
     * @throws ModelException when the name names a model that cannot be had, saying why
     * @throws IOException when the store or the cache cannot be read or written
     */
    public static java.util.Optional<Path> named(String spec) throws IOException {
        if (spec.startsWith("ollama:")) {
            return java.util.Optional.of(OllamaStore.standard().model(spec.substring("ollama:".length())));
        }
        var id = HubId.parse(spec);
        if (id.isEmpty() || !id.get().forced() && looksLikePath(spec)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(hub().model(id.get()));
    }

    private static String notFound(String spec, String last) {
        StringBuilder names = new StringBuilder();
        for (BuiltinModel m : BuiltinModel.ALL) {
            names.append(names.isEmpty() ? "" : ", ").append(m.name());
        }
        List<String> builtins = new ArrayList<>();
        BuiltinModel.ALL.forEach(m -> builtins.add(m.name()));
        String hint = Names.closest(spec, builtins).map(n -> "; did you mean " + n + "?").orElse("");
        return "model '" + spec + "' is neither a built-in model (" + names + ") nor a model directory nor an .onnx or "
                + ".gguf file " + last + " nor a Hub id (org/name) nor ollama:NAME" + hint;
    }

    /**
     * Everything needed to embed with {@code spec}.
     *
     * @throws ModelException when the spec names nothing usable or a file is missing or corrupt
     * @throws TokenizerException when the tokenizer.json is not valid
     * @throws IOException when a file cannot be read
     */
    public static ModelFiles resolve(String spec) throws IOException {
        ModelFiles files = resolveConcurrently(spec);
        try {
            files.tokenizer();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return files;
    }

    /**
     * As {@link #resolve}, but the tokenizer is parsed on a thread of its own while the weights are
     * read, and may still be in the making when this returns: {@link ModelFiles#tokenizer()} waits for
     * it (and throws what parsing it threw). {@link dev.tongyeok.embed.Embedder#load} packs the
     * weights meanwhile, so that start-up costs the longer of the two, not their sum.
     *
     * @throws ModelException when the model cannot be found or its files are not valid
     * @throws IOException when a file cannot be read
     */
    public static ModelFiles resolveConcurrently(String spec) throws IOException {
        var builtin = BuiltinModel.find(spec);
        if (builtin.isPresent()) {
            BuiltinModel m = builtin.get();
            var tokenizer = inBackground(m::tokenizer);
            OnnxWeights w = OnnxWeights.read(m.onnxFile());
            return new ModelFiles(m.name(), tokenizer, w, ModelFamilies.onnxConfig(w), m.pooling(), m.normalize(),
                    m.maxSeqLength(), m.prompts(), "");
        }
        var named = named(spec);
        if (named.isPresent()) {
            return resolveConcurrently(named.get().toString()).withName(spec);
        }
        Path p = Path.of(expandHome(spec));
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".onnx")) {
            OnnxWeights w = OnnxWeights.read(p);
            Path dir = p.toAbsolutePath().getParent();
            ModelConfig cfg = Files.isRegularFile(dir.resolve("config.json"))
                    ? ModelFamilies.readConfig(dir.resolve("config.json")) : ModelFamilies.onnxConfig(w);
            Path tok = tokenizerBeside(p);
            return withDefaults(spec, dir, inBackground(() -> TokenizerJson.read(tok)), w, cfg);
        }
        if (Files.isRegularFile(p) && isGguf(p)) {
            return gguf(spec, p);
        }
        if (!Files.exists(p) && looksLikePath(spec)) {
            throw new ModelException(spec + ": no such file or directory");
        }
        if (!Files.isDirectory(p)) {
            throw new ModelException(notFound(spec, Files.exists(p) ? "(not a file these formats recognise)"
                    : "(no such file or directory)"));
        }
        Path oneGguf = onlyGguf(p);
        if (oneGguf != null && !Files.isRegularFile(p.resolve("model.safetensors"))
                && !Files.isRegularFile(p.resolve("model.safetensors.index.json"))
                && !Files.isRegularFile(p.resolve("model.onnx"))) {
            return gguf(spec, oneGguf).withName(spec);
        }
        TokenizerReader reader = directoryTokenizer(p);
        if (reader == null) {
            throw new ModelException(spec + ": model directory has no " + TOKENIZER_FILES);
        }
        var tokenizer = inBackground(reader);
        WeightSource w;
        if (Files.isRegularFile(p.resolve("model.safetensors"))) {
            w = SafetensorsWeights.read(p.resolve("model.safetensors"));
        } else if (Files.isRegularFile(p.resolve("model.safetensors.index.json"))) {
            w = SafetensorsWeights.read(p.resolve("model.safetensors.index.json"));
        } else if (Files.isRegularFile(p.resolve("model.onnx"))) {
            w = OnnxWeights.read(p.resolve("model.onnx"));
        } else if (Files.isRegularFile(p.resolve("onnx/model.onnx"))) {
            w = OnnxWeights.read(p.resolve("onnx/model.onnx"));
        } else {
            throw new ModelException(spec + ": model directory has no model.safetensors, "
                    + "model.safetensors.index.json or model.onnx");
        }
        ModelConfig cfg;
        if (Files.isRegularFile(p.resolve("config.json"))) {
            cfg = ModelFamilies.readConfig(p.resolve("config.json"));
        } else if (w instanceof OnnxWeights o) {
            cfg = ModelFamilies.onnxConfig(o);
        } else {
            throw new ModelException(spec + ": model directory has no config.json");
        }
        return withDefaults(spec, p, tokenizer, w, cfg);
    }

    // Named .gguf (a broken one then gets the reader's error) or starting with GGUF's magic.
    private static boolean isGguf(Path p) {
        return p.getFileName().toString().endsWith(".gguf") || GgufFile.looksLikeGguf(p);
    }

    // The one .gguf file of a directory, or null.
    private static Path onlyGguf(Path dir) throws IOException {
        try (var list = Files.list(dir)) {
            var all = list.filter(f -> f.getFileName().toString().endsWith(".gguf") && Files.isRegularFile(f)).toList();
            return all.size() == 1 ? all.get(0) : null;
        }
    }

    /**
     * A GGUF file: its weights under checkpoint names, its configuration and pooling from the
     * metadata ({@code <arch>.pooling_type}: 1 mean, 2 CLS, 3 last; else mean for BERT, last for
     * decoders), its tokenizer from a tokenizer.json beside it or else from the metadata.
     */
    private static ModelFiles gguf(String spec, Path file) throws IOException {
        GgufFile f = GgufFile.read(file);
        ModelFamily family = ModelFamilies.forGguf(f);
        GgufWeights w = GgufWeights.of(f, family.ggufLayout(f));
        ModelConfig cfg = family.config(f);
        // llama.cpp's enum llama_pooling_type: 0 none, 1 mean, 2 cls, 3 last, 4 rank.
        Pooling pooling = switch ((int) f.integer(f.architecture() + ".pooling_type", -1)) {
            case 1 -> Pooling.MEAN;
            case 2 -> Pooling.CLS;
            case 3 -> Pooling.LAST;
            default -> family.defaultPooling();
        };
        var tokenizer = inBackground(() -> ggufTokenizer(file, f));
        var dense = DenseModules.of(DenseModules.gguf(w), cfg.hidden_size(), file.getFileName().toString());
        return new ModelFiles(spec, tokenizer, w, cfg, pooling, true, cfg.max_position_embeddings(), java.util.Map.of(),
                "", dense);
    }

    // tokenizer.json (or NAME-tokenizer.json) beside a .gguf file, else the tokenizer its metadata describes.
    private static Tokenizer ggufTokenizer(Path file, GgufFile f) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String base = file.getFileName().toString().replaceFirst("\\.gguf$", "");
        for (Path t : new Path[] {dir.resolve(base + "-tokenizer.json"), dir.resolve("tokenizer.json")}) {
            if (Files.isRegularFile(t)) {
                return TokenizerJson.read(t);
            }
        }
        return GgufTokenizer.of(f);
    }

    private static Path tokenizerBeside(Path onnx) {
        Path dir = onnx.toAbsolutePath().getParent();
        String base = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        for (Path t : new Path[] {dir.resolve(base + "-tokenizer.json"), dir.resolve("tokenizer.json"),
                dir.getParent() == null ? dir.resolve("tokenizer.json") : dir.getParent().resolve("tokenizer.json")}) {
            if (Files.isRegularFile(t)) {
                return t;
            }
        }
        throw new ModelException(onnx + ": no tokenizer.json beside it (looked for " + base
                + "-tokenizer.json and tokenizer.json)");
    }

    private static final String TOKENIZER_FILES = "tokenizer.json (nor a SentencePiece tokenizer.model, "
            + "sentencepiece.bpe.model or spiece.model)";

    // tokenizer.json in a model directory, else its SentencePiece model file; null when it has neither.
    private static TokenizerReader directoryTokenizer(Path dir) {
        Path json = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(json)) {
            return () -> TokenizerJson.read(json);
        }
        for (String name : SentencePieceModel.FILE_NAMES) {
            Path model = dir.resolve(name);
            if (Files.isRegularFile(model)) {
                return () -> sentencePiece(model);
            }
        }
        return null;
    }

    /**
     * The tokenizer of a SentencePiece model file, its start and end markers laid out as the model
     * beside it says: {@code config.json}'s {@code model_type}, else {@code tokenizer_config.json}'s
     * {@code tokenizer_class} (its {@code add_bos_token} and {@code add_eos_token} adjusting a Llama
     * layout); with neither, none, as SentencePiece itself encodes.
     */
    static Tokenizer sentencePiece(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        ObjectMapper json = new ObjectMapper();
        SentencePieceModel.Markers markers = SentencePieceModel.Markers.NONE;
        Path config = dir.resolve("config.json");
        if (Files.isRegularFile(config)) {
            markers = SentencePieceModel.Markers.forModelType(json.readTree(config.toFile()).path("model_type").asText(null));
        }
        Path tokenizerConfig = dir.resolve("tokenizer_config.json");
        JsonNode tc = Files.isRegularFile(tokenizerConfig) ? json.readTree(tokenizerConfig.toFile()) : null;
        if (markers == SentencePieceModel.Markers.NONE && tc != null) {
            markers = SentencePieceModel.Markers.forTokenizerClass(tc.path("tokenizer_class").asText(null));
        }
        if (tc != null && (markers == SentencePieceModel.Markers.BOS || markers == SentencePieceModel.Markers.BOS_EOS)) {
            boolean bos = tc.path("add_bos_token").asBoolean(true);
            boolean eos = tc.path("add_eos_token").asBoolean(markers == SentencePieceModel.Markers.BOS_EOS);
            markers = bos ? (eos ? SentencePieceModel.Markers.BOS_EOS : SentencePieceModel.Markers.BOS)
                    : (eos ? SentencePieceModel.Markers.EOS : SentencePieceModel.Markers.NONE);
        }
        return SentencePieceModel.read(file).tokenizer(markers);
    }

    /** Something that reads a tokenizer. */
    @FunctionalInterface
    private interface TokenizerReader {
        Tokenizer read() throws IOException;
    }

    /**
     * Starts {@code reader} on a daemon thread of its own, and the Unicode tables most tokenizers
     * consult on another (parsing them takes as long as parsing a vocabulary).
     */
    private static java.util.concurrent.CompletableFuture<Tokenizer> inBackground(TokenizerReader reader) {
        Thread.ofPlatform().daemon().name("tongyeok-unicode").start(dev.tongyeok.tokenize.unicode.Ucd::load);
        var future = new java.util.concurrent.CompletableFuture<Tokenizer>();
        Thread.ofPlatform().daemon().name("tongyeok-tokenizer").start(() -> {
            try {
                future.complete(reader.read());
            } catch (IOException e) {
                future.completeExceptionally(new UncheckedIOException(e));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    /**
     * The mode a sentence-transformers {@code 1_Pooling/config.json} turns on: exactly one of its
     * {@code pooling_mode_*} keys, else mean (the module's default).
     *
     * @throws ModelException when it turns on several (sentence-transformers then concatenates them
     *     into one longer vector, which tongyeok does not compute)
     */
    static Pooling poolingMode(JsonNode config, Path file) {
        List<Pooling> on = new ArrayList<>();
        for (Pooling p : Pooling.values()) {
            if (p.configKey() != null && config.path(p.configKey()).asBoolean(false)) {
                on.add(p);
            }
        }
        if (on.size() > 1) {
            throw new ModelException(file + ": turns on " + on.size() + " pooling modes at once ("
                    + String.join(", ", on.stream().map(Pooling::toString).toList())
                    + "); sentence-transformers concatenates them, which is not supported");
        }
        return on.isEmpty() ? Pooling.MEAN : on.get(0);
    }

    /**
     * Pooling, normalization and the length limit from the sentence-transformers files when
     * present ({@code modules.json}, {@code 1_Pooling/config.json}, {@code sentence_bert_config.json},
     * the named prompts of {@code config_sentence_transformers.json}), else mean pooling, normalized, limited by {@code max_position_embeddings}.
     */
    private static ModelFiles withDefaults(String spec, Path dir, java.util.concurrent.CompletableFuture<Tokenizer> tokenizer,
            WeightSource w, ModelConfig cfg)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        Pooling pooling = ModelFamilies.of(cfg).defaultPooling();
        boolean normalize = true;
        int max = cfg.max_position_embeddings();
        Path modules = dir.resolve("modules.json");
        List<Linear> dense = new ArrayList<>();
        if (Files.isRegularFile(modules)) {
            JsonNode m = json.readTree(modules.toFile());
            normalize = false;
            for (JsonNode module : m) {
                String type = module.path("type").asText("");
                if (type.endsWith(".Normalize")) {
                    normalize = true;
                }
                if (type.endsWith(".Dense")) {
                    String path = module.path("path").asText("");
                    Path dc = dir.resolve(path).resolve("config.json");
                    if (!Files.isRegularFile(dc)) {
                        throw new ModelException(dir.resolve(path) + ": Dense module has no config.json");
                    }
                    dense.add(DenseModules.module(dir, path, json.readTree(dc.toFile()), dc));
                }
                if (type.endsWith(".Pooling")) {
                    Path pc = dir.resolve(module.path("path").asText("1_Pooling")).resolve("config.json");
                    if (Files.isRegularFile(pc)) {
                        pooling = poolingMode(json.readTree(pc.toFile()), pc);
                    }
                }
            }
        }
        Path sbert = dir.resolve("sentence_bert_config.json");
        if (Files.isRegularFile(sbert)) {
            int m = json.readTree(sbert.toFile()).path("max_seq_length").asInt(max);
            max = Math.min(max, m);
        }
        java.util.Map<String, String> prompts = new java.util.LinkedHashMap<>();
        Path st = dir.resolve("config_sentence_transformers.json");
        String defaultPrompt = "";
        if (Files.isRegularFile(st)) {
            JsonNode c = json.readTree(st.toFile());
            c.path("prompts").properties().forEach(e -> prompts.put(e.getKey(), e.getValue().asText("")));
            String name = c.path("default_prompt_name").isTextual() ? c.path("default_prompt_name").asText() : null;
            if (name != null) {
                defaultPrompt = prompts.get(name);
                if (defaultPrompt == null) {
                    throw new ModelException(st + ": default_prompt_name '" + name + "' is not among its prompts ("
                            + String.join(", ", prompts.keySet()) + ")");
                }
            }
        }
        return new ModelFiles(spec, tokenizer, w, cfg, pooling, normalize, max, prompts, defaultPrompt,
                DenseModules.of(dense, cfg.hidden_size(), modules.toString()));
    }
}
