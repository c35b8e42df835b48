package dev.tongyeok.embed;

import dev.tongyeok.model.Observer;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.Workspace;
import dev.tongyeok.model.registry.ModelFamilies;
import dev.tongyeok.resolve.ModelFiles;
import dev.tongyeok.resolve.ModelSpec;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.Tokenizer;
import dev.tongyeok.tokenize.Truncation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Text in, vectors out: the public facade over a model's tokenizer and encoder.
 *
 * <pre>{@code
 * Embedder e = Embedder.load("all-minilm-l6-v2");
 * float[] v = e.embed("I love you so much.");          // 384 numbers, L2-normalized
 * List<Embedding> many = e.embed(texts, EmbedOptions.DEFAULTS);
 * }</pre>
 *
 * <p>Texts are tokenized with the model's own tokenizer (special tokens added, truncated to the
 * model's limit as HuggingFace truncates, never padded), packed end to end into batches of at
 * most {@link #TOKEN_BUDGET} tokens, and run through the encoder, one batch per core at a time;
 * a text gets the same vector alone and inside any batch. An Embedder is immutable and safe to
 * share between threads.
 */
public final class Embedder {
    /**
     * The most tokens one forward pass carries (a longer single text still forms one pass). Small
     * batches keep each pass's activations in the core's own caches, and several batches keep every
     * core busy with whole batches: on the 2-core benchmark machine 512 gave 450 texts/s against 307
     * at 8192 (docs/PERFORMANCE.md).
     */
    public static final int TOKEN_BUDGET = 512;

    private final ModelFiles files;
    private volatile Transformer model; // built on first use when opened with open()
    private final Tokenizer tokenizer; // no truncation, no padding
    private final dev.tongyeok.model.TokenTable tokenTable; // a view into the weight file
    private final Workspaces workspaces = new Workspaces(4 * Ops.POOL.getParallelism());

    private Embedder(ModelFiles files, Transformer model) {
        this.files = files;
        this.model = model;
        this.tokenizer = files.tokenizer().withTruncation(null).withPadding(null);
        this.tokenTable = ModelFamilies.tokenEmbeddings(files.weights(), files.config());
    }

    /**
     * Loads {@code spec}: a built-in name ({@code all-minilm-l6-v2}, …), a model directory, an {@code .onnx} or a
     * {@code .gguf} file.
     *
     * @throws dev.tongyeok.load.ModelException when the model cannot be found or its files are not valid
     * @throws IOException when a file cannot be read
     */
    public static Embedder load(String spec) throws IOException {
        // The tokenizer is parsed on another thread while the weights are packed here.
        ModelFiles files = ModelSpec.resolveConcurrently(spec);
        Transformer model = ModelFamilies.load(files.weights(), files.config());
        try {
            files.tokenizer();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return new Embedder(files, model);
    }

    /**
     * Opens {@code spec} without building the model: the weight files are mapped and the tokenizer
     * read, nothing else. {@link #inspectStatic} then reads only the rows of the token embedding
     * table it looks up (a multi-gigabyte file costs a few pages); anything that runs the model
     * builds it on first use.
     *
     * @throws dev.tongyeok.load.ModelException when the model cannot be found or its files are not valid
     * @throws IOException when a file cannot be read
     */
    public static Embedder open(String spec) throws IOException {
        return new Embedder(ModelSpec.resolve(spec), null);
    }

    /**
     * Builds the model from already resolved files.
     *
     * @throws dev.tongyeok.load.ModelException when a tensor is missing or disagrees with the configuration
     */
    public static Embedder of(ModelFiles files) {
        return new Embedder(files, ModelFamilies.load(files.weights(), files.config()));
    }

    /** The model's name as given. */
    public String name() {
        return files.name();
    }

    /** The width of the vectors, C. */
    public int dimensions() {
        return files.config().hidden_size();
    }

    /** The stored type of most of the weights ({@link dev.tongyeok.load.WeightSource#weightType()}). */
    public String weightType() {
        return files.weights().weightType();
    }

    /** The files and defaults. */
    public ModelFiles files() {
        return files;
    }

    /** The model, built now if this Embedder was {@link #open opened} and has not run it yet. */
    public Transformer model() {
        Transformer m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = ModelFamilies.load(files.weights(), files.config());
                    model = m;
                }
            }
        }
        return m;
    }

    /** The model's tokenizer, without truncation or padding. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The default pooling. */
    public Pooling defaultPooling() {
        return files.pooling();
    }

    /** The pooling that applies under {@code options}: theirs, else the model's. */
    public Pooling pooling(EmbedOptions options) {
        return options.pooling() != null ? options.pooling() : defaultPooling();
    }

    /**
     * Whether vectors are L2-normalized under {@code options}: their choice, else the model's for
     * sentence vectors, and never for {@link Pooling#NONE}'s token vectors, which are the raw hidden
     * states (as TEI's {@code /embed_all} and sentence-transformers' {@code token_embeddings} give
     * them) unless normalization is asked for.
     */
    public boolean normalizes(EmbedOptions options) {
        if (options.normalize() != null) {
            return options.normalize();
        }
        return pooling(options) != Pooling.NONE && files.normalize();
    }

    /** The prompt put before inputs under {@code options}: theirs, else the model's default ("" for most models). */
    public String prompt(EmbedOptions options) {
        return options.prompt() != null ? options.prompt() : files.defaultPrompt();
    }

    /** The token limit that applies under {@code options}, special tokens included. */
    public int maxLength(EmbedOptions options) {
        int max = Math.min(files.maxSeqLength(), files.config().max_position_embeddings());
        return options.maxLength() > 0 ? Math.min(options.maxLength(), files.config().max_position_embeddings()) : max;
    }

    /** The sentence vector of one text with the model's defaults. */
    public float[] embed(String text) {
        return embed(List.of(text), EmbedOptions.DEFAULTS).get(0).vector();
    }

    /**
     * Embeds many texts, in order.
     *
     * @throws IllegalArgumentException when {@code options.dimensions()} exceeds the model's width
     */
    public List<Embedding> embed(List<String> texts, EmbedOptions options) {
        checkDimensions(options);
        List<EncodedInput> inputs = new ArrayList<>(texts.size());
        for (String text : texts) {
            inputs.add(encode(text, options));
        }
        return embedEncoded(inputs);
    }

    /**
     * Tokenizes {@link #prompt}{@code (options) + text} for {@link #embedEncoded}: special tokens added,
     * truncated to {@link #maxLength(EmbedOptions)} as HuggingFace truncates, with the report of what
     * was cut.
     *
     * @throws IllegalArgumentException when {@code options.dimensions()} exceeds the model's width
     */
    public EncodedInput encode(String text, EmbedOptions options) {
        return encode(text, options, false);
    }

    /**
     * As {@link #encode(String, EmbedOptions)}, cutting tokens at the start instead of the end when
     * {@code fromLeft} (HF's {@code truncation_side="left"}; the markers stay).
     *
     * @throws IllegalArgumentException when {@code options.dimensions()} exceeds the model's width
     */
    public EncodedInput encode(String text, EmbedOptions options, boolean fromLeft) {
        checkDimensions(options);
        String input = prompt(options) + text;
        Truncation t = new Truncation(maxLength(options), 0, Truncation.Strategy.LONGEST_FIRST, fromLeft);
        Encoding e = tokenizer.withTruncation(t).encode(input);
        TruncationReport cut = TruncationReport.of(e, input, fromLeft, tokenizer);
        return new EncodedInput(e, options, cut.originalTokens(), cut.keptChars());
    }

    /**
     * Encodes a pair of texts as one input, laid out as the tokenizer's post-processor lays pairs out
     * ({@code [CLS] a [SEP] b [SEP]}, {@code <s> a </s></s> b </s>}), for cross-encoders. Beyond
     * {@link #maxLength(EmbedOptions)} tokens the longer text loses tokens first, one at a time (HF's
     * {@code longest_first}, as sentence-transformers' {@code CrossEncoder} truncates): in practice the
     * document. The prompt does not apply.
     *
     * @throws IllegalArgumentException when {@code options.dimensions()} exceeds the model's width
     */
    public EncodedInput encodePair(String first, String second, EmbedOptions options) {
        checkDimensions(options);
        Truncation t = Truncation.of(maxLength(options));
        Encoding e = tokenizer.withTruncation(t).encodePair(first, second, true);
        int original = e.overflowing().isEmpty() ? e.length() : tokenizer.withTruncation(null).encodePair(first, second,
                true).length();
        return new EncodedInput(e, options, original, first.length() + second.length());
    }

    /**
     * Takes token ids as the complete input sequence: nothing is added (ids from
     * {@code tokenizer().encode(text)} already carry the model's start and end markers) and, beyond
     * {@link #maxLength(EmbedOptions)}, only the first ids are kept. The prompt does not apply.
     *
     * @throws IllegalArgumentException when the sequence is empty, an id is outside the vocabulary, or
     *     {@code options.dimensions()} exceeds the model's width
     */
    public EncodedInput encodeIds(int[] ids, EmbedOptions options) {
        checkDimensions(options);
        if (ids.length == 0) {
            throw new IllegalArgumentException("the token id sequence is empty");
        }
        int vocab = files.config().vocab_size();
        int kept = Math.min(ids.length, maxLength(options));
        String[] tokens = new String[kept];
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= vocab) {
                throw new IllegalArgumentException("token id " + ids[t] + " at position " + t
                        + " is outside the vocabulary [0, " + vocab + ")");
            }
            if (t < kept) {
                String token = tokenizer.idToToken(ids[t]);
                tokens[t] = token != null ? token : "";
            }
        }
        return new EncodedInput(Encoding.ofIds(java.util.Arrays.copyOf(ids, kept), tokens), options, ids.length, 0);
    }

    /**
     * Runs the encoder over already tokenized inputs and finishes each vector under its own options;
     * the results are in input order and do not depend on which inputs are embedded together.
     * Inputs are packed end to end into batches of at most {@link #TOKEN_BUDGET} tokens (smaller
     * when that leaves a core idle), one batch per core at a time.
     */
    public List<Embedding> embedEncoded(List<EncodedInput> inputs) {
        int cores = Ops.maySplit() ? Ops.POOL.getParallelism() : 1;
        BatchPlan plan = BatchPlan.of(inputs, TOKEN_BUDGET, cores);
        // One batch: its matrix products use every core. Several: each core takes whole batches. Each
        // batch is pooled as soon as it is computed, so only the results outlive its forward pass.
        Embedding[] out = new Embedding[inputs.size()];
        if (plan.size() == 1 || !Ops.maySplit()) {
            Workspace ws = workspaces.take();
            try {
                for (int b = 0; b < plan.size(); b++) {
                    run(plan.batches().get(b), plan.first()[b], ws, out);
                }
            } finally {
                workspaces.giveBack(ws);
            }
        } else {
            int workers = Math.min(Ops.POOL.getParallelism(), plan.size());
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<java.util.concurrent.ForkJoinTask<?>> tasks = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                tasks.add(Ops.POOL.submit(() -> {
                    Workspace ws = workspaces.take();
                    try {
                        for (int b; (b = next.getAndIncrement()) < plan.size(); ) {
                            run(plan.batches().get(b), plan.first()[b], ws, out);
                        }
                    } finally {
                        workspaces.giveBack(ws);
                    }
                }));
            }
            for (java.util.concurrent.ForkJoinTask<?> t : tasks) {
                t.join();
            }
        }
        return java.util.Arrays.asList(out);
    }

    private void checkDimensions(EmbedOptions options) {
        if (options.dimensions() > dimensions()) {
            throw new IllegalArgumentException("dimensions " + options.dimensions() + " exceeds the model's "
                    + dimensions());
        }
    }

    // One forward pass over a batch; writes the batch's results into out from index first.
    private void run(List<EncodedInput> batch, int first, Workspace ws, Embedding[] out) {
        List<Encoding> encodings = new ArrayList<>(batch.size());
        for (EncodedInput in : batch) {
            encodings.add(in.encoding());
        }
        float[] hidden = model().forward(pack(encodings), Observer.NONE, ws);
        int row = 0;
        for (int i = 0; i < batch.size(); i++) {
            EncodedInput in = batch.get(i);
            out[first + i] = result(in, hidden, row);
            row += in.encoding().length();
        }
    }

    private Embedding result(EncodedInput in, float[] hidden, int row) {
        int C = dimensions();
        Encoding e = in.encoding();
        int T = e.length();
        EmbedOptions options = in.options();
        if (pooling(options) == Pooling.NONE) {
            float[][] rows = new float[T][];
            for (int t = 0; t < T; t++) {
                rows[t] = finish(java.util.Arrays.copyOfRange(hidden, (row + t) * C, (row + t) * C + C), options);
            }
            return new Embedding(e, null, rows, in.originalTokens(), in.keptChars());
        }
        return new Embedding(e, sentenceVector(hidden, row, T, options), null, in.originalTokens(), in.keptChars());
    }

    /** The sentence vector of rows [row, row + T) under {@code options}, or null with {@link Pooling#NONE}. */
    private float[] sentenceVector(float[] hidden, int row, int T, EmbedOptions options) {
        Pooling pooling = pooling(options);
        return pooling == Pooling.NONE ? null
                : finish(files.projection().apply(pooling.pool(hidden, row, T, dimensions())), options);
    }

    // Matryoshka: keep the first dims, then L2-normalize (as sentence-transformers' truncate_dim + Normalize).
    private float[] finish(float[] v, EmbedOptions options) {
        int dims = options.dimensions() > 0 ? options.dimensions() : v.length;
        float[] out = dims == v.length ? v : java.util.Arrays.copyOf(v, dims);
        if (normalizes(options)) {
            double sq = 0;
            for (float x : out) {
                sq += (double) x * x;
            }
            double norm = Math.max(Math.sqrt(sq), 1e-12);
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (out[i] / norm);
            }
        }
        return out;
    }

    private static PackedBatch pack(List<Encoding> encs) {
        int[][] ids = new int[encs.size()][];
        int[][] types = new int[encs.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = encs.get(i).ids();
            types[i] = encs.get(i).typeIds();
        }
        return PackedBatch.of(ids, types);
    }

    /**
     * One text's rows of the token embedding table, the lookup before anything else runs, read from
     * the weight file without building the model: an {@link Inspection} with no layers and no
     * sentence vector.
     */
    public Inspection inspectStatic(String text, EmbedOptions options) {
        String input = prompt(options) + text;
        Encoding e = tokenizer.withTruncation(Truncation.of(maxLength(options))).encode(input);
        TruncationReport cut = TruncationReport.of(e, input, false, tokenizer);
        return new Inspection(e, staticRows(e), List.of(), new float[0][][][], null, cut.originalTokens(),
                cut.keptChars());
    }

    private float[][] staticRows(Encoding e) {
        float[][] rows = new float[e.length()][];
        for (int t = 0; t < rows.length; t++) {
            rows[t] = new float[tokenTable.width()];
            tokenTable.lookup(e.id(t), rows[t], 0);
        }
        return rows;
    }

    /**
     * Runs one text and keeps every intermediate matrix: the static embedding rows, each layer's
     * hidden state, each layer's and head's attention.
     */
    public Inspection inspect(String text, EmbedOptions options) {
        String input = prompt(options) + text;
        Encoding e = tokenizer.withTruncation(Truncation.of(maxLength(options))).encode(input);
        TruncationReport cut = TruncationReport.of(e, input, false, tokenizer);
        return inspect(new EncodedInput(e, options, cut.originalTokens(), cut.keptChars()));
    }

    /**
     * As {@link #inspect(String, EmbedOptions)}, for an input already encoded (a pair from
     * {@link #encodePair}, ids from {@link #encodeIds}); the vector is finished under its options.
     */
    public Inspection inspect(EncodedInput in) {
        Encoding e = in.encoding();
        int T = e.length();
        int L = files.config().num_hidden_layers();
        int H = files.config().num_attention_heads();
        float[][] statics = staticRows(e);
        InspectionRecorder obs = new InspectionRecorder(L, H);
        float[] last = model().forward(pack(List.of(e)), obs);
        return new Inspection(e, statics, obs.hiddenStates(), obs.attention(), sentenceVector(last, 0, T, in.options()),
                in.originalTokens(), in.keptChars());
    }
}
