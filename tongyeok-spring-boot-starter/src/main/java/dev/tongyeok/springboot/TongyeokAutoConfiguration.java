package dev.tongyeok.springboot;

import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.rerank.Reranker;
import dev.tongyeok.springai.TongyeokDocumentReranker;
import dev.tongyeok.springai.TongyeokEmbeddingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot's auto-configuration for tongyeok: an {@link EmbeddingModel} on the model
 * {@code spring.ai.tongyeok.embedding.model} names (unless the application defines one), and a
 * {@link DocumentPostProcessor} reranker when {@code spring.ai.tongyeok.rerank.model} names a
 * cross-encoder. Adding the starter to the build is the whole setup.
 */
@AutoConfiguration
@EnableConfigurationProperties(TongyeokProperties.class)
public class TongyeokAutoConfiguration {

    /** The embedding model, with the configured dimensions and prompt. */
    @Bean
    @ConditionalOnMissingBean(EmbeddingModel.class)
    public TongyeokEmbeddingModel tongyeokEmbeddingModel(TongyeokProperties properties) {
        TongyeokProperties.Embedding e = properties.getEmbedding();
        EmbedOptions options = EmbedOptions.DEFAULTS.withPrompt(e.getOptions().getPrompt());
        if (e.getOptions().getDimensions() != null) {
            options = options.withDimensions(e.getOptions().getDimensions());
        }
        try {
            return new TongyeokEmbeddingModel(Embedder.load(e.getModel()), options, MetadataMode.NONE);
        } catch (IOException ex) {
            throw new UncheckedIOException("spring.ai.tongyeok.embedding.model=" + e.getModel() + ": " + ex.getMessage(),
                    ex);
        }
    }

    /** The reranker, when a cross-encoder is configured. */
    @Bean
    @ConditionalOnProperty(prefix = "spring.ai.tongyeok.rerank", name = "model")
    @ConditionalOnMissingBean(TongyeokDocumentReranker.class)
    public TongyeokDocumentReranker tongyeokDocumentReranker(TongyeokProperties properties) {
        TongyeokProperties.Rerank r = properties.getRerank();
        try {
            return new TongyeokDocumentReranker(Reranker.load(r.getModel()), r.getTopN());
        } catch (IOException ex) {
            throw new UncheckedIOException("spring.ai.tongyeok.rerank.model=" + r.getModel() + ": " + ex.getMessage(), ex);
        }
    }
}
