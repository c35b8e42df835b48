package dev.tongyeok.bench;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.EncodedInput;
import dev.tongyeok.load.SafetensorsWriter;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.rerank.Reranker;
import dev.tongyeok.tokenize.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Reranking throughput: one query against 100 documents of ~200 tokens (Brown sentences joined),
 * through a cross-encoder at cross-encoder/ms-marco-MiniLM-L-6-v2's shape (MiniLM's vocabulary and
 * tokenizer, 6 layers of 384, random weights: the work per pair is the real model's), reported as
 * pairs/s against the same encoder embedding the same 100 query-and-document texts (the same
 * tokens, one sequence each): reranking should cost what embedding costs.
 */
final class RerankBench {
    static final int C = 384;
    static final int L = 6;
    static final int I = 1536;
    static final int V = 30522;
    static final int DOCUMENTS = 100;
    static final int DOCUMENT_TOKENS = 200;

    private RerankBench() {}

    static void run(int rounds) throws Exception {
        Path dir = Files.createTempDirectory("tongyeok-rerank-bench");
        writeModel(dir);
        Reranker reranker = Reranker.load(dir.toString());
        Embedder embedder = reranker.encoder();
        String query = "what did the jury say about the election?";
        List<String> docs = documents(embedder);
        List<String> joined = new ArrayList<>();
        for (String d : docs) {
            joined.add(query + " " + d);
        }
        EmbedOptions cls = EmbedOptions.DEFAULTS.withPooling(Pooling.CLS).withNormalize(false);
        int pairTokens = 0;
        for (EncodedInput p : reranker.pairs(query, docs)) {
            pairTokens += p.encoding().length();
        }
        PerfBench.log("  rerank: %d documents, %d pair tokens in all", docs.size(), pairTokens);
        double[] pairs = new double[rounds];
        double[] texts = new double[rounds];
        for (int round = -1; round < rounds; round++) {
            long t0 = System.nanoTime();
            reranker.scores(query, docs, false);
            double p = docs.size() / ((System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            embedder.embed(joined, cls);
            double t = joined.size() / ((System.nanoTime() - t0) / 1e9);
            PerfBench.log("  rerank round %d: %.1f pairs/s, embedding the same texts %.1f texts/s", round, p, t);
            if (round >= 0) {
                pairs[round] = p;
                texts[round] = t;
            }
        }
        double p = PerfBench.median(pairs);
        double t = PerfBench.median(texts);
        PerfBench.ROWS.add(new PerfBench.Row("rerank, 100 documents of ~200 tokens, MiniLM-L6 cross-encoder shape, "
                + "pairs/s vs embedding the same texts/s", PerfBench.fmt(p), PerfBench.fmt(t), p / t, "≥ 0.95×",
                p / t >= 0.95));
    }

    // Documents of about DOCUMENT_TOKENS tokens each: consecutive Brown sentences joined.
    static List<String> documents(Embedder e) {
        List<String> sentences = Fixtures.brown(4000);
        List<String> docs = new ArrayList<>();
        StringBuilder doc = new StringBuilder();
        for (String s : sentences) {
            doc.append(doc.isEmpty() ? "" : " ").append(s);
            if (e.tokenizer().countTokens(doc.toString()) >= DOCUMENT_TOKENS) {
                docs.add(doc.toString());
                doc.setLength(0);
                if (docs.size() == DOCUMENTS) {
                    break;
                }
            }
        }
        return docs;
    }

    static void writeModel(Path dir) throws Exception {
        Random r = new Random(3);
        Map<String, SafetensorsWriter.Entry> t = new LinkedHashMap<>();
        put(t, r, "bert.embeddings.word_embeddings.weight", V, C);
        put(t, r, "bert.embeddings.position_embeddings.weight", 512, C);
        put(t, r, "bert.embeddings.token_type_embeddings.weight", 2, C);
        norm(t, r, "bert.embeddings.LayerNorm");
        for (int l = 0; l < L; l++) {
            String p = "bert.encoder.layer." + l + ".";
            for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense"}) {
                put(t, r, p + m + ".weight", C, C);
                put(t, r, p + m + ".bias", C);
            }
            norm(t, r, p + "attention.output.LayerNorm");
            put(t, r, p + "intermediate.dense.weight", I, C);
            put(t, r, p + "intermediate.dense.bias", I);
            put(t, r, p + "output.dense.weight", C, I);
            put(t, r, p + "output.dense.bias", C);
            norm(t, r, p + "output.LayerNorm");
        }
        put(t, r, "bert.pooler.dense.weight", C, C);
        put(t, r, "bert.pooler.dense.bias", C);
        put(t, r, "classifier.weight", 1, C);
        put(t, r, "classifier.bias", 1);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), t);
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["BertForSequenceClassification"], "model_type": "bert", "vocab_size": %d,
                 "hidden_size": %d, "num_hidden_layers": %d, "num_attention_heads": 12, "intermediate_size": %d,
                 "hidden_act": "gelu", "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12}
                """.formatted(V, C, L, I));
        // LangChain4j's copy of the tokenizer pads and cuts at 128; the model's own does neither.
        var tok = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Fixtures.tokenizerJson("all-minilm-l6-v2"));
        tok.putNull("truncation");
        tok.putNull("padding");
        Files.writeString(dir.resolve("tokenizer.json"), tok.toString());
    }

    private static void put(Map<String, SafetensorsWriter.Entry> t, Random r, String name, int... shape) {
        int n = 1;
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            n *= shape[i];
            s[i] = shape[i];
        }
        float[] v = new float[n];
        double scale = shape.length == 2 ? 1 / Math.sqrt(shape[1]) : 0.1;
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        t.put(name, new SafetensorsWriter.Entry(s, v));
    }

    private static void norm(Map<String, SafetensorsWriter.Entry> t, Random r, String name) {
        float[] g = new float[C];
        for (int i = 0; i < C; i++) {
            g[i] = (float) (1 + 0.1 * r.nextGaussian());
        }
        t.put(name + ".weight", new SafetensorsWriter.Entry(new long[] {C}, g));
        put(t, r, name + ".bias", C);
    }
}
