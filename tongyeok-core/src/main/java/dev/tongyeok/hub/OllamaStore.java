package dev.tongyeok.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The models an Ollama install holds ({@code $OLLAMA_MODELS}, else {@code ~/.ollama/models}), read
 * in place: {@code ollama:NAME[:TAG]} is the manifest
 * {@code manifests/registry.ollama.ai/library/NAME/TAG} ({@code NAMESPACE/NAME} for a user's model;
 * TAG {@code latest} when none is given), whose layer of media type
 * {@code application/vnd.ollama.image.model} names the GGUF blob {@code blobs/sha256-<hex>}.
 */
public final class OllamaStore {
    /** The media type of the layer that holds the weights. */
    static final String MODEL_LAYER = "application/vnd.ollama.image.model";
    private static final String REGISTRY = "registry.ollama.ai";
    private static final Pattern NAME = Pattern.compile("(?:([\\w.-]+)/)?([\\w.-]+)(?::([\\w.-]+))?");
    private static final Pattern DIGEST = Pattern.compile("sha256[:-]([0-9a-f]{64})");

    private final Path root;

    /** The store at {@code root} (the folder holding {@code manifests/} and {@code blobs/}). */
    public OllamaStore(Path root) {
        this.root = root;
    }

    /**
     * The store Ollama uses: the system property {@code tongyeok.ollama.models}, else
     * {@code $OLLAMA_MODELS}, else {@code ~/.ollama/models}.
     */
    public static OllamaStore standard() {
        String prop = System.getProperty("tongyeok.ollama.models");
        if (prop != null && !prop.isBlank()) {
            return new OllamaStore(Path.of(prop));
        }
        String env = System.getenv("OLLAMA_MODELS");
        return new OllamaStore(env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".ollama", "models"));
    }

    /** The store's folder. */
    public Path root() {
        return root;
    }

    /**
     * The GGUF blob of model {@code name} ({@code nomic-embed-text}, {@code nomic-embed-text:v1.5},
     * {@code user/model:tag}).
     *
     * @throws HubException when the name is not valid, the model is not pulled, or its manifest is broken
     * @throws IOException when the store cannot be read
     */
    public Path model(String name) throws IOException {
        var m = NAME.matcher(name);
        if (!m.matches()) {
            throw new HubException("ollama:" + name + " is not a model name (NAME, NAME:TAG or NAMESPACE/NAME:TAG)");
        }
        String namespace = m.group(1) == null ? "library" : m.group(1);
        String tag = m.group(3) == null ? "latest" : m.group(3);
        Path manifest = root.resolve("manifests").resolve(REGISTRY).resolve(namespace).resolve(m.group(2)).resolve(tag);
        if (!Files.isRegularFile(manifest)) {
            throw new HubException("ollama:" + name + " is not in the Ollama store (" + manifest + " is missing); "
                    + "pull it with: ollama pull " + name);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(manifest.toFile());
        } catch (IOException e) {
            throw new HubException(manifest + ": not a valid Ollama manifest (" + e.getMessage() + ")");
        }
        for (JsonNode layer : root.path("layers")) {
            if (MODEL_LAYER.equals(layer.path("mediaType").asText())) {
                var d = DIGEST.matcher(layer.path("digest").asText(""));
                if (!d.matches()) {
                    throw new HubException(manifest + ": the model layer's digest '" + layer.path("digest").asText()
                            + "' is not sha256:<64 hex digits>");
                }
                Path blob = this.root.resolve("blobs").resolve("sha256-" + d.group(1));
                if (!Files.isRegularFile(blob)) {
                    throw new HubException("ollama:" + name + ": its weights " + blob + " are missing; pull it again with: "
                            + "ollama pull " + name);
                }
                return blob;
            }
        }
        throw new HubException(manifest + ": no layer of media type " + MODEL_LAYER);
    }

    /**
     * The models pulled, as {@code NAME:TAG} ({@code NAMESPACE/NAME:TAG} outside the library).
     *
     * @throws IOException when the store cannot be read
     */
    public List<String> models() throws IOException {
        Path registry = root.resolve("manifests").resolve(REGISTRY);
        if (!Files.isDirectory(registry)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(registry, 3)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                Path rel = registry.relativize(p);
                if (rel.getNameCount() == 3) {
                    String ns = rel.getName(0).toString();
                    out.add((ns.equals("library") ? "" : ns + "/") + rel.getName(1) + ":" + rel.getName(2));
                }
            }
        }
        return out;
    }
}
