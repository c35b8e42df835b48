package dev.tongyeok.hub;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model named on the Hub: {@code org/name}, {@code org/name@REVISION} (a branch, tag or commit),
 * {@code org/name:TAG} (the GGUF file whose name carries TAG, as llama.cpp's {@code -hf} and
 * Ollama choose), and {@code hf.co/…} or {@code huggingface.co/…} before any of them to say "the
 * Hub, even if a local path has that name".
 *
 * @param repo {@code org/name}
 * @param revision the branch, tag or commit; {@code main} when none is given
 * @param tag the GGUF quantization asked for ({@code Q8_0}), or null
 * @param forced whether the name said {@code hf.co/}
 */
public record HubId(String repo, String revision, String tag, boolean forced) {
    // Repository names as the Hub allows them: letters, digits, '-', '_', '.'; 96 characters at most.
    private static final Pattern ID = Pattern.compile(
            "((?:hf\\.co|huggingface\\.co)/)?([\\w][\\w.-]{0,95}/[\\w][\\w.-]{0,95})(?:@([\\w./-]{1,200}))?(?::([\\w.-]{1,40}))?");

    /** The name's parts, or empty when {@code spec} is not of that form. */
    public static Optional<HubId> parse(String spec) {
        Matcher m = ID.matcher(spec);
        if (!m.matches() || m.group(2).contains("..")) {
            return Optional.empty();
        }
        String revision = m.group(3) == null ? "main" : m.group(3);
        return Optional.of(new HubId(m.group(2), revision, m.group(4), m.group(1) != null));
    }

    /** The cache folder's name, as huggingface_hub names it: {@code models--org--name}. */
    public String folder() {
        return "models--" + repo.replace("/", "--");
    }

    /** Whether {@code name}, a file of the repository, is the GGUF file {@link #tag} asks for. */
    boolean tagMatches(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        String t = tag.toLowerCase(Locale.ROOT);
        // The tag stands as a word of the file name: "-Q8_0.gguf", ".q8_0.gguf", "-Q8_0-00001-of-00002.gguf".
        return Pattern.compile("(^|[-._/])" + Pattern.quote(t) + "([-._]|$)").matcher(n).find();
    }

    @Override
    public String toString() {
        return repo + (revision.equals("main") ? "" : "@" + revision) + (tag == null ? "" : ":" + tag);
    }
}
