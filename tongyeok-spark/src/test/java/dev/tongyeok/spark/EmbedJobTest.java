package dev.tongyeok.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.tokenize.Fixtures;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark job in local[2] on the Brown corpus, read back and compared with the library. */
class EmbedJobTest {
    static SparkSession spark;
    static Embedder minilm;

    @TempDir
    static Path warehouse;

    @BeforeAll
    static void start() throws Exception {
        minilm = Embedder.load("all-minilm-l6-v2");
        spark = SparkSession.builder().master("local[2]").appName("tongyeok test")
                .config("spark.sql.warehouse.dir", warehouse.toString())
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void brownSentencesEqualTheLibraryInOrder(@TempDir Path tmp) throws Exception {
        List<String> sentences = Fixtures.brown(2000);
        Path input = Files.createDirectories(tmp.resolve("in"));
        ObjectMapper json = new ObjectMapper();
        for (int part = 0; part < 2; part++) { // two files: two partitions, one per core
            try (BufferedWriter w = Files.newBufferedWriter(input.resolve("part-" + part + ".jsonl"))) {
                for (int i = part * 1000; i < part * 1000 + 1000; i++) {
                    w.write(json.writeValueAsString(Map.of("id", i, "text", sentences.get(i))));
                    w.newLine();
                }
            }
        }
        Path output = tmp.resolve("out.parquet");
        long n = EmbedJob.run(spark, EmbedJob.parse(new String[] {"--input", input.toString(), "--format", "json",
                "--output", output.toString(), "--id-col", "id", "--batch-size", "64"}));
        assertEquals(2000, n);

        List<Row> before = spark.read().json(input.toString()).collectAsList();
        Dataset<Row> back = spark.read().parquet(output.toString());
        StructField field = back.schema().apply("embedding");
        assertEquals("all-minilm-l6-v2", field.metadata().getString("tongyeok.model"));
        assertEquals(384, field.metadata().getLong("tongyeok.dimensions"));
        List<Row> rows = back.collectAsList();
        assertEquals(before.size(), rows.size());
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(before.get(i).<Long>getAs("id"), r.<Long>getAs("id"), "row order kept at " + i);
            assertEquals(sentences.get((int) (long) r.<Long>getAs("id")), r.<String>getAs("text"));
            texts.add(r.getAs("text"));
        }
        List<dev.tongyeok.embed.Embedding> want = minilm.embed(texts, EmbedOptions.DEFAULTS);
        for (int i = 0; i < rows.size(); i++) {
            List<Float> got = rows.get(i).getList(rows.get(i).fieldIndex("embedding"));
            float[] v = new float[got.size()];
            for (int c = 0; c < v.length; c++) {
                v[c] = got.get(c);
            }
            assertArrayEquals(want.get(i).vector(), v, "row " + i + " equals the library bit for bit");
        }
    }

    @Test
    void badRowsFailTheJobNamingTheRowOrAreKeptWithAReason(@TempDir Path tmp) throws Exception {
        Path input = tmp.resolve("in.jsonl");
        Files.writeString(input, String.join("\n",
                "{\"id\":\"a\",\"text\":\"A fine sentence.\"}",
                "{\"id\":\"b\",\"text\":null}",
                "{\"id\":\"c\",\"text\":\"" + "word ".repeat(600) + "\"}",
                "{\"id\":\"d\",\"text\":\"Another fine one.\"}") + "\n");
        Exception e = assertThrows(Exception.class, () -> EmbedJob.run(spark, EmbedJob.parse(new String[] {
                "--input", input.toString(), "--output", tmp.resolve("failed").toString(), "--id-col", "id"})));
        String messages = chain(e);
        assertTrue(messages.contains("row with id b: text is null"), messages);

        Path output = tmp.resolve("skipped");
        EmbedJob.run(spark, EmbedJob.parse(new String[] {"--input", input.toString(), "--output", output.toString(),
                "--id-col", "id", "--on-error", "skip"}));
        Map<String, Row> byId = new HashMap<>();
        for (Row r : spark.read().parquet(output.toString()).collectAsList()) {
            byId.put(r.getAs("id"), r);
        }
        assertEquals(4, byId.size(), "nothing dropped");
        assertNull(byId.get("b").getAs("embedding"));
        assertEquals("text is null", byId.get("b").getAs("embedding_error"));
        assertNull(byId.get("c").getAs("embedding"));
        assertEquals("text has 602 tokens, more than the 256 allowed (set truncate to cut it)",
                byId.get("c").getAs("embedding_error"));
        assertNull(byId.get("a").getAs("embedding_error"));
        assertEquals(384, byId.get("d").getList(byId.get("d").fieldIndex("embedding")).size());

        Path cut = tmp.resolve("truncated");
        EmbedJob.run(spark, EmbedJob.parse(new String[] {"--input", input.toString(), "--output", cut.toString(),
                "--id-col", "id", "--on-error", "skip", "--truncate"}));
        for (Row r : spark.read().parquet(cut.toString()).collectAsList()) {
            assertEquals(r.getAs("id").equals("b"), r.getAs("embedding") == null, "only the null text lacks a vector");
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> EmbedJob.parse(new String[] {"--input", "x"}));
        assertEquals("--output is required", bad.getMessage());
    }

    private static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
