package dev.tongyeok.resolve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.model.Pooling;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory's sentence-transformers files decide its pooling and its default prompt, as
 * sentence-transformers reads them: the built-in MiniLM's own files laid out as a directory, with
 * {@code modules.json}, {@code 1_Pooling/config.json} and {@code config_sentence_transformers.json}
 * beside them, against the built-in model with the same options given explicitly.
 */
class SentenceTransformersFilesTest {
    @TempDir
    Path dir;

    static final String TEXT = "The jury further said in term-end presentments that the City Executive Committee "
            + "deserves praise.";

    static void layOut(Path dir, String poolingConfig, String stConfig) throws Exception {
        BuiltinModel m = BuiltinModel.defaultModel();
        Files.createSymbolicLink(dir.resolve("model.onnx"), m.onnxFile());
        try (InputStream in = BuiltinModel.class.getClassLoader().getResourceAsStream(m.tokenizerResource())) {
            Files.write(dir.resolve("tokenizer.json"), in.readAllBytes());
        }
        Files.writeString(dir.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                 {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
                """);
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), poolingConfig);
        if (stConfig != null) {
            Files.writeString(dir.resolve("config_sentence_transformers.json"), stConfig);
        }
    }

    static String pooling(String mode) {
        StringBuilder b = new StringBuilder("{\"word_embedding_dimension\": 384");
        for (Pooling p : Pooling.values()) {
            if (p.configKey() != null) {
                b.append(", \"").append(p.configKey()).append("\": ").append(p.configKey().equals(mode));
            }
        }
        return b.append('}').toString();
    }

    @Test
    void everyPoolingModeIsReadAndComputed() throws Exception {
        Embedder builtin = Embedder.load("all-minilm-l6-v2");
        for (Pooling p : Pooling.values()) {
            if (p == Pooling.NONE) {
                continue;
            }
            Path d = Files.createDirectories(dir.resolve(p.name()));
            layOut(d, pooling(p.configKey()), null);
            Embedder e = Embedder.load(d.toString());
            assertEquals(p, e.defaultPooling(), p.configKey());
            assertArrayEquals(builtin.embed(List.of(TEXT), EmbedOptions.DEFAULTS.withPooling(p)).get(0).vector(),
                    e.embed(TEXT), p + ": the directory's default is the built-in model under that pooling");
        }
    }

    @Test
    void severalModesAtOnceAreRefused() throws Exception {
        layOut(dir, "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": true}", null);
        ModelException e = assertThrows(ModelException.class, () -> Embedder.load(dir.toString()));
        assertTrue(e.getMessage().contains("1_Pooling/config.json: turns on 2 pooling modes at once (mean, cls)"),
                e.getMessage());
    }

    @Test
    void theDefaultPromptNameApplies() throws Exception {
        layOut(dir, pooling("pooling_mode_mean_tokens"), """
                {"prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": "query"}
                """);
        Embedder e = Embedder.load(dir.toString());
        assertEquals("query: ", e.files().defaultPrompt());
        Embedder builtin = Embedder.load("all-minilm-l6-v2");
        assertArrayEquals(builtin.embed(List.of(TEXT), EmbedOptions.DEFAULTS.withPrompt("query: ")).get(0).vector(),
                e.embed(TEXT), "no prompt given: the default prompt");
        assertArrayEquals(builtin.embed(TEXT), e.embed(List.of(TEXT), EmbedOptions.DEFAULTS.withPrompt("")).get(0)
                .vector(), "an empty prompt given: none");
        assertEquals("", builtin.files().defaultPrompt(), "the built-in models have no default prompt");
    }

    @Test
    void anUnknownDefaultPromptNameIsRefused() throws Exception {
        layOut(dir, pooling("pooling_mode_mean_tokens"),
                "{\"prompts\": {\"query\": \"query: \"}, \"default_prompt_name\": \"doc\"}");
        ModelException e = assertThrows(ModelException.class, () -> Embedder.load(dir.toString()));
        assertTrue(e.getMessage().contains("default_prompt_name 'doc' is not among its prompts (query)"), e.getMessage());
    }
}
