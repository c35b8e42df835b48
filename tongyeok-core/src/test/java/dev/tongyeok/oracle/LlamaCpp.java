package dev.tongyeok.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * llama.cpp as an oracle: GGUF files run through npm {@code node-llama-cpp} (its prebuilt CPU
 * binaries, installed by {@code scripts/fixtures.sh}) by {@code src/test/node/llama-oracle.mjs},
 * one child process for a list of models. llama.cpp is an independent engine: its tokenizers and
 * forward passes share no code with ours, so agreeing with it checks both our reading of the file
 * and our arithmetic.
 */
public final class LlamaCpp {
    private LlamaCpp() {}

    /** What to ask of one model file: texts to tokenize and embed, and token sequences to embed as given. */
    public record Job(Path file, List<String> texts, List<int[]> tokens, boolean vocabOnly) {
        public Job(Path file, List<String> texts, List<int[]> tokens) {
            this(file, texts, tokens, false);
        }

        public static Job texts(Path file, List<String> texts) {
            return new Job(file, texts, List.of());
        }

        public static Job tokens(Path file, List<int[]> tokens) {
            return new Job(file, List.of(), tokens);
        }

        /** Only the texts' token ids, from the file's vocabulary alone (llama.cpp's vocab_only; no tensors needed). */
        public static Job tokenize(Path file, List<String> texts) {
            return new Job(file, texts, List.of(), true);
        }
    }

    /**
     * llama.cpp's answer for one job: its vocabulary type, each text's tokens as it feeds them to an
     * embedding (its start and end tokens included), and the embeddings of the texts and of the
     * token sequences, pooled as the file says (without a pooling type: the last token's hidden state).
     */
    public record Answer(String vocabularyType, List<int[]> tokenized, List<float[]> texts, List<float[]> tokens) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Answer run(Job job) {
        return run(List.of(job)).get(0);
    }

    public static List<Answer> run(List<Job> jobs) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode models = root.putArray("models");
        for (Job j : jobs) {
            ObjectNode m = models.addObject();
            m.put("file", j.file().toAbsolutePath().toString());
            m.put("vocabOnly", j.vocabOnly());
            ArrayNode texts = m.putArray("texts");
            j.texts().forEach(texts::add);
            ArrayNode tokens = m.putArray("tokens");
            for (int[] ids : j.tokens()) {
                ArrayNode a = tokens.addArray();
                for (int id : ids) {
                    a.add(id);
                }
            }
        }
        JsonNode answer = NodeScript.run("llama-oracle.mjs", "node-llama-cpp", root);
        List<Answer> result = new ArrayList<>();
        for (JsonNode m : answer.get("models")) {
            result.add(new Answer(m.get("vocabularyType").asText(), NodeScript.ints(m.get("tokenized")),
                    floats(m.get("texts")), floats(m.get("tokens"))));
        }
        return result;
    }

    private static List<float[]> floats(JsonNode rows) {
        List<float[]> out = new ArrayList<>();
        for (JsonNode r : rows) {
            float[] a = new float[r.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.get(i).asDouble();
            }
            out.add(a);
        }
        return out;
    }

    /** Cosine of two vectors, in double. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths " + a.length + " and " + b.length);
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
