package dev.tongyeok.cli;

import dev.tongyeok.embed.Embedder;
import dev.tongyeok.load.BuiltinModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/** Loads the model a command names, saying on standard error when a built-in model is unpacked for the first time. */
final class ModelLoader {
    private ModelLoader() {}

    static Embedder load(String spec, PrintWriter err) throws IOException {
        var builtin = BuiltinModel.find(spec);
        if (builtin.isPresent() && !builtin.get().unpacked()) {
            BuiltinModel m = builtin.get();
            err.println(String.format(Locale.ROOT, "tongyeok: unpacking %s (%.1f MB) into %s, once", m.name(),
                    m.weightBytes() / 1e6, BuiltinModel.cacheDirectory().resolve("builtin")));
            err.flush();
        }
        return Embedder.load(spec);
    }
}
