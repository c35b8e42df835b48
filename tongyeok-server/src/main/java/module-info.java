/**
 * The HTTP server: OpenAI-, TEI- and Ollama-compatible embedding routes with dynamic batching, the
 * explorer's page, and search over an index ({@link dev.tongyeok.server.EmbeddingServer}).
 */
module dev.tongyeok.server {
    requires transitive dev.tongyeok.core;
    requires dev.tongyeok.search;
    requires org.eclipse.jetty.server;
    requires io.prometheus.metrics.core;
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.model;

    exports dev.tongyeok.server;
}
