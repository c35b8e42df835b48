package dev.tongyeok.server;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response about to be written: status, content type, body and extra headers. */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";

    static Reply json(int status, byte[] body, Map<String, String> headers) {
        return new Reply(status, JSON, body, headers);
    }

    static Reply json(byte[] body) {
        return new Reply(200, JSON, body, new LinkedHashMap<>());
    }

    static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
    }
}
