package dev.tongyeok.cli;

import dev.tongyeok.embed.Embedder;
import java.io.IOException;

/** Loads the model a command names, saying on standard error when a built-in model is unpacked for the first time. */
final class ModelLoader {
    private ModelLoader() {}

    static Embedder load(String spec) throws IOException {
        return Embedder.load(spec);
    }
}
