package dev.tongyeok.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.EncodedInput;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.model.Pooling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A cross-encoder: it reads a query and a document together, as one pair of the model's tokenizer
 * ({@code [CLS] query [SEP] document [SEP]}, {@code <s> query </s></s> document </s>}), and scores how
 * well the document answers the query, as sentence-transformers' {@code CrossEncoder} scores it: the
 * classification head's one logit through a sigmoid (or the logit itself, {@code raw}; also when the
 * model's {@code config.json} names the identity as its {@code sentence_transformers.activation_fn}).
 * Pairs longer than the model's limit lose tokens from the longer text first (the document, in
 * practice). Pairs are packed into the same batches as embeddings, every core busy; a score does not
 * depend on which pairs are scored together.
 *
 * <pre>
 * Reranker r = Reranker.load("cross-encoder/ms-marco-MiniLM-L-6-v2");
 * List&lt;Reranker.Ranked&gt; top = r.rank("what is a panda?", documents, 3, false);
 * </pre>
 */
public final class Reranker {
    private final Embedder encoder;
    private final ClassifierHead head;
    private final boolean sigmoid;

    private Reranker(Embedder encoder, ClassifierHead head, boolean sigmoid) {
        this.encoder = encoder;
        this.head = head;
        this.sigmoid = sigmoid;
    }

    /**
     * Loads the cross-encoder {@code spec} names (a model directory, a GGUF file, a Hub id), as
     * {@link Embedder#load} resolves names.
     *
     * @throws ModelException when the model has no classification head, or one with other than one label
     * @throws IOException when a file cannot be read
     */
    public static Reranker load(String spec) throws IOException {
        return of(Embedder.load(spec));
    }

    /**
     * The cross-encoder over an already loaded encoder.
     *
     * @throws ModelException when the model has no classification head, or one with other than one label
     */
    public static Reranker of(Embedder encoder) {
        ClassifierHead head = ClassifierHead.load(encoder.files().weights(), encoder.files().config().hidden_size());
        if (head.labels() != 1) {
            throw new ModelException(encoder.name() + ": its classification head has " + head.labels()
                    + " labels; a reranker has one (a relevance score)");
        }
        return new Reranker(encoder, head, sigmoidFor(encoder));
    }

    // sentence-transformers' CrossEncoder: Sigmoid for one label unless config.json says otherwise.
    private static boolean sigmoidFor(Embedder encoder) {
        try {
            Path weights = Path.of(encoder.files().weights().source());
            Path config = (Files.isDirectory(weights) ? weights : weights.toAbsolutePath().getParent())
                    .resolve("config.json");
            if (Files.isRegularFile(config)) {
                JsonNode fn = new ObjectMapper().readTree(config.toFile()).path("sentence_transformers")
                        .path("activation_fn");
                return !fn.isTextual() || !fn.asText().endsWith("Identity");
            }
        } catch (IOException | RuntimeException e) {
            // No readable config.json beside the weights: the default.
        }
        return true;
    }

    /** The model's name, as it was loaded. */
    public String name() {
        return encoder.name();
    }

    /** The encoder underneath (its tokenizer lays the pairs out). */
    public Embedder encoder() {
        return encoder;
    }

    /** The longest pair in tokens, markers included. */
    public int maxLength() {
        return encoder.maxLength(EmbedOptions.DEFAULTS);
    }

    /** Whether scores go through a sigmoid unless raw ones are asked for. */
    public boolean sigmoid() {
        return sigmoid;
    }

    /**
     * Each document's score for {@code query}, in document order: the sigmoid of the logit (0 to 1),
     * or with {@code raw} the logit.
     */
    public float[] scores(String query, List<String> documents, boolean raw) {
        List<EncodedInput> pairs = pairs(query, documents);
        return scoresOf(pairs, raw);
    }

    /** The pairs as the encoder reads them, each cut to {@link #maxLength()}. */
    public List<EncodedInput> pairs(String query, List<String> documents) {
        return pairs(query, documents, 0);
    }

    /** The pairs as the encoder reads them, each cut to {@code maxLength} tokens (0: {@link #maxLength()}). */
    public List<EncodedInput> pairs(String query, List<String> documents, int maxLength) {
        EmbedOptions options = rowOptions().withMaxLength(maxLength);
        List<EncodedInput> pairs = new ArrayList<>(documents.size());
        for (String d : documents) {
            pairs.add(encoder.encodePair(query, d, options));
        }
        return pairs;
    }

    /** The scores of pairs from {@link #pairs}, in their order. */
    public float[] scoresOf(List<EncodedInput> pairs, boolean raw) {
        if (pairs.isEmpty()) {
            return new float[0];
        }
        return scoresOfRows(encoder.embedEncoded(pairs), raw);
    }

    /**
     * The scores of pairs whose first-token rows the encoder has computed ({@link Embedder#embedEncoded}
     * of {@link #pairs}, through any batcher), in their order.
     */
    public float[] scoresOfRows(List<Embedding> cls, boolean raw) {
        if (cls.isEmpty()) {
            return new float[0];
        }
        int C = encoder.files().config().hidden_size();
        float[] rows = new float[cls.size() * C];
        for (int i = 0; i < cls.size(); i++) {
            System.arraycopy(cls.get(i).vector(), 0, rows, i * C, C);
        }
        return finish(head.logits(rows, cls.size()), raw);
    }

    /** The score of one pair from its first token's final hidden state (an {@link dev.tongyeok.embed.Inspection}'s CLS vector). */
    public float score(float[] firstTokenRow, boolean raw) {
        return finish(head.logits(firstTokenRow, 1), raw)[0];
    }

    /** The options under which {@link Embedder#inspect(EncodedInput)} of a pair gives the row {@link #score(float[], boolean)} reads. */
    public static EmbedOptions rowOptions() {
        return EmbedOptions.DEFAULTS.withPooling(Pooling.CLS).withNormalize(false);
    }

    private float[] finish(float[] logits, boolean raw) {
        if (!raw && sigmoid) {
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) (1 / (1 + Math.exp(-logits[i])));
            }
        }
        return logits;
    }

    /**
     * One scored document.
     *
     * @param index its position in the documents given
     * @param score its score
     * @param document the document
     */
    public record Ranked(int index, float score, String document) {}

    /**
     * The documents, best first (equal scores in document order), at most {@code top} of them
     * ({@code top} ≤ 0: all).
     */
    public List<Ranked> rank(String query, List<String> documents, int top, boolean raw) {
        return ranked(documents, scores(query, documents, raw), top);
    }

    /** {@code documents} with their {@code scores}, best first, at most {@code top} ({@code top} ≤ 0: all). */
    public static List<Ranked> ranked(List<String> documents, float[] scores, int top) {
        List<Ranked> all = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            all.add(new Ranked(i, scores[i], documents.get(i)));
        }
        all.sort(Comparator.comparingDouble((Ranked r) -> -r.score()).thenComparingInt(Ranked::index));
        return top > 0 && top < all.size() ? List.copyOf(all.subList(0, top)) : all;
    }
}
