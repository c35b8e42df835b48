package dev.tongyeok.embed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One model family's tiny random-weight model as its tests write it: the Hugging Face layout
 * ({@code config.json}, {@code tokenizer.json}, {@code model.safetensors}) and, for the families
 * llama.cpp runs, the GGUF llama.cpp's converter writes for the same weights.
 *
 * @param family the family's name
 * @param safetensors the model directory
 * @param gguf the GGUF file, or null for a family without one
 * @param text a text the model's vocabulary covers
 */
public record TinyModel(String family, Path safetensors, Path gguf, String text) {

    /** Every encoder family's tiny model, each in a folder of its own under {@code dir}. */
    public static List<TinyModel> all(Path dir) throws Exception {
        List<TinyModel> out = new ArrayList<>();
        out.add(XlmRobertaTest.writeModels(sub(dir, "xlm-roberta")));
        out.add(NomicBertTest.writeModels(sub(dir, "nomic")));
        out.add(JinaBertTest.writeModels(sub(dir, "jina")));
        out.add(ModernBertTest.writeModels(sub(dir, "modernbert")));
        out.add(GemmaEmbeddingTest.writeModels(sub(dir, "gemma")));
        out.add(dev.tongyeok.model.mpnet.MpnetTest.writeModels(sub(dir, "mpnet")));
        out.add(dev.tongyeok.model.gte.GteTest.writeModels(sub(dir, "gte")));
        return out;
    }

    private static Path sub(Path dir, String name) throws java.io.IOException {
        return java.nio.file.Files.createDirectories(dir.resolve(name));
    }
}
