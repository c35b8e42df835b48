package dev.tongyeok.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * One route: its method, whether it takes one of the concurrency slots (routes that compute), and
 * what it does with the parsed body (null for GET).
 */
record Route(Method method, boolean heavy, Function<ObjectNode, Reply> action) {
    /** The methods routes take (OPTIONS is the front's, for CORS preflights). */
    enum Method { GET, POST }

    /** A POST route that computes. */
    static Route heavyPost(Function<ObjectNode, Reply> action) {
        return new Route(Method.POST, true, action);
    }

    /** A GET route that only reads state. */
    static Route get(java.util.function.Supplier<Reply> action) {
        return new Route(Method.GET, false, body -> action.get());
    }
}
