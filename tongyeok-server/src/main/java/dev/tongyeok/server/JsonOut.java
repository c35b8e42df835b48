package dev.tongyeok.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Reply bodies: streamed JSON (vectors are written number by number, never built as a tree), and base64 floats. */
final class JsonOut {
    private JsonOut() {}

    /** What writes one body. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** The bytes {@code body} writes. */
    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = Fields.JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A tree as bytes. */
    static byte[] bytes(JsonNode node) {
        try {
            return Fields.JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code v} as a JSON array of numbers. */
    static void floats(JsonGenerator g, float[] v) throws IOException {
        g.writeStartArray();
        for (float x : v) {
            g.writeNumber(x);
        }
        g.writeEndArray();
    }

    /** {@code m} as an array of rows. */
    static void matrix(JsonGenerator g, float[][] m) throws IOException {
        g.writeStartArray();
        for (float[] row : m) {
            floats(g, row);
        }
        g.writeEndArray();
    }

    /** Little-endian float32 bytes in base64, as OpenAI's {@code encoding_format: "base64"}. */
    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }
}
