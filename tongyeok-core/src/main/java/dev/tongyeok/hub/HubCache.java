package dev.tongyeok.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * huggingface_hub's cache, read and written the same way so that Python tools and tongyeok share
 * their downloads: {@code models--org--name/blobs/<etag>} holds each file once,
 * {@code snapshots/<commit>/<path>} links to the blobs, {@code refs/<revision>} names the commit
 * a branch or tag pointed at when it was last fetched.
 */
public final class HubCache {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    /** What a ref may name: a snapshot folder (a commit id, as the Hub's are), never a path. */
    private static final Pattern SNAPSHOT = Pattern.compile("[\\w.-]{1,100}");

    private final Path root;

    /** The cache at {@code root}. */
    public HubCache(Path root) {
        this.root = root;
    }

    /**
     * The cache huggingface_hub uses: the system property {@code tongyeok.hub.cache}, else
     * {@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}.
     */
    public static HubCache standard() {
        String prop = System.getProperty("tongyeok.hub.cache");
        if (prop != null && !prop.isBlank()) {
            return new HubCache(Path.of(prop));
        }
        String env = System.getenv("HF_HUB_CACHE");
        if (env != null && !env.isBlank()) {
            return new HubCache(Path.of(env));
        }
        return new HubCache(HubClient.hfHome().resolve("hub"));
    }

    /** The cache's folder. */
    public Path root() {
        return root;
    }

    /** The folder of {@code id}'s repository. */
    public Path repo(HubId id) {
        return root.resolve(id.folder());
    }

    /** Where the blob of ETag {@code etag} lives. */
    Path blob(HubId id, String etag) {
        return repo(id).resolve("blobs").resolve(etag);
    }

    /** The snapshot folder of commit {@code commit}. */
    Path snapshot(HubId id, String commit) {
        return repo(id).resolve("snapshots").resolve(commit);
    }

    /** The lock file of one blob's download, where huggingface_hub keeps its locks. */
    Path lock(HubId id, String etag) {
        return root.resolve(".locks").resolve(id.folder()).resolve(etag + ".lock");
    }

    /**
     * The commit {@code id}'s revision names in the cache: the revision itself when it is a commit
     * with a snapshot, else what {@code refs/<revision>} says; for {@code main} without a ref, the
     * only snapshot there is.
     *
     * @throws IOException when the cache cannot be read
     */
    public Optional<String> commit(HubId id) throws IOException {
        Path snapshots = repo(id).resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return Optional.empty();
        }
        if (COMMIT.matcher(id.revision()).matches() && Files.isDirectory(snapshots.resolve(id.revision()))) {
            return Optional.of(id.revision());
        }
        Path ref = repo(id).resolve("refs").resolve(id.revision());
        if (Files.isRegularFile(ref)) {
            String commit = Files.readString(ref).strip();
            boolean usable = SNAPSHOT.matcher(commit).matches() && !commit.contains("..")
                    && Files.isDirectory(snapshots.resolve(commit));
            return usable ? Optional.of(commit) : Optional.empty();
        }
        if (id.revision().equals("main")) {
            try (Stream<Path> list = Files.list(snapshots)) {
                List<Path> all = list.filter(Files::isDirectory).toList();
                return all.size() == 1 ? Optional.of(all.get(0).getFileName().toString()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The snapshot folder {@code id} names in the cache, if it is there.
     *
     * @throws IOException when the cache cannot be read
     */
    public Optional<Path> snapshot(HubId id) throws IOException {
        return commit(id).map(c -> snapshot(id, c));
    }

    /**
     * The models in the cache, as {@code org/name}.
     *
     * @throws IOException when the cache cannot be read
     */
    public List<String> models() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(root)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("models--"))
                    .map(n -> n.substring("models--".length()).replaceFirst("--", "/")).sorted().toList();
        }
    }
}
