package dev.tongyeok.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.embed.OrtOracle;
import dev.tongyeok.resolve.BuiltinModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tongyeok embed}, {@code attention} and {@code similarity} end to end: vectors against ONNX
 * Runtime running the same file on HF's token ids, the table's rows against HF's tokens, the .npy
 * layout by its spec, and bad input.
 */
class EmbedCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** fp32 pooled vectors against ORT (see ModelParityTest). */
    static final double MIN_COSINE = 0.9999;
    static final List<String> TEXTS = List.of("I love you so much.", "안녕하세요", "こんにちは", "Hello", "你好", "@#%^&*()", "");

    static HuggingFaceTokenizer hf;
    static OrtOracle ort;

    @TempDir
    Path dir;

    static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    @BeforeAll
    static void oracles() throws Exception {
        hf = Cli.hf(Cli.minilmJson());
        ort = new OrtOracle(BuiltinModel.defaultModel().onnxFile(), false);
    }

    @AfterAll
    static void close() throws Exception {
        hf.close();
        ort.close();
    }

    /** The reference sentence vector: ORT's last hidden state on HF's ids, mean-pooled and normalized here. */
    static float[] reference(String text) throws Exception {
        var e = hf.encode(text, true, false);
        int[] ids = new int[e.getIds().length];
        int[] types = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) e.getIds()[i];
            types[i] = (int) e.getTypeIds()[i];
        }
        float[][] h = ort.hidden(ids, types);
        float[] v = new float[h[0].length];
        for (float[] row : h) {
            for (int c = 0; c < v.length; c++) {
                v[c] += row[c] / h.length;
            }
        }
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        for (int c = 0; c < v.length; c++) {
            v[c] /= (float) Math.sqrt(n);
        }
        return v;
    }

    static double cosine(float[] a, float[] b) {
        return SimilarityCommand.cosine(a, b);
    }

    static float[] floats(JsonNode n) {
        float[] v = new float[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) n.get(i).asDouble();
        }
        return v;
    }

    Path jsonl(List<String> texts) throws Exception {
        Path p = dir.resolve("in.jsonl");
        List<String> lines = new ArrayList<>();
        for (String t : texts) {
            lines.add(JSON.writeValueAsString(Map.of("text", t)));
        }
        Files.write(p, lines);
        return p;
    }

    @Test
    void jsonLinesMatchOnnxRuntime() throws Exception {
        Path out = dir.resolve("out.jsonl");
        Cli.Run r = run("embed", "--input", jsonl(TEXTS).toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(TEXTS.size(), lines.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] got = floats(JSON.readTree(lines.get(i)).get("embedding"));
            assertEquals(384, got.length);
            double cos = cosine(reference(TEXTS.get(i)), got);
            assertTrue(cos >= MIN_COSINE, TEXTS.get(i) + ": cosine " + cos);
        }
    }

    @Test
    void longTextsOnTheCommandLineMatchOnnxRuntime() throws Exception {
        // Over 1,000 chars in all: the command waits for the kernels' warm-up before computing. Each
        // stays within the model's 256 tokens, which the reference does not cut.
        String a = String.join(" ", java.util.Collections.nCopies(20, "The committee said the city would consider it."));
        String b = "서울의 하늘은 맑았다. " + a.substring(0, 400);
        Path out = dir.resolve("long.jsonl");
        Cli.Run r = run("embed", "--format", "jsonl", "--output", out.toString(), a, b);
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size());
        String[] texts = {a, b};
        for (int i = 0; i < 2; i++) {
            double cos = cosine(reference(texts[i]), floats(JSON.readTree(lines.get(i)).get("embedding")));
            assertTrue(cos >= MIN_COSINE, "text " + (i + 1) + ": cosine " + cos);
        }
    }

    /** {@code tongyeok embed} in a child JVM without the Vector API module, its scalar kernels summing by {@code lanes}. */
    byte[] embedWithoutVectorModule(int lanes, Path out) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-Dtongyeok.lanes=" + lanes,
                "-cp", System.getProperty("java.class.path"), "-Dtongyeok.cache=" + System.getProperty("tongyeok.cache"),
                "dev.tongyeok.cli.Main", "embed", "--format", "jsonl", "--output", out.toString()));
        cmd.addAll(TEXTS);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child did not finish");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("child.log")));
        assertTrue(!Files.readString(dir.resolve("child.log")).contains("incubator"), "the child ran with the module");
        return Files.readAllBytes(out);
    }

    @Test
    void withoutTheVectorModuleTheVectorsAreTheSameBits() throws Exception {
        // The launcher starts light commands without the module, passing the lanes of a JVM with it.
        Path here = dir.resolve("here.jsonl");
        assertEquals(0, run(Stream.concat(Stream.of("embed", "--format", "jsonl", "--output", here.toString()),
                TEXTS.stream()).toArray(String[]::new)).code());
        int lanes = dev.tongyeok.tensor.ops.Ops.lanes();
        assertArrayEquals(Files.readAllBytes(here), embedWithoutVectorModule(lanes, dir.resolve("child.jsonl")));
        if (lanes > 1) {
            // the lanes do matter: summed in plain order, layer norms and softmaxes round differently
            assertFalse(Arrays.equals(Files.readAllBytes(here), embedWithoutVectorModule(1, dir.resolve("plain.jsonl"))));
        }
    }

    @Test
    void tokenMatrixAndTableFollowHuggingFaceTokens() throws Exception {
        Path out = dir.resolve("tokens.jsonl");
        Cli.Run r = run("embed", "--pooling", "none", "--format", "jsonl", "--output", out.toString(), "I love you so much.");
        assertEquals(0, r.code(), r.err());
        JsonNode n = JSON.readTree(Files.readString(out));
        var want = hf.encode("I love you so much.", true, false);
        assertEquals(List.of(want.getTokens()), JSON.convertValue(n.get("tokens"), List.class));
        assertEquals(want.getTokens().length, n.get("embeddings").size());
        assertEquals(384, n.get("embeddings").get(0).size());
        // The raw hidden states (TEI's /embed_all, sentence-transformers' token_embeddings), as ONNX
        // Runtime computes them; with --normalize each row made unit length.
        int[] ids = Arrays.stream(want.getIds()).mapToInt(x -> (int) x).toArray();
        float[][] ref = ort.hidden(ids, new int[ids.length]);
        Path unit = dir.resolve("unit.jsonl");
        assertEquals(0, run("embed", "--pooling", "none", "--normalize", "--format", "jsonl", "--output", unit.toString(),
                "I love you so much.").code());
        JsonNode u = JSON.readTree(Files.readString(unit));
        for (int t = 0; t < ref.length; t++) {
            double norm = 0;
            for (float x : ref[t]) {
                norm += (double) x * x;
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < ref[t].length; c++) {
                assertEquals(ref[t][c], n.get("embeddings").get(t).get(c).floatValue(),
                        dev.tongyeok.embed.ModelParityTest.MAX_ABS_HIDDEN, "raw row " + t);
                assertEquals(ref[t][c] / norm, u.get("embeddings").get(t).get(c).floatValue(), 1e-5, "unit row " + t);
            }
        }

        Path table = dir.resolve("table.txt");
        r = run("embed", "--output", table.toString(), "I love you so much.");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(table);
        assertEquals("\"I love you so much.\" -> 8 tokens × 384 dims (all-minilm-l6-v2, contextual: after layer 6 of 6)",
                lines.get(0));
        for (int t = 0; t < 8; t++) {
            String row = lines.get(2 + t);
            assertTrue(row.matches("\\s*" + t + "\\s+" + java.util.regex.Pattern.quote(want.getTokens()[t])
                    + "\\s+\\[[-\\s]\\d\\.\\d{4}(, [-\\s]\\d\\.\\d{4}){3}, …(, [-\\s]\\d\\.\\d{4}){2}\\]"), row);
        }
        assertEquals("8 tokens × 384 dims", lines.get(10));
        assertTrue(lines.get(11).startsWith("sentence vector (mean pooling, L2-normalized): ["), lines.get(11));

        r = run("embed", "--static", "--output", table.toString(), "I love you so much.");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(table).contains("static: rows of the token embedding table"));
    }

    @Test
    void npyHoldsTheSameVectorsAsJsonLines() throws Exception {
        Path npy = dir.resolve("v.npy");
        Path js = dir.resolve("v.jsonl");
        Path in = jsonl(TEXTS);
        assertEquals(0, run("embed", "--input", in.toString(), "--format", "npy", "--output", npy.toString()).code());
        assertEquals(0, run("embed", "--input", in.toString(), "--output", js.toString()).code());
        byte[] b = Files.readAllBytes(npy);
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, b[6]);
        int hlen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + hlen) % 64, "header padded to 64 bytes");
        String header = new String(b, 10, hlen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (" + TEXTS.size() + ", 384), }"),
                header);
        assertTrue(header.endsWith("\n"));
        ByteBuffer data = ByteBuffer.wrap(b, 10 + hlen, b.length - 10 - hlen).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(TEXTS.size() * 384 * 4, data.remaining());
        List<String> lines = Files.readAllLines(js);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] want = floats(JSON.readTree(lines.get(i)).get("embedding"));
            float[] got = new float[384];
            for (int c = 0; c < 384; c++) {
                got[c] = data.getFloat();
            }
            assertArrayEquals(want, got);
        }
    }

    @Test
    void inputOfManyChunksKeepsItsOrder() throws Exception {
        // 700 texts: three chunks of the embedder, the later ones computed while the earlier are written.
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            String base = TEXTS.get(i % TEXTS.size());
            texts.add(i % 97 == 5 ? "word ".repeat(260 + i % 7) : i + ": " + base.repeat(1 + i % 3));
        }
        Path out = dir.resolve("many.jsonl");
        Cli.Run r = run("embed", "--input", jsonl(texts).toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(texts.size(), lines.size());
        for (int i = 0; i < texts.size(); i += 23) {
            if (i % 97 == 5) {
                continue; // truncated: the reference takes whole texts
            }
            float[] got = floats(JSON.readTree(lines.get(i)).get("embedding"));
            double cos = cosine(reference(texts.get(i)), got);
            assertTrue(cos >= MIN_COSINE, "line " + (i + 1) + ": cosine " + cos);
        }
        // The truncation warnings come in line order, one per long text.
        List<Integer> warned = new ArrayList<>();
        for (String line : r.err().strip().lines().toList()) {
            if (line.contains("truncated")) { // the others: texts the vocabulary covers poorly (CoverageTest)
                warned.add(Integer.parseInt(line.replaceAll(".*in\\.jsonl line (\\d+):.*", "$1")));
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (i % 97 == 5) {
                expected.add(i + 1);
            }
        }
        assertEquals(expected, warned, r.err());

        // A bad line in the third chunk (no long texts before it, so nothing else to say): one line
        // naming it, and no output file.
        Path bad = dir.resolve("bad-late.jsonl");
        List<String> badLines = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            badLines.add(i == 600 ? "{\"text\": 7}" : JSON.writeValueAsString(Map.of("text", "text " + i)));
        }
        Files.write(bad, badLines);
        Path never = dir.resolve("never-late.jsonl");
        r = run("embed", "--input", bad.toString(), "--output", never.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("tongyeok: ") && r.err().contains("line 601"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(never), "no half-written output");
    }

    @Test
    void truncationIsReportedOnStandardError() throws Exception {
        Path out = dir.resolve("long.jsonl");
        Cli.Run r = run("embed", "--input", jsonl(List.of("short", "word ".repeat(300))).toString(), "--output",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("in.jsonl line 2: 302 tokens, truncated to 256 (all-minilm-l6-v2's limit); "
                + "the first 1269 characters were embedded"), r.err());
        assertFalse(r.err().contains("line 1"), r.err());
    }

    @Test
    void badInputIsOneLineAndLeavesNoFile() throws Exception {
        Path out = dir.resolve("never.jsonl");
        Path in = dir.resolve("bad.jsonl");
        Files.writeString(in, "{\"text\": \"fine\"}\n{\"txt\": \"no text field\"}\n");
        Cli.Run r = run("embed", "--input", in.toString(), "--output", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("tongyeok: ") && r.err().contains("line 2"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out), "no half-written output");

        for (String[] args : new String[][] {{"embed", "--layer", "7", "x"}, {"embed", "--pooling", "median", "x"},
            {"embed", "--format", "csv", "x"}, {"embed"}, {"embed", "--model", "no/such/dir", "x"},
            {"embed", "--dimensions", "999", "x"}, {"attention", "--head", "13", "x"}, {"similarity", "only one"}}) {
            r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("tongyeok: "), r.err());
        }
    }

    @Test
    void attentionRowsSumToOne() {
        Cli.Run r = run("attention", "--values", "--layer", "1", "--head", "3", "I love you so much.");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).contains("layer 1 of 6, head 3 of 12"), lines.get(0));
        var want = hf.encode("I love you so much.", true, false).getTokens();
        for (int i = 0; i < want.length; i++) {
            String row = lines.get(3 + i);
            String[] cells = row.substring(row.indexOf(want[i]) + want[i].length(), row.indexOf("->")).trim().split("\\s+");
            assertEquals(want.length, cells.length, row);
            double sum = 0;
            for (String c : cells) {
                sum += Double.parseDouble(c);
            }
            // Each printed value is rounded to 0.005.
            assertEquals(1.0, sum, 0.005 * want.length, row);
        }
        r = run("attention", "I love you so much.");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("layer 6 of 6, mean of 12 heads"), r.out());
    }

    @Test
    void similarityMatchesOnnxRuntime() throws Exception {
        List<String> texts = List.of("I love you so much.", "I adore you.", "The stock market fell today.");
        Cli.Run r = run("similarity", texts.get(0), texts.get(1), texts.get(2));
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        for (int i = 0; i < 3; i++) {
            String[] cells = lines.get(5 + i).trim().split("\\s+");
            assertEquals("#" + (i + 1), cells[0]);
            for (int j = 0; j < 3; j++) {
                double want = cosine(reference(texts.get(i)), reference(texts.get(j)));
                assertEquals(want, Double.parseDouble(cells[1 + j]), 0.0002, lines.get(5 + i));
            }
        }
    }
}
