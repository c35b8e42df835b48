package dev.tongyeok.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code config.json} (HF transformers' {@code PretrainedConfig} file) with typed reads
 * whose errors name the file and the key. It is parsed once; each model family reads its own keys.
 *
 * @param root the JSON object
 * @param file where it was read from, for errors
 */
public record ConfigJson(JsonNode root, Path file) {

    /**
     * Reads {@code file}.
     *
     * @throws ModelException when it is not a JSON object, naming the line and column
     * @throws IOException when it cannot be read
     */
    public static ConfigJson read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ModelException(file + ": not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(file + ": expected a JSON object");
        }
        return new ConfigJson(root, file);
    }

    /** {@code model_type}, or {@code fallback} when absent. */
    public String modelType(String fallback) {
        return string("model_type", fallback);
    }

    /** {@code architectures}: the transformers classes the checkpoint was saved from, possibly none. */
    public List<String> architectures() {
        List<String> out = new ArrayList<>();
        root.path("architectures").forEach(n -> out.add(n.asText("")));
        return out;
    }

    /**
     * The integer at {@code key}; {@code fallback} when absent or null, which a negative fallback forbids.
     *
     * @throws ModelException when missing without a fallback or not an integer, naming the file and the key
     */
    public int integer(String key, int fallback) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            if (fallback < 0) {
                throw error("key " + key + " is missing");
            }
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw error("key " + key + " must be an integer, found " + n);
        }
        return n.intValue();
    }

    /**
     * The number at {@code key}, or {@code fallback} when absent or null.
     *
     * @throws ModelException when it is not a number, naming the file and the key
     */
    public double number(String key, double fallback) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw error("key " + key + " must be a number, found " + n);
        }
        return n.doubleValue();
    }

    /** The text at {@code key}, or {@code fallback} when absent or null. */
    public String string(String key, String fallback) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? fallback : n.asText(fallback);
    }

    /** The boolean at {@code key}, or {@code fallback} when absent or not a boolean. */
    public boolean bool(String key, boolean fallback) {
        return root.path(key).asBoolean(fallback);
    }

    /** Whether {@code key} is absent or null. */
    public boolean isNull(String key) {
        return root.get(key) == null || root.get(key).isNull();
    }

    /** Whether {@code key} is present. */
    public boolean has(String key) {
        return root.has(key);
    }

    /** An error about this file. */
    public ModelException error(String message) {
        return new ModelException(file + ": " + message);
    }
}
