package dev.tongyeok.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.load.onnx.OnnxGraph;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.resolve.BuiltinModel;
import dev.tongyeok.tensor.Tensor;
import dev.tongyeok.tokenize.Encoding;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pooling modes, normalization, prompts, Matryoshka dimensions and the inspection matrices of
 * all-MiniLM-L6-v2, each against what ONNX Runtime's last hidden state (or the file's own
 * embedding table) gives when the same operation is written out here.
 */
class EmbedderOptionsTest {
    /** fp32 against ORT, as in {@link ModelParityTest}. */
    static final double MIN_COSINE = 0.9999;

    static Embedder embedder;
    static OrtOracle ort;

    @BeforeAll
    static void load() throws Exception {
        embedder = Embedder.load("all-minilm-l6-v2");
        ort = new OrtOracle(BuiltinModel.defaultModel().onnxFile(), false);
    }

    @AfterAll
    static void close() throws Exception {
        ort.close();
    }

    static float[][] reference(Encoding e) throws Exception {
        return ort.hidden(e.ids(), e.typeIds());
    }

    static float[] normalized(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    static double norm(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        return Math.sqrt(n);
    }

    @Test
    void poolingModesAndNormalization() throws Exception {
        String text = "The jury further said in term-end presentments that the City Executive Committee deserves praise.";
        for (Pooling p : Pooling.values()) {
            if (p == Pooling.NONE) {
                continue;
            }
            Embedding got = embedder.embed(List.of(text), EmbedOptions.DEFAULTS.withPooling(p).withNormalize(false)).get(0);
            float[] want = ModelParityTest.pool(reference(got.encoding()), p);
            double cos = ModelParityTest.cosine(want, got.vector());
            assertTrue(cos >= MIN_COSINE, p + ": cosine " + cos);
            assertEquals(norm(want), norm(got.vector()), 1e-3 * norm(want), p + ": not normalized");
            Embedding unit = embedder.embed(List.of(text), EmbedOptions.DEFAULTS.withPooling(p)).get(0);
            assertEquals(1.0, norm(unit.vector()), 1e-6, p + ": the default normalizes");
        }
        assertEquals(Pooling.MEAN, embedder.defaultPooling());
    }

    @Test
    void matryoshkaCutsThenRenormalizes() throws Exception {
        String text = "semantic search over a million documents";
        for (int dims : new int[] {1, 64, 128, 383}) {
            Embedding got = embedder.embed(List.of(text), EmbedOptions.DEFAULTS.withDimensions(dims)).get(0);
            assertEquals(dims, got.vector().length);
            float[] full = ModelParityTest.pool(reference(got.encoding()), Pooling.MEAN);
            float[] want = normalized(java.util.Arrays.copyOf(full, dims));
            assertTrue(ModelParityTest.cosine(want, got.vector()) >= MIN_COSINE, "dims " + dims);
            assertEquals(1.0, norm(got.vector()), 1e-6);
        }
        assertThrows(IllegalArgumentException.class,
                () -> embedder.embed(List.of(text), EmbedOptions.DEFAULTS.withDimensions(385)));
    }

    @Test
    void promptIsPartOfTheText() throws Exception {
        Embedding prompted = embedder.embed(List.of("how do magnets work"), EmbedOptions.DEFAULTS.withPrompt("query: "))
                .get(0);
        Embedding written = embedder.embed(List.of("query: how do magnets work"), EmbedOptions.DEFAULTS).get(0);
        assertArrayEquals(written.encoding().ids(), prompted.encoding().ids());
        assertArrayEquals(written.vector(), prompted.vector());
        assertEquals("query", prompted.encoding().token(1));
    }

    @Test
    void inspectionMatricesComeFromTheFileAndTheEncoder() throws Exception {
        String text = "<<시작>> I love you so much. <<끝>>";
        Inspection in = embedder.inspect(text, EmbedOptions.DEFAULTS);
        Tensor table = OnnxGraph.read(BuiltinModel.defaultModel().onnxFile()).initializers()
                .get("embeddings.word_embeddings.weight");
        int C = embedder.dimensions();
        for (int t = 0; t < in.tokens(); t++) {
            float[] row = new float[C];
            for (int c = 0; c < C; c++) {
                row[c] = table.getFloat((long) in.encoding().id(t) * C + c);
            }
            assertArrayEquals(row, in.staticEmbeddings()[t], "static row " + t + " is the table's row");
        }
        assertEquals(7, in.hiddenStates().size());
        assertEquals(6, in.layers());
        assertEquals(12, in.heads());
        float[][] last = in.hiddenStates().get(6);
        float[][] ref = reference(in.encoding());
        for (int t = 0; t < ref.length; t++) {
            for (int c = 0; c < C; c++) {
                assertEquals(ref[t][c], last[t][c], ModelParityTest.MAX_ABS_HIDDEN);
            }
        }
        float[] vector = embedder.embed(List.of(text), EmbedOptions.DEFAULTS).get(0).vector();
        assertArrayEquals(vector, in.vector(), "inspect and embed pool the same numbers");
    }
}
