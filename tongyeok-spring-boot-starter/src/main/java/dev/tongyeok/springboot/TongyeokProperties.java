package dev.tongyeok.springboot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's settings, in Spring AI's style:
 * <pre>
 * spring.ai.tongyeok.embedding.model=all-minilm-l6-v2        # any model tongyeok loads (default: the built-in MiniLM)
 * spring.ai.tongyeok.embedding.options.dimensions=256        # Matryoshka: the first N dimensions, renormalized
 * spring.ai.tongyeok.embedding.options.prompt=query:\u0020   # put before every text (E5's "query: ")
 * spring.ai.tongyeok.rerank.model=cross-encoder/ms-marco-MiniLM-L-6-v2   # a cross-encoder: a DocumentPostProcessor too
 * spring.ai.tongyeok.rerank.top-n=5                          # keep the N best (default: all)
 * </pre>
 */
@ConfigurationProperties(prefix = "spring.ai.tongyeok")
public class TongyeokProperties {
    private final Embedding embedding = new Embedding();
    private final Rerank rerank = new Rerank();

    public Embedding getEmbedding() {
        return embedding;
    }

    public Rerank getRerank() {
        return rerank;
    }

    /** {@code spring.ai.tongyeok.embedding.*}. */
    public static class Embedding {
        private String model = "all-minilm-l6-v2";
        private final Options options = new Options();

        public String getModel() {
            return model;
        }

        public void setModel(String model) {
            this.model = model;
        }

        public Options getOptions() {
            return options;
        }
    }

    /** {@code spring.ai.tongyeok.embedding.options.*}. */
    public static class Options {
        private Integer dimensions;
        private String prompt;

        public Integer getDimensions() {
            return dimensions;
        }

        public void setDimensions(Integer dimensions) {
            this.dimensions = dimensions;
        }

        public String getPrompt() {
            return prompt;
        }

        public void setPrompt(String prompt) {
            this.prompt = prompt;
        }
    }

    /** {@code spring.ai.tongyeok.rerank.*}. */
    public static class Rerank {
        private String model;
        private int topN;

        public String getModel() {
            return model;
        }

        public void setModel(String model) {
            this.model = model;
        }

        public int getTopN() {
            return topN;
        }

        public void setTopN(int topN) {
            this.topN = topN;
        }
    }
}
