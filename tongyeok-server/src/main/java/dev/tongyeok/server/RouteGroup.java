package dev.tongyeok.server;

import java.util.Map;

/**
 * The routes of one API dialect (OpenAI, TEI, Ollama) or of one of tongyeok's own features
 * (inspect, search). {@link EmbeddingServer} lists the groups it serves; a new route is one entry
 * in its group, a new dialect one class and one entry in that list.
 */
interface RouteGroup {
    /** Path to route, in the order the 404 message lists them. */
    Map<String, Route> routes();
}
