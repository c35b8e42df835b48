/** tongyeok as a LangChain4j {@code EmbeddingModel} and {@code TokenCountEstimator}. */
module dev.tongyeok.langchain4j {
    requires transitive dev.tongyeok.core;
    requires transitive langchain4j.core;

    exports dev.tongyeok.langchain4j;
}
