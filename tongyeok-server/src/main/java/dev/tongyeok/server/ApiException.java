package dev.tongyeok.server;

/**
 * A request the server refuses, with what went wrong and where ({@code param}); each API family
 * turns it into its own status code and error body ({@link Api}).
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, which decides the status code. */
    enum Kind {
        /** The body is not JSON. */
        BAD_JSON,
        /** No input, or an empty string. */
        EMPTY,
        /** A field has the wrong type or value, or an input is too long. */
        VALIDATION,
        /** The body is larger than the server takes. */
        TOO_LARGE,
        /** The API key is missing or wrong. */
        UNAUTHORIZED,
        /** No such route. */
        NOT_FOUND,
        /** The {@code model} field names a model this server does not serve. */
        MODEL_NOT_FOUND,
        /** The route exists, not with this method. */
        METHOD_NOT_ALLOWED,
        /** Too many requests in flight. */
        OVERLOADED,
        /** The models are still loading, or the server is shutting down. */
        NOT_READY,
        /** The request waited longer than the per-request timeout. */
        TIMEOUT,
        /** A bug. */
        INTERNAL
    }

    final Kind kind;
    final String param;

    ApiException(Kind kind, String message, String param) {
        super(message, null, false, false);
        this.kind = kind;
        this.param = param;
    }

    ApiException(Kind kind, String message) {
        this(kind, message, null);
    }

    static ApiException invalid(String param, String message) {
        return new ApiException(Kind.VALIDATION, message, param);
    }
}
