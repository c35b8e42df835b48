package dev.tongyeok.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads request bodies: JSON parse errors with line and column, and typed fields whose errors name
 * the field and say what was expected and what was found.
 */
final class Fields {
    static final ObjectMapper JSON = new ObjectMapper();

    private Fields() {
    }

    /** One input: a text, or the model's own token ids. */
    record Input(String text, int[] ids) {
        int size() {
            return text != null ? text.length() : ids.length;
        }
    }

    /** Parses {@code body} as a JSON object. */
    static ObjectNode object(byte[] body) {
        if (body.length == 0) {
            throw new ApiException(ApiException.Kind.BAD_JSON, "the request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ApiException(ApiException.Kind.BAD_JSON, "the body is not valid JSON" + where + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(ApiException.Kind.BAD_JSON, "the body could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(ApiException.Kind.BAD_JSON, "the body must be a JSON object, found "
                    + kind(node));
        }
        return (ObjectNode) node;
    }

    /** What a JSON value is, for messages. */
    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static JsonNode present(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n;
    }

    /** A boolean field, or {@code dflt} when absent or null. */
    static boolean bool(ObjectNode o, String field, boolean dflt) {
        Boolean b = bool(o, field);
        return b == null ? dflt : b;
    }

    /** A boolean field, or null when absent. */
    static Boolean bool(ObjectNode o, String field) {
        JsonNode n = present(o, field);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw ApiException.invalid(field, "'" + field + "' must be true or false, found " + kind(n));
        }
        return n.booleanValue();
    }

    /** A string field, or null when absent. */
    static String string(ObjectNode o, String field) {
        JsonNode n = present(o, field);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.invalid(field, "'" + field + "' must be a string, found " + kind(n));
        }
        return n.textValue();
    }

    /** An integer field at least {@code min}, or 0 when absent. */
    static int integer(ObjectNode o, String field, int min) {
        JsonNode n = present(o, field);
        if (n == null) {
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min) {
            throw ApiException.invalid(field, "'" + field + "' must be an integer >= " + min + ", found "
                    + (n.isNumber() ? n.asText() : kind(n)));
        }
        return n.intValue();
    }

    /**
     * The inputs of {@code field}: a string, an array of strings, an array of token ids, or an array
     * of arrays of token ids (OpenAI's and TEI's shapes). Empty inputs and empty strings are refused.
     */
    static List<Input> inputs(ObjectNode o, String field, int maxInputs) {
        JsonNode n = present(o, field);
        if (n == null) {
            throw new ApiException(ApiException.Kind.EMPTY, "'" + field + "' is missing; give a string or an array "
                    + "of strings", field);
        }
        List<Input> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(text(n, field));
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                throw new ApiException(ApiException.Kind.EMPTY, "'" + field + "' is an empty array", field);
            }
            if (n.get(0).isNumber()) {
                out.add(new Input(null, ids(n, field)));
            } else {
                if (n.size() > maxInputs) {
                    throw ApiException.invalid(field, "'" + field + "' has " + n.size() + " inputs, more than the "
                            + maxInputs + " this server takes in one request (--max-client-batch-size)");
                }
                for (int i = 0; i < n.size(); i++) {
                    JsonNode e = n.get(i);
                    String at = field + "[" + i + "]";
                    if (e.isTextual()) {
                        out.add(text(e, at));
                    } else if (e.isArray()) {
                        out.add(new Input(null, ids(e, at)));
                    } else {
                        throw ApiException.invalid(field, "'" + at + "' must be a string or an array of token ids, "
                                + "found " + kind(e));
                    }
                }
            }
        } else {
            throw ApiException.invalid(field, "'" + field + "' must be a string or an array of strings, found "
                    + kind(n));
        }
        return out;
    }

    private static Input text(JsonNode n, String at) {
        if (n.textValue().isEmpty()) {
            throw new ApiException(ApiException.Kind.EMPTY, "'" + at + "' is an empty string", at);
        }
        return new Input(n.textValue(), null);
    }

    /** An array of token ids. */
    static int[] ids(JsonNode n, String at) {
        if (n.isEmpty()) {
            throw new ApiException(ApiException.Kind.EMPTY, "'" + at + "' is an empty array of token ids", at);
        }
        int[] ids = new int[n.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode e = n.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < 0) {
                throw ApiException.invalid(at, "'" + at + "[" + i + "]' must be a token id (an integer >= 0), found "
                        + (e.isNumber() ? e.asText() : kind(e)));
            }
            ids[i] = e.intValue();
        }
        return ids;
    }
}
