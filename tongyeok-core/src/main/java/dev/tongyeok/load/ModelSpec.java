package dev.tongyeok.load;

import dev.tongyeok.tokenize.Tokenizer;
import dev.tongyeok.tokenize.TokenizerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves what users write after {@code --model}: a built-in name, a model directory holding
 * {@code tokenizer.json}, or a {@code tokenizer.json} file.
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
        Path p = Path.of(spec);
        if (Files.isDirectory(p)) {
            Path t = p.resolve("tokenizer.json");
            if (!Files.isRegularFile(t)) {
                throw new TokenizerException(spec + ": model directory has no tokenizer.json");
            }
            return Tokenizer.fromFile(t);
        }
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json")) {
            return Tokenizer.fromFile(p);
        }
        StringBuilder names = new StringBuilder();
        for (BuiltinModel m : BuiltinModel.ALL) {
            names.append(names.isEmpty() ? "" : ", ").append(m.name());
        }
        throw new TokenizerException("model '" + spec + "' is neither a built-in model (" + names
                + ") nor a directory with tokenizer.json nor a tokenizer.json file");
    }
}
