package dev.tongyeok.rerank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.EncodedInput;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.GgufBertTest;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.RandomTensors;
import dev.tongyeok.load.gguf.GgufWriter;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.oracle.LlamaCpp;
import dev.tongyeok.tokenize.Fixtures;
import dev.tongyeok.tokenize.HfOracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny random BERT cross-encoder (MiniLM's vocabulary, 2 layers of width 64, a pooler and a
 * one-label classifier), written as transformers writes {@code BertForSequenceClassification} and
 * as llama.cpp's converter writes a reranker GGUF ({@code cls}, {@code cls.output}, rank pooling):
 * pairs laid out and truncated as HF tokenizers lay them out, logits as llama.cpp computes them,
 * both layouts alike.
 */
public class RerankerTest {
    static final int V = 30522;
    static final int C = 64;
    static final int L = 2;
    static final int H = 4;
    static final int I = 128;
    static final int POSITIONS = 512;

    @TempDir
    static Path tmp;

    static Path hfDir;
    static Path gguf;
    static Path clsGguf;

    @BeforeAll
    static void write() throws Exception {
        writeModels(tmp);
    }

    /** Writes the cross-encoder in both layouts under {@code dir}: {@code [model directory, GGUF file]}. */
    public static Path[] writeModels(Path dir) throws Exception {
        Random r = new Random(25);
        Map<String, float[][]> w = new LinkedHashMap<>();
        RandomTensors.put(w, "embeddings.word_embeddings.weight", r, 1.0, V, C);
        RandomTensors.put(w, "embeddings.position_embeddings.weight", r, 0.5, POSITIONS, C);
        RandomTensors.put(w, "embeddings.token_type_embeddings.weight", r, 0.5, 2, C);
        RandomTensors.norm(w, "embeddings.LayerNorm", r, C);
        RandomTensors.bertLayers(w, r, L, C, I);
        RandomTensors.put(w, "pooler.dense.weight", r, 1 / Math.sqrt(C), C, C);
        RandomTensors.put(w, "pooler.dense.bias", r, 0.1, C);
        RandomTensors.put(w, "classifier.weight", r, 1.0, 1, C);
        RandomTensors.put(w, "classifier.bias", r, 0.1, 1);

        // transformers' BertForSequenceClassification: the encoder and pooler under bert., the classifier not.
        Map<String, float[][]> hf = new LinkedHashMap<>();
        w.forEach((k, v) -> hf.put(k.startsWith("classifier.") ? k : "bert." + k, v));
        Path model = Files.createDirectories(dir.resolve("tiny-cross-encoder"));
        RandomTensors.write(model.resolve("model.safetensors"), hf);
        Files.writeString(model.resolve("config.json"), """
                {"architectures": ["BertForSequenceClassification"], "model_type": "bert", "vocab_size": %d,
                 "hidden_size": %d, "num_hidden_layers": %d, "num_attention_heads": %d, "intermediate_size": %d,
                 "hidden_act": "gelu", "max_position_embeddings": %d, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
                 "id2label": {"0": "LABEL_0"}, "label2id": {"LABEL_0": 0}}
                """.formatted(V, C, L, H, I, POSITIONS));
        ObjectNode tok = (ObjectNode) new ObjectMapper().readTree(Fixtures.tokenizerJson("all-minilm-l6-v2"));
        tok.putNull("truncation");
        tok.putNull("padding");
        Files.writeString(model.resolve("tokenizer.json"), tok.toString());

        Path file = dir.resolve("tiny-cross-encoder.gguf");
        writeGguf(w, file, 4);
        clsGguf = dir.resolve("tiny-cross-encoder-cls-pooling.gguf");
        writeGguf(w, clsGguf, 2);
        hfDir = model;
        gguf = file;
        return new Path[] {model, file};
    }

    // llama.cpp's converter for BertForSequenceClassification: the pooler as cls, the classifier as
    // cls.output; pooling 4 (rank) scores pairs, 2 (CLS) gives the first token's row.
    static void writeGguf(Map<String, float[][]> w, Path file, int pooling) throws Exception {
        GgufWriter g = new GgufWriter(3).string("general.architecture", "bert").u32("bert.context_length", POSITIONS)
                .u32("bert.embedding_length", C).u32("bert.feed_forward_length", I).u32("bert.block_count", L)
                .u32("bert.attention.head_count", H).f32("bert.attention.layer_norm_epsilon", 1e-12f)
                .bool("bert.attention.causal", false).u32("bert.pooling_type", pooling);
        for (Map.Entry<String, float[][]> e : w.entrySet()) {
            String name = switch (e.getKey()) {
                case "pooler.dense.weight" -> "cls.weight";
                case "pooler.dense.bias" -> "cls.bias";
                case "classifier.weight" -> "cls.output.weight";
                case "classifier.bias" -> "cls.output.bias";
                default -> GgufBertTest.ggufName(e.getKey());
            };
            g.f32Tensor(name, RandomTensors.shape(e.getValue()), e.getValue()[1]);
        }
        GgufBertTest.wordPieceVocabulary(g);
        g.write(file);
    }

    static List<String> queries() {
        return List.of("what is a panda?", "how long do cats live", "안녕하세요");
    }

    static List<String> documents() {
        List<String> docs = new ArrayList<>(Fixtures.brown(12));
        docs.add("The giant panda is a bear species endemic to China.");
        docs.add("");
        // Longer than the model's 512 tokens with any query: the document loses the tokens.
        docs.add(String.join(" ", Fixtures.brown(40)));
        return docs;
    }

    @Test
    void pairsAreLaidOutAndCutAsHfTokenizers() throws Exception {
        Reranker r = Reranker.load(hfDir.toString());
        assertEquals(POSITIONS, r.maxLength());
        String json = Files.readString(hfDir.resolve("tokenizer.json"));
        try (HfOracle hf = new HfOracle(json, Map.of("truncation", "true", "maxLength", String.valueOf(POSITIONS)))) {
            boolean cut = false;
            for (String q : queries()) {
                List<EncodedInput> pairs = r.pairs(q, documents());
                for (int i = 0; i < pairs.size(); i++) {
                    HfOracle.Result want = hf.encodePair(q, documents().get(i), true);
                    int[] ids = pairs.get(i).encoding().ids();
                    int[] types = pairs.get(i).encoding().typeIds();
                    assertEquals(want.ids().length, ids.length, "length of (" + q + ", document " + i + ")");
                    for (int t = 0; t < ids.length; t++) {
                        assertEquals(want.ids()[t], ids[t], "id " + t + " of (" + q + ", document " + i + ")");
                        assertEquals(want.typeIds()[t], types[t], "type " + t + " of (" + q + ", document " + i + ")");
                    }
                    cut |= pairs.get(i).truncated();
                }
            }
            assertTrue(cut, "the long document was cut");
        }
    }

    @Test
    void scoresAreLlamaCppsAndBothLayoutsAgree() throws Exception {
        Reranker fromHf = Reranker.load(hfDir.toString());
        Reranker fromGguf = Reranker.load(gguf.toString());
        List<int[]> pairs = new ArrayList<>();
        List<Float> ours = new ArrayList<>();
        for (String q : queries()) {
            List<EncodedInput> in = fromGguf.pairs(q, documents());
            float[] raw = fromGguf.scoresOf(in, true);
            float[] hf = fromHf.scores(q, documents(), true);
            for (int i = 0; i < in.size(); i++) {
                assertEquals(hf[i], raw[i], 1e-5f, "safetensors against GGUF, (" + q + ", document " + i + ")");
                // node-llama-cpp takes inputs shorter than its context (the model's 512 tokens).
                if (in.get(i).encoding().length() < POSITIONS) {
                    pairs.add(in.get(i).encoding().ids());
                }
            }
        }
        // llama.cpp's BERT adds token type 0 to every token (its graph reads row 0 of the type table),
        // where the tokenizer gives the document type 1: it is checked on the same ids with types 0.
        EmbedOptions cls = EmbedOptions.DEFAULTS.withPooling(Pooling.CLS).withNormalize(false);
        List<EncodedInput> typeZero = new ArrayList<>();
        for (int[] ids : pairs) {
            typeZero.add(fromGguf.encoder().encodeIds(ids, cls));
        }
        for (float x : fromGguf.scoresOf(typeZero, true)) {
            ours.add(x);
        }
        LlamaCpp.Answer answer = LlamaCpp.run(LlamaCpp.Job.tokens(gguf, pairs));
        double worst = 0;
        for (int i = 0; i < pairs.size(); i++) {
            float[] got = answer.tokens().get(i);
            assertEquals(1, got.length, "llama.cpp's rank pooling gives one logit");
            worst = Math.max(worst, Math.abs(got[0] - ours.get(i)));
            // llama.cpp's GELU is the tanh form (read from an F16 table), ours the exact erf form, as
            // transformers computes it: up to ~2e-3 on these logits of size ~1; a head wired wrong is off by ~1.
            assertEquals(got[0], ours.get(i), 5e-3f, "logit of pair " + i);
        }
        System.out.println("tiny cross-encoder against llama.cpp: " + pairs.size() + " pairs, worst |Δ logit| " + worst);
        // The head alone, on llama.cpp's own first-token rows (the same file with CLS pooling): llama.cpp's
        // logits to float precision. What is left above is in the rows: llama.cpp's come out ~0.5 % longer
        // on this random model (cosine ≥ 1 − 1e-7), which moves the logits by up to ~3e-3.
        LlamaCpp.Answer rows = LlamaCpp.run(LlamaCpp.Job.tokens(clsGguf, pairs));
        List<dev.tongyeok.embed.Embedding> ourRows = fromGguf.encoder().embedEncoded(typeZero);
        ClassifierHead head = ClassifierHead.load(fromGguf.encoder().files().weights(), C);
        for (int i = 0; i < pairs.size(); i++) {
            float[] row = rows.tokens().get(i);
            assertEquals(C, row.length);
            assertTrue(LlamaCpp.cosine(row, ourRows.get(i).vector()) >= 1 - 1e-7, "first-token row of pair " + i);
            assertEquals(answer.tokens().get(i)[0], head.logits(row, 1)[0], 1e-5f, "head on llama.cpp's row " + i);
        }
    }

    @Test
    void anXlmRobertaCrossEncoderInBothLayouts() throws Exception {
        Path[] ce = dev.tongyeok.embed.XlmRobertaTest.writeCrossEncoder(tmp.resolve("xlm-r"));
        Reranker fromHf = Reranker.load(ce[0].toString());
        Reranker fromGguf = Reranker.load(ce[1].toString());
        List<String> docs = new ArrayList<>(Fixtures.brown(8));
        docs.add("Der Große Panda ist ein Bär. 大熊猫是熊科的一种。");
        String json = Files.readString(ce[0].resolve("tokenizer.json"));
        List<int[]> pairs = new ArrayList<>();
        List<Float> ours = new ArrayList<>();
        try (HfOracle hf = new HfOracle(json)) {
            for (String q : queries()) {
                List<EncodedInput> a = fromHf.pairs(q, docs);
                List<EncodedInput> b = fromGguf.pairs(q, docs);
                float[] sa = fromHf.scoresOf(a, true);
                float[] sb = fromGguf.scoresOf(b, true);
                for (int i = 0; i < docs.size(); i++) {
                    long[] want = hf.encodePair(q, docs.get(i), true).ids();
                    int[] got = a.get(i).encoding().ids();
                    assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(got), "pair (" + q + ", " + i + ")");
                    assertArrayEquals(got, b.get(i).encoding().ids(), "the GGUF's pair (" + q + ", " + i + ")");
                    assertEquals(sa[i], sb[i], 1e-5f, "safetensors against GGUF");
                    pairs.add(got);
                    ours.add(sb[i]);
                }
            }
        }
        // XLM-R has one token type: llama.cpp reads the same input as the model.
        LlamaCpp.Answer answer = LlamaCpp.run(LlamaCpp.Job.tokens(ce[1], pairs));
        double worst = 0;
        for (int i = 0; i < pairs.size(); i++) {
            worst = Math.max(worst, Math.abs(answer.tokens().get(i)[0] - ours.get(i)));
            assertEquals(answer.tokens().get(i)[0], ours.get(i), 5e-3f, "logit of pair " + i);
        }
        System.out.println("tiny XLM-R cross-encoder against llama.cpp: " + pairs.size() + " pairs, worst |Δ logit| " + worst);
    }

    @Test
    void scoresAreTheSigmoidOfTheLogitAndRankBestFirst() throws Exception {
        Reranker r = Reranker.load(hfDir.toString());
        assertTrue(r.sigmoid());
        List<String> docs = documents();
        float[] raw = r.scores("what is a panda?", docs, true);
        float[] p = r.scores("what is a panda?", docs, false);
        for (int i = 0; i < docs.size(); i++) {
            assertEquals(1 / (1 + Math.exp(-raw[i])), p[i], 1e-6, "document " + i);
        }
        // One pair alone scores as it does among the others.
        assertArrayEquals(new float[] {raw[3]}, r.scores("what is a panda?", List.of(docs.get(3)), true));
        List<Reranker.Ranked> top = r.rank("what is a panda?", docs, 3, false);
        assertEquals(3, top.size());
        for (int i = 0; i + 1 < top.size(); i++) {
            assertTrue(top.get(i).score() >= top.get(i + 1).score());
        }
        float best = 0;
        for (float x : p) {
            best = Math.max(best, x);
        }
        assertEquals(best, top.get(0).score());
        assertEquals(docs.get(top.get(0).index()), top.get(0).document());
        assertEquals(docs.size(), r.rank("q", docs, 0, false).size());
        assertEquals(0, r.scores("q", List.of(), false).length);
    }

    @Test
    void anEmbeddingModelIsNotAReranker() throws Exception {
        ModelException e = assertThrows(ModelException.class, () -> Reranker.of(Embedder.load("all-minilm-l6-v2")));
        assertTrue(e.getMessage().contains("no classification head") && e.getMessage().contains("not a cross-encoder"),
                e.getMessage());
    }
}
