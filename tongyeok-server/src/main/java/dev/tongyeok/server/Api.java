package dev.tongyeok.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The three API families the server speaks, each with its own status codes and error body:
 * OpenAI ({@code {"error":{"message","type","param","code"}}}), HuggingFace text-embeddings-inference
 * ({@code {"error","error_type"}}, also used by tongyeok's own routes), and Ollama ({@code {"error"}}).
 */
enum Api {
    OPENAI, TEI, OLLAMA;

    /** The family a path belongs to. */
    static Api of(String path) {
        return path.startsWith("/v1/") ? OPENAI : path.startsWith("/api/") ? OLLAMA : TEI;
    }

    /** The status code for a failure of {@code kind}. */
    int status(ApiException.Kind kind) {
        return switch (kind) {
            case BAD_JSON, EMPTY -> 400;
            case VALIDATION -> this == TEI ? 422 : 400;
            case TOO_LARGE -> 413;
            case UNAUTHORIZED -> 401;
            case NOT_FOUND, MODEL_NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case OVERLOADED -> 429;
            case NOT_READY, TIMEOUT -> 503;
            case INTERNAL -> 500;
        };
    }

    /** The error body for {@code e}. */
    ObjectNode body(ApiException e) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        switch (this) {
            case OPENAI -> {
                ObjectNode err = root.putObject("error");
                err.put("message", e.getMessage());
                err.put("type", switch (e.kind) {
                    case UNAUTHORIZED -> "authentication_error";
                    case OVERLOADED -> "rate_limit_error";
                    case NOT_READY, TIMEOUT, INTERNAL -> "server_error";
                    default -> "invalid_request_error";
                });
                if (e.param != null) {
                    err.put("param", e.param);
                } else {
                    err.putNull("param");
                }
                String code = switch (e.kind) {
                    case BAD_JSON -> "invalid_json";
                    case UNAUTHORIZED -> "invalid_api_key";
                    case MODEL_NOT_FOUND -> "model_not_found";
                    case TOO_LARGE -> "request_too_large";
                    case TIMEOUT -> "timeout";
                    default -> null;
                };
                if (code != null) {
                    err.put("code", code);
                } else {
                    err.putNull("code");
                }
            }
            case TEI -> {
                root.put("error", e.getMessage());
                root.put("error_type", switch (e.kind) {
                    case BAD_JSON, VALIDATION, TOO_LARGE -> "validation";
                    case EMPTY -> "empty";
                    case UNAUTHORIZED -> "unauthorized";
                    case NOT_FOUND, MODEL_NOT_FOUND, METHOD_NOT_ALLOWED -> "not_found";
                    case OVERLOADED -> "overloaded";
                    case NOT_READY, TIMEOUT -> "unhealthy";
                    case INTERNAL -> "backend";
                });
            }
            case OLLAMA -> root.put("error", e.getMessage());
        }
        return root;
    }
}
