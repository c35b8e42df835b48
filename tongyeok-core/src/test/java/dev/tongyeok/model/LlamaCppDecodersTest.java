package dev.tongyeok.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.model.registry.ModelFamilies;
import dev.tongyeok.oracle.LlamaCpp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every decoder family against llama.cpp: the tiny random-weight models of {@link DecoderModelsTest},
 * written as llama.cpp's converter writes them, run by llama.cpp (npm node-llama-cpp) and by us on
 * the same token ids; the last token's final hidden state (llama.cpp's embedding for a model without
 * a pooling type) must agree.
 */
public class LlamaCppDecodersTest {
    static final List<String> FAMILIES = List.of("llama", "qwen2", "qwen3", "gpt2", "falcon", "falcon-new");
    static final double COSINE = 0.99999;

    @TempDir
    Path tmp;

    @Test
    void everyDecoderFamilyAgreesWithLlamaCpp() throws Exception {
        List<LlamaCpp.Job> jobs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String family : FAMILIES) {
            Path file = DecoderModelsTest.writeGguf(DecoderModelsTest.spec(family), false,
                    Files.createDirectories(tmp.resolve(family)));
            files.add(file);
            jobs.add(LlamaCpp.Job.tokens(file, Arrays.asList(DecoderModelsTest.SEQUENCES)));
        }
        List<LlamaCpp.Answer> answers = LlamaCpp.run(jobs);
        List<String> report = new ArrayList<>();
        for (int f = 0; f < FAMILIES.size(); f++) {
            GgufFile gguf = GgufFile.read(files.get(f));
            Transformer ours = ModelFamilies.load(ModelFamilies.ggufWeights(gguf), ModelFamilies.ggufConfig(gguf));
            int c = ours.config().hidden_size();
            for (int s = 0; s < DecoderModelsTest.SEQUENCES.length; s++) {
                int[] seq = DecoderModelsTest.SEQUENCES[s];
                float[] hidden = DecoderModelsTest.run(ours, new int[][] {seq});
                float[] last = Arrays.copyOfRange(hidden, (seq.length - 1) * c, seq.length * c);
                float[] theirs = answers.get(f).tokens().get(s);
                assertEquals(c, theirs.length, FAMILIES.get(f) + ": llama.cpp's embedding width");
                double cos = LlamaCpp.cosine(last, theirs);
                report.add(FAMILIES.get(f) + " seq " + s + ": cosine " + cos);
                assertTrue(cos >= COSINE, FAMILIES.get(f) + " sequence " + Arrays.toString(seq)
                        + ": cosine with llama.cpp " + cos + "\n" + String.join("\n", report));
            }
        }
        System.out.println(String.join("\n", report));
    }
}
