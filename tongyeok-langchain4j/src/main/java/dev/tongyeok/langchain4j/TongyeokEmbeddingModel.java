package dev.tongyeok.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * LangChain4j's {@link EmbeddingModel} on tongyeok: any model tongyeok loads (a built-in name such
 * as {@code all-minilm-l6-v2}, a model directory, an {@code .onnx} file, a Hub id in the local
 * cache), in process, in pure Java. {@code new TongyeokEmbeddingModel("all-minilm-l6-v2")} stands
 * in for LangChain4j's {@code AllMiniLmL6V2EmbeddingModel} with the same vectors (cosine ≥ 0.9999
 * for texts within its 128-token tokenizer limit; longer texts are truncated at the model's own
 * limit, 256 tokens for MiniLM, where LangChain4j's model would cut at 128 or average windows).
 *
 * <p>Also a {@link TokenCountEstimator} that counts the model's own tokens, markers not included.
 * Thread-safe; one instance shares the memory-mapped weights across threads.
 */
public final class TongyeokEmbeddingModel implements EmbeddingModel, TokenCountEstimator {
    private final Embedder embedder;
    private final EmbedOptions options;

    /**
     * Loads the model {@code spec} with its defaults (pooling and normalization as its
     * sentence-transformers configuration says).
     *
     * @throws UncheckedIOException when the model cannot be read
     */
    public TongyeokEmbeddingModel(String spec) {
        this(load(spec), EmbedOptions.DEFAULTS);
    }

    /** An already loaded model with these options (pooling, normalization, prompt, dimensions). */
    public TongyeokEmbeddingModel(Embedder embedder, EmbedOptions options) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.options = Objects.requireNonNull(options, "options");
    }

    private static Embedder load(String spec) {
        try {
            return Embedder.load(spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + spec + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<String> texts = new ArrayList<>(segments.size());
        for (TextSegment s : segments) {
            texts.add(s.text());
        }
        List<dev.tongyeok.embed.Embedding> out = embedder.embed(texts, options);
        List<Embedding> vectors = new ArrayList<>(out.size());
        int tokens = 0;
        for (dev.tongyeok.embed.Embedding e : out) {
            vectors.add(Embedding.from(e.vector()));
            tokens += e.encoding().length();
        }
        return Response.from(vectors, new TokenUsage(tokens));
    }

    @Override
    public int dimension() {
        return options.dimensions() > 0 ? options.dimensions() : embedder.dimensions();
    }

    @Override
    public String modelName() {
        return embedder.name();
    }

    /** The engine underneath, for tokens, attention and the rest of tongyeok's API. */
    public Embedder embedder() {
        return embedder;
    }

    @Override
    public int estimateTokenCountInText(String text) {
        return embedder.tokenizer().encode(text, false).length();
    }

    /**
     * The model's tokens in the message's text: a user message's text contents, a system message,
     * an AI message's text and tool call arguments, a tool result. Images and other media count 0.
     */
    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        int n = 0;
        switch (message) {
            case UserMessage u -> {
                for (Content c : u.contents()) {
                    if (c instanceof TextContent t) {
                        n += estimateTokenCountInText(t.text());
                    }
                }
            }
            case SystemMessage s -> n += estimateTokenCountInText(s.text());
            case AiMessage a -> {
                if (a.text() != null) {
                    n += estimateTokenCountInText(a.text());
                }
                if (a.hasToolExecutionRequests()) {
                    for (var r : a.toolExecutionRequests()) {
                        n += estimateTokenCountInText(Objects.toString(r.name(), "") + " "
                                + Objects.toString(r.arguments(), ""));
                    }
                }
            }
            case ToolExecutionResultMessage t -> n += estimateTokenCountInText(t.text());
            default -> {
            }
        }
        return n;
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        int n = 0;
        for (ChatMessage m : messages) {
            n += estimateTokenCountInMessage(m);
        }
        return n;
    }
}
