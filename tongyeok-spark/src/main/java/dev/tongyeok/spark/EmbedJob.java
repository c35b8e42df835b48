package dev.tongyeok.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark-submit} job: reads Parquet, JSON Lines or text, embeds a text column with
 * {@link TongyeokEmbedder}, writes Parquet (the embedding column's metadata records the model and
 * dimensions). Row order and every input column are kept.
 *
 * <pre>
 * spark-submit --class dev.tongyeok.spark.EmbedJob tongyeok-spark-all.jar \
 *   --input corpus.jsonl --format json --output vectors.parquet [--text-col text] [--id-col id]
 *   [--model all-minilm-l6-v2] [--batch-size 64] [--max-tokens N] [--truncate]
 *   [--pooling mean|cls|last] [--normalize true|false] [--on-error fail|skip] [--partitions N]
 * </pre>
 */
public final class EmbedJob {
    private EmbedJob() {}

    static final String USAGE = "usage: EmbedJob --input PATH --output PATH [--format parquet|json|text] "
            + "[--text-col text] [--id-col COL] [--model SPEC] [--batch-size N] [--max-tokens N] [--truncate] "
            + "[--pooling mean|cls|last] [--normalize true|false] [--on-error fail|skip] [--partitions N]";

    public static void main(String[] args) {
        Map<String, String> a;
        try {
            a = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("EmbedJob: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("tongyeok embed").getOrCreate();
        try {
            run(spark, a);
        } finally {
            spark.stop();
        }
    }

    /** Runs the job in {@code spark} with parsed arguments; returns the number of rows written. */
    static long run(SparkSession spark, Map<String, String> a) {
        String format = a.getOrDefault("format", guessFormat(a.get("input")));
        Dataset<Row> in = switch (format) {
            case "parquet" -> spark.read().parquet(a.get("input"));
            case "json" -> spark.read().json(a.get("input"));
            case "text" -> spark.read().text(a.get("input")).withColumnRenamed("value", a.getOrDefault("text-col", "text"));
            default -> throw new IllegalArgumentException("--format must be parquet, json or text, found " + format);
        };
        if (a.containsKey("partitions")) {
            in = in.repartition(Integer.parseInt(a.get("partitions")));
        }
        TongyeokEmbedder t = new TongyeokEmbedder()
                .setTextCol(a.getOrDefault("text-col", "text"))
                .setModel(a.getOrDefault("model", "all-minilm-l6-v2"))
                .setBatchSize(Integer.parseInt(a.getOrDefault("batch-size", "64")))
                .setMaxTokens(Integer.parseInt(a.getOrDefault("max-tokens", "0")))
                .setTruncate(a.containsKey("truncate"))
                .setOnError(a.getOrDefault("on-error", "fail"));
        if (a.containsKey("id-col")) {
            t.setIdCol(a.get("id-col"));
        }
        if (a.containsKey("pooling")) {
            t.setPooling(a.get("pooling"));
        }
        if (a.containsKey("normalize")) {
            t.setNormalize(Boolean.parseBoolean(a.get("normalize")));
        }
        Dataset<Row> out = t.transform(in);
        out.write().parquet(a.get("output"));
        return spark.read().parquet(a.get("output")).count();
    }

    private static String guessFormat(String input) {
        if (input == null) {
            return "parquet";
        }
        String p = input.toLowerCase(java.util.Locale.ROOT);
        return p.endsWith(".jsonl") || p.endsWith(".json") || p.endsWith(".ndjson") ? "json"
                : p.endsWith(".txt") ? "text" : "parquet";
    }

    static Map<String, String> parse(String[] args) {
        List<String> flags = List.of("truncate");
        List<String> valued = List.of("input", "output", "format", "text-col", "id-col", "model", "batch-size",
                "max-tokens", "pooling", "normalize", "on-error", "partitions");
        Map<String, String> out = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String f = rest.removeFirst();
            if (!f.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + f + "'");
            }
            String name = f.substring(2);
            if (flags.contains(name)) {
                out.put(name, "true");
            } else if (valued.contains(name)) {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException(f + " needs a value");
                }
                out.put(name, rest.removeFirst());
            } else {
                throw new IllegalArgumentException("unknown option " + f);
            }
        }
        for (String required : List.of("input", "output")) {
            if (!out.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        for (String number : List.of("batch-size", "max-tokens", "partitions")) {
            if (out.containsKey(number)) {
                try {
                    Integer.parseInt(out.get(number));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--" + number + " must be a number, found " + out.get(number));
                }
            }
        }
        return out;
    }
}
