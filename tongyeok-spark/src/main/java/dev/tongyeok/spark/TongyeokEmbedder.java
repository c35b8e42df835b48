package dev.tongyeok.spark;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Embedding;
import dev.tongyeok.embed.EncodedInput;
import dev.tongyeok.model.Pooling;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer}: a text column in, its embedding out as {@code array<float>}. Each
 * executor JVM loads the model once (memory-mapped, shared by its tasks) and embeds each partition
 * in batches, keeping row order. The output column's metadata records the model and dimensions.
 *
 * <p>Rows that cannot be embedded (null text, more tokens than {@code maxTokens} without
 * {@code truncate}) fail the job with a message naming the row ({@code idCol}'s value, or the
 * partition and row number) — or, with {@code onError = "skip"}, get a null vector and the reason in
 * {@code errorCol}. Nothing is dropped silently.
 */
public final class TongyeokEmbedder extends Transformer {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> textCol;
    private final Param<String> outputCol;
    private final Param<String> errorCol;
    private final Param<String> idCol;
    private final Param<String> model;
    private final Param<String> pooling;
    private final Param<String> normalize;
    private final IntParam batchSize;
    private final IntParam maxTokens;
    private final BooleanParam truncate;
    private final Param<String> onError;

    public TongyeokEmbedder() {
        this(Identifiable$.MODULE$.randomUID("tongyeokEmbedder"));
    }

    public TongyeokEmbedder(String uid) {
        this.uid = uid;
        textCol = new Param<>(this, "textCol", "the text column");
        outputCol = new Param<>(this, "outputCol", "the embedding column to add, array<float>");
        errorCol = new Param<>(this, "errorCol", "with onError=skip: the column for why a row has no embedding");
        idCol = new Param<>(this, "idCol", "a column that names rows in error messages (optional)");
        model = new Param<>(this, "model", "the model SPEC: built-in name, model directory, .onnx file or Hub id");
        pooling = new Param<>(this, "pooling", "mean, cls, last, or empty for the model's own");
        normalize = new Param<>(this, "normalize", "true, false, or empty for the model's own");
        batchSize = new IntParam(this, "batchSize", "texts per encoder pass");
        maxTokens = new IntParam(this, "maxTokens", "most tokens per text, markers included; 0 for the model's limit");
        truncate = new BooleanParam(this, "truncate", "cut longer texts instead of failing them");
        onError = new Param<>(this, "onError", "fail (the job fails, naming the row) or skip (null vector and a reason)");
        setDefault(textCol, "text");
        setDefault(outputCol, "embedding");
        setDefault(errorCol, "embedding_error");
        setDefault(idCol, "");
        setDefault(model, "all-minilm-l6-v2");
        setDefault(pooling, "");
        setDefault(normalize, "");
        setDefault(batchSize, 64);
        setDefault(maxTokens, 0);
        setDefault(truncate, false);
        setDefault(onError, "fail");
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- parameters (public accessors: Spark finds parameters through them) ----

    public Param<String> textCol() {
        return textCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public Param<String> idCol() {
        return idCol;
    }

    public Param<String> model() {
        return model;
    }

    public Param<String> pooling() {
        return pooling;
    }

    public Param<String> normalize() {
        return normalize;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam maxTokens() {
        return maxTokens;
    }

    public BooleanParam truncate() {
        return truncate;
    }

    public Param<String> onError() {
        return onError;
    }

    public TongyeokEmbedder setTextCol(String v) {
        set(textCol, v);
        return this;
    }

    public TongyeokEmbedder setOutputCol(String v) {
        set(outputCol, v);
        return this;
    }

    public TongyeokEmbedder setErrorCol(String v) {
        set(errorCol, v);
        return this;
    }

    public TongyeokEmbedder setIdCol(String v) {
        set(idCol, v);
        return this;
    }

    public TongyeokEmbedder setModel(String v) {
        set(model, v);
        return this;
    }

    public TongyeokEmbedder setPooling(String v) {
        if (!v.isEmpty()) {
            Pooling.parse(v); // refuse a bad value here, not on an executor
        }
        set(pooling, v);
        return this;
    }

    public TongyeokEmbedder setNormalize(Boolean v) {
        set(normalize, v == null ? "" : v.toString());
        return this;
    }

    public TongyeokEmbedder setBatchSize(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, found " + v);
        }
        set(batchSize, v);
        return this;
    }

    public TongyeokEmbedder setMaxTokens(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("maxTokens must be 0 (the model's limit) or more, found " + v);
        }
        set(maxTokens, v);
        return this;
    }

    public TongyeokEmbedder setTruncate(boolean v) {
        set(truncate, v);
        return this;
    }

    public TongyeokEmbedder setOnError(String v) {
        if (!v.equals("fail") && !v.equals("skip")) {
            throw new IllegalArgumentException("onError must be fail or skip, found " + v);
        }
        set(onError, v);
        return this;
    }

    // ---- transforming ----

    @Override
    public StructType transformSchema(StructType schema) {
        String text = $(textCol);
        if (!Arrays.asList(schema.fieldNames()).contains(text)) {
            throw new IllegalArgumentException("no column '" + text + "' (columns: " + String.join(", ", schema.fieldNames())
                    + ")");
        }
        if (!(schema.apply(text).dataType() instanceof StringType)) {
            throw new IllegalArgumentException("column '" + text + "' must be a string, found "
                    + schema.apply(text).dataType().simpleString());
        }
        String id = $(idCol);
        if (!id.isEmpty() && !Arrays.asList(schema.fieldNames()).contains(id)) {
            throw new IllegalArgumentException("no id column '" + id + "'");
        }
        if (Arrays.asList(schema.fieldNames()).contains($(outputCol))) {
            throw new IllegalArgumentException("column '" + $(outputCol) + "' already exists");
        }
        Embedder e = Models.get($(model)); // the driver learns the dimensions (and fails early on a bad SPEC)
        Metadata meta = new MetadataBuilder().putString("tongyeok.model", e.name())
                .putLong("tongyeok.dimensions", e.dimensions()).build();
        StructType out = schema.add(new StructField($(outputCol), DataTypes.createArrayType(DataTypes.FloatType, false),
                true, meta));
        if ($(onError).equals("skip")) {
            out = out.add(new StructField($(errorCol), DataTypes.StringType, true, Metadata.empty()));
        }
        return out;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        String id = $(idCol);
        // IntParam and BooleanParam are Param<Object> seen from Java (Scala's Int and Boolean, erased)
        Settings s = new Settings($(model), $(pooling), $(normalize), (Integer) $(batchSize), (Integer) $(maxTokens),
                (Boolean) $(truncate),
                $(onError).equals("skip"), in.fieldIndex($(textCol)), id.isEmpty() ? -1 : in.fieldIndex(id), in.size());
        Dataset<Row> embedded = dataset.toDF().mapPartitions(new EmbedPartition(s), Encoders.row(out));
        // mapPartitions keeps the types but not the field metadata: put the model record back
        String col = $(outputCol);
        return embedded.withColumn(col, embedded.col(col).as(col, out.apply(col).metadata()));
    }

    @Override
    public TongyeokEmbedder copy(ParamMap extra) {
        return (TongyeokEmbedder) defaultCopy(extra);
    }

    /** What the executors need, as plain values. */
    record Settings(String model, String pooling, String normalize, int batchSize, int maxTokens, boolean truncate,
            boolean skip, int textIndex, int idIndex, int columns) implements Serializable {
        EmbedOptions options() {
            EmbedOptions o = EmbedOptions.DEFAULTS.withMaxLength(maxTokens);
            if (!pooling.isEmpty()) {
                o = o.withPooling(Pooling.parse(pooling));
            }
            if (!normalize.isEmpty()) {
                o = o.withNormalize(Boolean.parseBoolean(normalize));
            }
            return o;
        }
    }

    /** One partition: rows in, rows with their embedding out, in batches, in order. */
    static final class EmbedPartition implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Settings s;

        EmbedPartition(Settings s) {
            this.s = s;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            Embedder embedder = Models.get(s.model());
            EmbedOptions options = s.options();
            int partition = TaskContext.get() != null ? TaskContext.getPartitionId() : 0;
            return new Iterator<>() {
                private final List<Row> ready = new ArrayList<>();
                private int next;
                private long rowNo;

                @Override
                public boolean hasNext() {
                    if (next < ready.size()) {
                        return true;
                    }
                    ready.clear();
                    next = 0;
                    fill();
                    return !ready.isEmpty();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return ready.get(next++);
                }

                private void fill() {
                    List<Row> batch = new ArrayList<>();
                    List<String> errors = new ArrayList<>();
                    List<EncodedInput> encoded = new ArrayList<>();
                    while (batch.size() < s.batchSize() && rows.hasNext()) {
                        Row r = rows.next();
                        String where = s.idIndex() >= 0 ? "row with id " + r.get(s.idIndex())
                                : "partition " + partition + " row " + rowNo;
                        rowNo++;
                        String error = null;
                        EncodedInput e = null;
                        if (r.isNullAt(s.textIndex())) {
                            error = "text is null";
                        } else {
                            e = embedder.encode(r.getString(s.textIndex()), options);
                            if (e.truncated() && !s.truncate()) {
                                error = "text has " + e.originalTokens() + " tokens, more than the "
                                        + embedder.maxLength(options) + " allowed (set truncate to cut it)";
                                e = null;
                            }
                        }
                        if (error != null && !s.skip()) {
                            throw new IllegalArgumentException(where + ": " + error);
                        }
                        batch.add(r);
                        errors.add(error);
                        if (e != null) {
                            encoded.add(e);
                        }
                    }
                    List<Embedding> vectors = encoded.isEmpty() ? List.of() : embedder.embedEncoded(encoded);
                    int v = 0;
                    for (int i = 0; i < batch.size(); i++) {
                        Row r = batch.get(i);
                        Object[] values = new Object[s.columns() + (s.skip() ? 2 : 1)];
                        for (int c = 0; c < s.columns(); c++) {
                            values[c] = r.get(c);
                        }
                        values[s.columns()] = errors.get(i) == null ? vectors.get(v++).vector() : null;
                        if (s.skip()) {
                            values[s.columns() + 1] = errors.get(i);
                        }
                        ready.add(RowFactory.create(values));
                    }
                }
            };
        }
    }
}
