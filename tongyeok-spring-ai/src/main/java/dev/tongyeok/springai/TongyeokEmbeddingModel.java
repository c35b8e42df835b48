package dev.tongyeok.springai;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;

/**
 * Spring AI's {@link EmbeddingModel} on tongyeok: any model tongyeok loads (a built-in name such as
 * {@code all-minilm-l6-v2}, a model directory, an {@code .onnx} file, a Hub id in the local cache),
 * in process, in pure Java, with no native library. Request options may set {@code dimensions}
 * (the first N dimensions, renormalized: Matryoshka) and {@code model} (which must be this one).
 * Documents are embedded by their text ({@link MetadataMode#NONE}), or with their metadata under
 * another mode. Thread-safe.
 */
public final class TongyeokEmbeddingModel implements EmbeddingModel {
    private final Embedder embedder;
    private final EmbedOptions options;
    private final MetadataMode metadataMode;

    /**
     * Loads the model {@code spec} with its defaults.
     *
     * @throws UncheckedIOException when the model cannot be read
     */
    public TongyeokEmbeddingModel(String spec) {
        this(load(spec), EmbedOptions.DEFAULTS, MetadataMode.NONE);
    }

    /** An already loaded model, its options (pooling, normalization, prompt) and how documents are read. */
    public TongyeokEmbeddingModel(Embedder embedder, EmbedOptions options, MetadataMode metadataMode) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.options = Objects.requireNonNull(options, "options");
        this.metadataMode = Objects.requireNonNull(metadataMode, "metadataMode");
    }

    private static Embedder load(String spec) {
        try {
            return Embedder.load(spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + spec + ": " + e.getMessage(), e);
        }
    }

    /**
     * Embeds the request's texts, in order.
     *
     * @throws IllegalArgumentException when the options name another model or more dimensions than it has
     */
    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        EmbedOptions o = options;
        EmbeddingOptions ro = request.getOptions();
        if (ro != null) {
            if (ro.getModel() != null && !ro.getModel().equals(embedder.name())) {
                throw new IllegalArgumentException("this EmbeddingModel is " + embedder.name() + ", not " + ro.getModel());
            }
            if (ro.getDimensions() != null) {
                if (ro.getDimensions() < 1 || ro.getDimensions() > embedder.dimensions()) {
                    throw new IllegalArgumentException("dimensions must be between 1 and " + embedder.dimensions()
                            + ", found " + ro.getDimensions());
                }
                o = o.withDimensions(ro.getDimensions());
            }
        }
        List<dev.tongyeok.embed.Embedding> out = embedder.embed(request.getInstructions(), o);
        List<Embedding> results = new ArrayList<>(out.size());
        int tokens = 0;
        for (int i = 0; i < out.size(); i++) {
            results.add(new Embedding(out.get(i).vector(), i));
            tokens += out.get(i).encoding().length();
        }
        return new EmbeddingResponse(results, new EmbeddingResponseMetadata(embedder.name(), new DefaultUsage(tokens, 0)));
    }

    @Override
    public float[] embed(Document document) {
        return embed(document.getFormattedContent(metadataMode));
    }

    @Override
    public int dimensions() {
        return options.dimensions() > 0 ? options.dimensions() : embedder.dimensions();
    }

    /** The engine underneath, for tokens, attention and the rest of tongyeok's API. */
    public Embedder embedder() {
        return embedder;
    }
}
