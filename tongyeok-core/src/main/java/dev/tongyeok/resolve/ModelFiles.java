package dev.tongyeok.resolve;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.tokenize.Tokenizer;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Everything needed to run a model: its tokenizer, weights, configuration and the
 * sentence-transformers defaults for turning token vectors into one sentence vector.
 *
 * <p>The tokenizer may still be in the making on another thread (see
 * {@link ModelSpec#resolveConcurrently}): {@link #tokenizer()} waits for it and throws what
 * building it threw.
 */
public final class ModelFiles {
    private final String name;
    private final CompletableFuture<Tokenizer> tokenizer;
    private final WeightSource weights;
    private final ModelConfig config;
    private final Pooling pooling;
    private final boolean normalize;
    private final int maxSeqLength;
    private final Map<String, String> prompts;
    private final String defaultPrompt;
    private final java.util.function.UnaryOperator<float[]> projection;

    /**
     * @param name what the user called it (a built-in name or a path)
     * @param tokenizer the tokenizer as its tokenizer.json describes it
     * @param weights the tensors
     * @param config the architecture's sizes
     * @param pooling the default pooling
     * @param normalize whether sentence vectors are L2-normalized by default
     * @param maxSeqLength the longest input in tokens, special tokens included
     * @param prompts named prompts put before inputs (sentence-transformers' {@code prompts}:
     *     {@code "query" -> "query: "}), possibly empty
     */
    public ModelFiles(String name, Tokenizer tokenizer, WeightSource weights, ModelConfig config, Pooling pooling,
            boolean normalize, int maxSeqLength, Map<String, String> prompts) {
        this(name, CompletableFuture.completedFuture(Objects.requireNonNull(tokenizer, "tokenizer")), weights, config,
                pooling, normalize, maxSeqLength, prompts, "");
    }

    /** Files without named prompts. */
    public ModelFiles(String name, Tokenizer tokenizer, WeightSource weights, ModelConfig config, Pooling pooling,
            boolean normalize, int maxSeqLength) {
        this(name, tokenizer, weights, config, pooling, normalize, maxSeqLength, Map.of());
    }

    ModelFiles(String name, CompletableFuture<Tokenizer> tokenizer, WeightSource weights, ModelConfig config,
            Pooling pooling, boolean normalize, int maxSeqLength, Map<String, String> prompts, String defaultPrompt) {
        this(name, tokenizer, weights, config, pooling, normalize, maxSeqLength, prompts, defaultPrompt, DenseModules.NONE);
    }

    ModelFiles(String name, CompletableFuture<Tokenizer> tokenizer, WeightSource weights, ModelConfig config,
            Pooling pooling, boolean normalize, int maxSeqLength, Map<String, String> prompts, String defaultPrompt,
            java.util.function.UnaryOperator<float[]> projection) {
        this.name = name;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.config = config;
        this.pooling = pooling;
        this.normalize = normalize;
        this.maxSeqLength = maxSeqLength;
        this.prompts = Map.copyOf(prompts);
        this.defaultPrompt = defaultPrompt;
        this.projection = projection;
    }

    /** These files under another name. */
    public ModelFiles withName(String newName) {
        return new ModelFiles(newName, tokenizer, weights, config, pooling, normalize, maxSeqLength, prompts, defaultPrompt,
                projection);
    }

    /** What the user called it (a built-in name or a path). */
    public String name() {
        return name;
    }

    /**
     * The tokenizer as its tokenizer.json describes it, waiting for it if it is still being built.
     *
     * @throws dev.tongyeok.tokenize.TokenizerException when the tokenizer.json is not valid
     * @throws UncheckedIOException when it could not be read
     */
    public Tokenizer tokenizer() {
        try {
            return tokenizer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof java.io.IOException io) {
                throw new UncheckedIOException(io);
            }
            throw e;
        }
    }

    /** The tensors. */
    public WeightSource weights() {
        return weights;
    }

    /** The architecture's sizes. */
    public ModelConfig config() {
        return config;
    }

    /** The default pooling. */
    public Pooling pooling() {
        return pooling;
    }

    /** Whether sentence vectors are L2-normalized by default. */
    public boolean normalize() {
        return normalize;
    }

    /** The longest input in tokens, special tokens included. */
    public int maxSeqLength() {
        return maxSeqLength;
    }

    /**
     * The prompt put before inputs when the caller names none: the one
     * {@code config_sentence_transformers.json}'s {@code default_prompt_name} names, else "".
     */
    public String defaultPrompt() {
        return defaultPrompt;
    }

    /**
     * What the model's files do to a pooled vector before it is normalized: sentence-transformers'
     * {@code Dense} modules (EmbeddingGemma's two projections), or nothing.
     */
    public java.util.function.UnaryOperator<float[]> projection() {
        return projection;
    }

    /** Named prompts put before inputs, possibly empty. */
    public Map<String, String> prompts() {
        return prompts;
    }

    @Override
    public String toString() {
        return "ModelFiles[" + name + ", " + weights.source() + "]";
    }
}
