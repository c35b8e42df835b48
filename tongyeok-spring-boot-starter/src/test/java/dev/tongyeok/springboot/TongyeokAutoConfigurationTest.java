package dev.tongyeok.springboot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.rerank.Reranker;
import dev.tongyeok.rerank.RerankerTest;
import dev.tongyeok.springai.TongyeokDocumentReranker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** The starter in a Spring Boot application: the dependency and its properties are the whole setup. */
class TongyeokAutoConfigurationTest {
    @TempDir
    Path dir;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class AppWithItsOwnModel {
        static final EmbeddingModel OWN = new dev.tongyeok.springai.TongyeokEmbeddingModel("all-minilm-l6-v2");

        @Bean
        EmbeddingModel embeddingModel() {
            return OWN;
        }
    }

    static ConfigurableApplicationContext run(Class<?> app, String... args) {
        SpringApplication a = new SpringApplication(app);
        a.setWebApplicationType(WebApplicationType.NONE);
        return a.run(args);
    }

    @Test
    void anEmbeddingModelFromThePropertiesAlone() throws Exception {
        Embedder lib = Embedder.load("all-minilm-l6-v2");
        String text = "I love you so much.";
        try (ConfigurableApplicationContext ctx = run(App.class)) {
            EmbeddingModel model = ctx.getBean(EmbeddingModel.class);
            assertArrayEquals(lib.embed(text), model.embed(text));
            assertEquals(384, model.dimensions());
        }
        try (ConfigurableApplicationContext ctx = run(App.class, "--spring.ai.tongyeok.embedding.model=e5-small-v2",
                "--spring.ai.tongyeok.embedding.options.dimensions=128",
                "--spring.ai.tongyeok.embedding.options.prompt=query: ")) {
            float[] want = Embedder.load("e5-small-v2").embed(List.of(text),
                    EmbedOptions.DEFAULTS.withDimensions(128).withPrompt("query: ")).get(0).vector();
            assertArrayEquals(want, ctx.getBean(EmbeddingModel.class).embed(text));
        }
    }

    @Test
    void theApplicationsOwnModelWins() {
        try (ConfigurableApplicationContext ctx = run(AppWithItsOwnModel.class)) {
            assertSame(AppWithItsOwnModel.OWN, ctx.getBean(EmbeddingModel.class));
            assertTrue(ctx.getBeansOfType(TongyeokDocumentReranker.class).isEmpty(), "no reranker unless one is named");
        }
    }

    @Test
    void aRerankerWhenACrossEncoderIsNamed() throws Exception {
        Path model = RerankerTest.writeModels(dir)[0];
        try (ConfigurableApplicationContext ctx = run(App.class, "--spring.ai.tongyeok.rerank.model=" + model,
                "--spring.ai.tongyeok.rerank.top-n=1")) {
            DocumentPostProcessor reranker = ctx.getBean(DocumentPostProcessor.class);
            List<String> texts = List.of("The giant panda is a bear.", "Cats sleep a lot.");
            List<Document> out = reranker.process(new Query("what is a panda?"),
                    List.of(Document.builder().text(texts.get(0)).build(), Document.builder().text(texts.get(1)).build()));
            Reranker.Ranked best = Reranker.load(model.toString()).rank("what is a panda?", texts, 1, false).get(0);
            assertEquals(1, out.size());
            assertEquals(best.document(), out.get(0).getText());
            assertEquals((double) best.score(), out.get(0).getScore());
        }
    }
}
