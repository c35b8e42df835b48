package dev.tongyeok.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP side of every request: route lookup, method, API key, CORS, body size, the bound on
 * requests in flight, error bodies in the route's API family's shape, and metrics. Handlers run on
 * virtual threads and may block; nothing a client sends can make this handler throw.
 */
final class HttpFront extends Handler.Abstract {
    private final ServerOptions options;
    private final Metrics metrics;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Semaphore slots;
    private final byte[] apiKey;

    HttpFront(ServerOptions options, Metrics metrics, List<RouteGroup> groups) {
        this.options = options;
        this.metrics = metrics;
        this.slots = new Semaphore(options.maxConcurrentRequests());
        this.apiKey = options.apiKey() == null ? null : sha256(options.apiKey()); // its digest: see checkKey
        for (RouteGroup g : groups) {
            for (Map.Entry<String, Route> r : g.routes().entrySet()) {
                if (routes.put(r.getKey(), r.getValue()) != null) {
                    throw new IllegalStateException("two route groups serve " + r.getKey());
                }
            }
        }
        routes.put("/metrics", Route.get(this::metrics));
        for (Map.Entry<String, String> a : EXPLORER.entrySet()) {
            Reply asset = asset(a.getValue());
            routes.put(a.getKey(), Route.get(() -> asset));
        }
    }

    /** The explorer's files, served from the classpath: route to file name and content type. */
    private static final Map<String, String> EXPLORER = Map.of(
            "/", "index.html",
            "/explorer.js", "explorer.js",
            "/explorer.css", "explorer.css");

    /**
     * Routes without an API key: probes must reach {@code /health}; the explorer's files hold no
     * data and ask for the key themselves when the API answers 401.
     */
    private static final Set<String> OPEN = Set.of("/health", "/", "/explorer.js", "/explorer.css");

    /**
     * One explorer file as a reply. Its Content-Security-Policy lets the page load nothing but this
     * server's own files, so the explorer works offline and cannot leak what people type.
     */
    private static Reply asset(String file) {
        String type = file.endsWith(".html") ? "text/html; charset=utf-8"
                : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        byte[] bytes;
        try (InputStream in = HttpFront.class.getResourceAsStream("explorer/" + file)) {
            if (in == null) {
                throw new IllegalStateException("explorer/" + file + " is missing from the classpath");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-cache");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
        return new Reply(200, type, bytes, java.util.Collections.unmodifiableMap(headers));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long t0 = System.nanoTime();
        String path = Request.getPathInContext(request);
        Route route = routes.get(path);
        String label = route != null ? path : "other";
        Api api = Api.of(path);
        Reply reply;
        boolean slot = false;
        try {
            String origin = request.getHeaders().get(HttpHeader.ORIGIN);
            String allowed = allowedOrigin(origin);
            if (allowed != null) {
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
                response.getHeaders().put(HttpHeader.VARY, "Origin");
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS,
                        "X-Tongyeok-Truncated-Count, X-Tongyeok-Truncated-Inputs, X-Tongyeok-Original-Tokens, "
                                + "X-Tongyeok-Kept-Tokens, Retry-After");
            }
            if (request.getMethod().equals("OPTIONS")) {
                reply = preflight(route, allowed);
            } else {
                reply = dispatch(request, path, route, api);
                slot = reply == null;
                if (slot) {
                    try {
                        reply = run(request, route);
                    } finally {
                        slots.release();
                        metrics.inFlight.dec();
                    }
                }
            }
        } catch (ApiException e) {
            reply = error(api, path, e);
        } catch (RuntimeException | Error e) {
            // A bug, not the client's fault: say so without a stack trace, keep serving.
            System.err.println("tongyeok serve: internal error on " + request.getMethod() + " " + path + ": " + e);
            reply = error(api, path, new ApiException(ApiException.Kind.INTERNAL, "internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : "")));
        }
        send(response, callback, reply);
        metrics.requests.labelValues(label, Integer.toString(reply.status())).inc();
        metrics.latency.labelValues(label).observe((System.nanoTime() - t0) / 1e9);
        return true;
    }

    /**
     * Checks route, method and key, and takes a concurrency slot for heavy routes; null means go on
     * (with a slot taken for heavy routes).
     */
    private Reply dispatch(Request request, String path, Route route, Api api) {
        // The key first: without it, an unknown route gets 401 like a known one, so routes cannot be listed.
        if (apiKey != null && !OPEN.contains(path)) {
            checkKey(request);
        }
        if (route == null) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "no route " + request.getMethod() + " " + path
                    + " (routes: " + String.join(", ", routes.keySet()) + ")");
        }
        if (!request.getMethod().equals(route.method().name())) {
            throw new ApiException(ApiException.Kind.METHOD_NOT_ALLOWED, path + " takes " + route.method()
                    + ", not " + request.getMethod());
        }
        if (route.heavy()) {
            if (!slots.tryAcquire()) {
                throw new ApiException(ApiException.Kind.OVERLOADED, "the server has "
                        + options.maxConcurrentRequests() + " requests in flight (--max-concurrent-requests); "
                        + "retry after a second");
            }
            metrics.inFlight.inc();
        }
        return route.heavy() ? null : run(request, route);
    }

    /**
     * One {@code Authorization} header, scheme {@code Bearer} in any case (HTTP's schemes are
     * case-insensitive), and the key; compared as SHA-256 digests, in time that depends on neither
     * the key's content nor its length.
     */
    private void checkKey(Request request) {
        java.util.List<String> auth = request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
        if (auth.isEmpty()) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "missing API key: send 'Authorization: Bearer <key>'");
        }
        if (auth.size() > 1) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "more than one Authorization header; send one");
        }
        String a = auth.get(0).strip();
        int space = a.indexOf(' ');
        boolean bearer = space > 0 && a.substring(0, space).equalsIgnoreCase("Bearer");
        byte[] given = sha256(bearer ? a.substring(space + 1).strip() : "");
        if (!MessageDigest.isEqual(apiKey, given) || !bearer) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "wrong API key");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Reply run(Request request, Route route) {
        ObjectNode body = route.method() == Route.Method.POST ? Fields.object(body(request)) : null;
        return route.action().apply(body);
    }

    private byte[] body(Request request) {
        long max = options.maxBodyBytes();
        long declared = request.getLength();
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > max) {
                throw tooLarge(in, declared <= 4 * max ? declared : 0, "the body has " + declared
                        + " bytes, more than the " + max + " this server takes (--max-body-size)");
            }
            byte[] b = in.readNBytes((int) max + 1);
            if (b.length > max) {
                throw tooLarge(in, 4 * max - b.length, "the body is longer than the " + max
                        + " bytes this server takes (--max-body-size)");
            }
            return b;
        } catch (IOException e) {
            throw new ApiException(ApiException.Kind.BAD_JSON, "the body could not be read: " + e.getMessage());
        }
    }

    /**
     * The refusal of a body over --max-body-size, after reading and dropping up to {@code drain} more
     * bytes of it. Closing with a body unread resets the connection, and a client still writing can
     * lose the reply; so a body of up to four times the limit is read to its end first (the callers
     * count what they already read against that bound). A longer one stays unread: draining it would
     * let one request hold a thread for as long as it cares to write.
     */
    private static ApiException tooLarge(InputStream in, long drain, String message) {
        byte[] sink = new byte[8192];
        try {
            for (long left = drain; left > 0; ) {
                int n = in.read(sink, 0, (int) Math.min(sink.length, left));
                if (n < 0) {
                    break;
                }
                left -= n;
            }
        } catch (IOException e) {
            // the refusal stands either way
        }
        return new ApiException(ApiException.Kind.TOO_LARGE, message);
    }

    private String allowedOrigin(String origin) {
        if (origin == null || options.corsOrigins().isEmpty()) {
            return null;
        }
        if (options.corsOrigins().contains("*")) {
            return "*";
        }
        return options.corsOrigins().contains(origin) ? origin : null;
    }

    private Reply preflight(Route route, String allowed) {
        Reply r = new Reply(204, null, new byte[0], new LinkedHashMap<>());
        r.headers().put("Allow", (route == null ? "GET, POST" : route.method().name()) + ", OPTIONS");
        if (allowed != null) {
            r.headers().put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            r.headers().put("Access-Control-Allow-Headers", "Authorization, Content-Type");
            r.headers().put("Access-Control-Max-Age", "600");
        }
        return r;
    }

    private Reply metrics() {
        try {
            return new Reply(200, metrics.contentType(), metrics.scrape(), new LinkedHashMap<>());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Reply error(Api api, String path, ApiException e) {
        Reply r = Reply.json(api.status(e.kind), JsonOut.bytes(api.body(e)), new LinkedHashMap<>());
        switch (e.kind) {
            case OVERLOADED, TIMEOUT, NOT_READY -> r.headers().put("Retry-After", "1");
            case UNAUTHORIZED -> r.headers().put("WWW-Authenticate", "Bearer");
            case METHOD_NOT_ALLOWED -> r.headers().put("Allow", routes.get(path).method().name() + ", OPTIONS");
            default -> {
            }
        }
        return r;
    }

    private static void send(Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        if (reply.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        }
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }
}
