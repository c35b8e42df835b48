package dev.tongyeok.search;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One file to index, read whole and split into its documents: a plain text or Markdown file is
 * one document whose id is its path; a JSON Lines file holds one document per line, each an object
 * with {@code text} (required), {@code id} (optional, else {@code path:line}) and other fields kept
 * as metadata.
 *
 * @param source the file's absolute, normalized path: the key the index updates it by
 * @param hash SHA-256 of the file's bytes
 * @param documents the documents in file order
 */
record SourceFile(String source, String hash, List<Doc> documents) {
    /** The file name endings read, by kind. */
    static final List<String> TEXT = List.of(".txt", ".text");
    static final List<String> MARKDOWN = List.of(".md", ".markdown");
    static final List<String> JSON_LINES = List.of(".jsonl", ".ndjson");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A document: its id, its text, and metadata fields as strings (nested values as JSON).
     *
     * @param line the JSON Lines line it came from, 0 for a whole file
     */
    record Doc(String id, String text, Map<String, String> metadata, int line) {
    }

    /** Whether {@code file}'s name ends in a type this reader takes. */
    static boolean readable(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return TEXT.stream().anyMatch(n::endsWith) || MARKDOWN.stream().anyMatch(n::endsWith)
                || JSON_LINES.stream().anyMatch(n::endsWith);
    }

    /**
     * Reads and parses {@code file}.
     *
     * @throws SearchException naming the file (and line, and field) when it cannot be read, is not
     *     UTF-8, or holds an invalid JSON Lines line
     */
    static SourceFile read(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String source = abs.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(abs);
        } catch (IOException e) {
            throw new SearchException(source + ": cannot read: " + reason(e));
        }
        String text = utf8(bytes, source);
        String hash = sha256(bytes);
        String name = abs.getFileName().toString().toLowerCase(Locale.ROOT);
        if (JSON_LINES.stream().anyMatch(name::endsWith)) {
            return new SourceFile(source, hash, jsonLines(text, source));
        }
        if (!readable(abs)) {
            throw new SearchException(source + ": cannot index this type of file (expected .txt, .md or .jsonl)");
        }
        List<Doc> docs = text.isBlank() ? List.of() : List.of(new Doc(source, text, Map.of(), 0));
        return new SourceFile(source, hash, docs);
    }

    private static List<Doc> jsonLines(String text, String source) {
        List<Doc> docs = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonParseException e) {
                throw new SearchException(source + " line " + lineNo + ", column " + e.getLocation().getColumnNr()
                        + ": not valid JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new SearchException(source + " line " + lineNo + ": not valid JSON: " + e.getMessage());
            }
            if (node == null || !node.isObject()) {
                throw new SearchException(source + " line " + lineNo + ": expected a JSON object with \"text\", found "
                        + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
            }
            JsonNode t = node.get("text");
            if (t == null || t.isNull()) {
                throw new SearchException(source + " line " + lineNo + ": \"text\" is missing");
            }
            if (!t.isTextual()) {
                throw new SearchException(source + " line " + lineNo + ": \"text\" must be a string, found "
                        + t.getNodeType().toString().toLowerCase(Locale.ROOT));
            }
            JsonNode idNode = node.get("id");
            String id;
            if (idNode == null || idNode.isNull()) {
                id = source + ":" + lineNo;
            } else if (idNode.isTextual() || idNode.isNumber()) {
                id = idNode.asText();
            } else {
                throw new SearchException(source + " line " + lineNo + ": \"id\" must be a string or a number, found "
                        + idNode.getNodeType().toString().toLowerCase(Locale.ROOT));
            }
            Map<String, String> meta = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("text") || f.getKey().equals("id") || f.getValue().isNull()) {
                    continue;
                }
                meta.put(f.getKey(), f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString());
            }
            if (!t.asText().isBlank()) {
                docs.add(new Doc(id, t.asText(), meta, lineNo));
            }
        }
        return docs;
    }

    private static String utf8(byte[] bytes, String source) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            String s = d.decode(in).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (MalformedInputException e) {
            throw new SearchException(source + ": not UTF-8 text (bad byte at offset " + in.position() + ")");
        } catch (CharacterCodingException e) {
            throw new SearchException(source + ": not UTF-8 text: " + e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String reason(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            default -> e.getMessage() != null ? e.getMessage() : kind;
        };
    }
}
