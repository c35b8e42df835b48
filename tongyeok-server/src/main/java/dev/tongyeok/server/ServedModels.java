package dev.tongyeok.server;

import dev.tongyeok.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the server serves, by the names requests use: the models that embed (in {@code --model}
 * order, the first the default), the tokenizers served for tokenizing only, and while they load,
 * what the server is waiting for (every route but {@code /health} then answers 503).
 */
final class ServedModels {
    private volatile Map<String, ServedModel> models = Map.of();
    private volatile Map<String, Tokenizer> tokenizers = Map.of();
    private volatile ServedModel defaultModel;
    private volatile String loading = "starting";

    /** Makes the server ready with these models (the first is the default) and tokenizers. */
    void ready(Map<String, ServedModel> loaded, Map<String, Tokenizer> tokenizersOnly) {
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(loaded));
        this.tokenizers = Collections.unmodifiableMap(new LinkedHashMap<>(tokenizersOnly));
        this.defaultModel = loaded.values().iterator().next();
        this.loading = null;
    }

    /** What the server is waiting for, or null once ready. */
    String loading() {
        return loading;
    }

    /** Says what the server is waiting for now. */
    void loading(String what) {
        this.loading = what;
    }

    /** The models that embed, by name, the default first. */
    Map<String, ServedModel> models() {
        return models;
    }

    /** The tokenizers served for tokenizing only, by name. */
    Map<String, Tokenizer> tokenizers() {
        return tokenizers;
    }

    /**
     * Fails with 503 while loading.
     *
     * @throws ApiException NOT_READY, saying what the server waits for
     */
    void checkReady() {
        String l = loading;
        if (l != null) {
            throw new ApiException(ApiException.Kind.NOT_READY, "not ready: " + l);
        }
    }

    /**
     * The model named {@code name}, the default one when null or empty; Ollama clients' {@code :latest} tag is
     * ignored.
     *
     * @throws ApiException when it is not served, or served for tokenizing only, naming the field {@code model}
     */
    ServedModel model(String name) {
        checkReady();
        if (name == null || name.isEmpty()) {
            return defaultModel;
        }
        ServedModel m = models.get(name);
        if (m == null && name.endsWith(":latest")) {
            m = models.get(name.substring(0, name.length() - ":latest".length()));
        }
        if (m == null && tokenizers.containsKey(name)) {
            throw ApiException.invalid("model", "'" + name + "' is served for tokenizing only (--tokenizer); "
                    + "models that embed: " + String.join(", ", models.keySet()));
        }
        if (m == null) {
            throw new ApiException(ApiException.Kind.MODEL_NOT_FOUND, "model '" + name + "' is not served here (serving: "
                    + String.join(", ", models.keySet()) + ")", "model");
        }
        return m;
    }

    /** A tokenizer by name: a served model's own, or one served for tokenizing only (model null). */
    record NamedTokenizer(String name, Tokenizer tokenizer, ServedModel model) {
        /** The ids it knows: the model's embedding table, or the tokenizer's vocabulary. */
        int vocabSize() {
            return model != null ? model.embedder().files().config().vocab_size() : tokenizer.vocabSize();
        }
    }

    /**
     * The tokenizer named {@code name}: one served for tokenizing only, else the model's.
     *
     * @throws ApiException when neither is served, naming the field {@code model}
     */
    NamedTokenizer tokenizer(String name) {
        checkReady();
        Tokenizer t = name == null ? null : tokenizers.get(name);
        if (t != null) {
            return new NamedTokenizer(name, t, null);
        }
        if (name != null && !name.isEmpty() && !models.containsKey(name) && !name.endsWith(":latest")) {
            List<String> all = new ArrayList<>(models.keySet());
            all.addAll(tokenizers.keySet());
            throw new ApiException(ApiException.Kind.MODEL_NOT_FOUND, "model '" + name + "' is not served here (serving: "
                    + String.join(", ", all) + ")", "model");
        }
        ServedModel m = model(name);
        return new NamedTokenizer(m.name(), m.embedder().tokenizer(), m);
    }
}
