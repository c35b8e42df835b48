package dev.tongyeok.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads JSON Lines: one object per line with a string field {@code "text"}; errors name the line. */
final class JsonLinesInput implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final BufferedReader reader;
    private final String name;
    private int line;

    JsonLinesInput(String file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        if (file.equals("-")) {
            name = "standard input";
            reader = new BufferedReader(new InputStreamReader(System.in, decoder), 1 << 16);
        } else {
            name = file;
            try {
                reader = new BufferedReader(new InputStreamReader(Files.newInputStream(Path.of(file)), decoder), 1 << 16);
            } catch (NoSuchFileException e) {
                throw new InputException(file + ": no such file");
            }
        }
    }

    /** The text of the next line, or null at the end. */
    String next() throws IOException {
        String s;
        try {
            s = reader.readLine();
        } catch (CharacterCodingException e) {
            throw new InputException(name + " line " + (line + 1) + ": not valid UTF-8");
        }
        if (s == null) {
            return null;
        }
        line++;
        if (s.isBlank()) {
            throw new InputException(name + " line " + line + ": empty line (expected a JSON object with a \"text\" field)");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            throw new InputException(name + " line " + line + ": not valid JSON (" + Main.oneLine(e.getOriginalMessage()) + ")");
        }
        if (n == null || !n.isObject()) {
            throw new InputException(name + " line " + line + ": expected a JSON object with a \"text\" field");
        }
        JsonNode t = n.get("text");
        if (t == null) {
            throw new InputException(name + " line " + line + ": field \"text\" is missing");
        }
        if (!t.isTextual()) {
            throw new InputException(name + " line " + line + ": field \"text\" must be a string, found "
                    + t.getNodeType().toString().toLowerCase());
        }
        return t.asText();
    }

    /** The number of the line last read. */
    int line() {
        return line;
    }

    String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
