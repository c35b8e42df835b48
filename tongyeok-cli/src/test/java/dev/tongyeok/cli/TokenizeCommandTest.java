package dev.tongyeok.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tongyeok tokenize} end to end: output against HF tokenizers, and every kind of bad input. */
class TokenizeCommandTest {
    static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TEXTS = List.of("I love you so much.", "안녕하세요", "こんにちは", "Hello", "你好", "@#%^&*()",
            "Ünïcödé 👩🏽‍💻 tabs\tand\nnewlines", "");

    static HuggingFaceTokenizer hf;
    static String minilmJson;

    @TempDir
    Path dir;

    @BeforeAll
    static void oracle() throws Exception {
        minilmJson = Cli.minilmJson();
        hf = Cli.hf(minilmJson);
    }

    @AfterAll
    static void close() {
        hf.close();
    }

    Path jsonl(String... lines) throws Exception {
        Path p = dir.resolve("in.jsonl");
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    static String line(String text) throws Exception {
        return JSON.writeValueAsString(Map.of("text", text));
    }

    @Test
    void aTextTheVocabularyCannotCoverIsSaidSoInOneLine() {
        Cli.Run r = run("tokenize", "안녕하세요");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("tongyeok: text 1: ") && r.err().contains("for all-minilm-l6-v2: its vocabulary "
                + "does not cover Hangul; a multilingual model does (--model intfloat/multilingual-e5-small or BAAI/bge-m3)"),
                r.err());
        Cli.Run en = run("tokenize", "I love you so much.");
        assertEquals("", en.err());
        Cli.Run embed = run("embed", "안녕하세요");
        assertTrue(embed.err().contains("does not cover Hangul"), embed.err());
    }

    @Test
    void jsonLinesMatchHuggingFace() throws Exception {
        String[] lines = new String[TEXTS.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = line(TEXTS.get(i));
        }
        Path out = dir.resolve("out.jsonl");
        Cli.Run r = run("tokenize", "--input", jsonl(lines).toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> got = Files.readAllLines(out);
        assertEquals(TEXTS.size(), got.size(), "one output line per input line");
        for (int i = 0; i < TEXTS.size(); i++) {
            JsonNode n = JSON.readTree(got.get(i));
            var want = hf.encode(TEXTS.get(i), true, false);
            assertArrayEquals(want.getIds(), longs(n.get("ids")), TEXTS.get(i));
            assertArrayEquals(want.getTokens(), strings(n.get("tokens")), TEXTS.get(i));
            CharSpan[] spans = want.getCharTokenSpans();
            for (int k = 0; k < spans.length; k++) {
                int s = spans[k] == null ? 0 : spans[k].getStart(), e = spans[k] == null ? 0 : spans[k].getEnd();
                assertEquals(s, n.get("offsets").get(k).get(0).asInt(), TEXTS.get(i) + " token " + k);
                assertEquals(e, n.get("offsets").get(k).get(1).asInt(), TEXTS.get(i) + " token " + k);
            }
        }
    }

    @Test
    void noTruncationUnlessAsked() throws Exception {
        // LangChain4j's MiniLM tokenizer.json truncates at 128; the command must not.
        String longText = "word ".repeat(300);
        Path out = dir.resolve("out.jsonl");
        assertEquals(0, run("tokenize", "--input", jsonl(line(longText)).toString(), "--output", out.toString()).code());
        assertEquals(hf.encode(longText, true, false).getIds().length, JSON.readTree(Files.readString(out)).get("ids").size());
    }

    @Test
    void maxLengthTruncatesAsHfAndSaysSo() throws Exception {
        String longText = "the quick brown fox jumps over the lazy dog ".repeat(10);
        Path out = dir.resolve("out.jsonl");
        Cli.Run r = run("tokenize", "--max-length", "16", "--input", jsonl(line(longText)).toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("truncated to 16"), r.err());
        try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(minilmJson.getBytes(StandardCharsets.UTF_8)),
                Map.of("truncation", "true", "maxLength", "16", "padding", "false"))) {
            assertArrayEquals(t.encode(longText, true, false).getIds(), longs(JSON.readTree(Files.readString(out)).get("ids")));
        }
    }

    @Test
    void tableShowsTokensIdsAndText() throws Exception {
        Path out = dir.resolve("table.txt");
        Cli.Run r = run("tokenize", "--output", out.toString(), "I love you so much.");
        assertEquals(0, r.code(), r.err());
        String table = Files.readString(out);
        var want = hf.encode("I love you so much.", true, false);
        for (int i = 0; i < want.getIds().length; i++) {
            assertTrue(table.contains(" " + want.getIds()[i] + "  " + want.getTokens()[i]), table);
        }
        assertTrue(table.contains("(marker)"), table);
    }

    @Test
    void invalidLineNamesItAndLeavesNoFile() throws Exception {
        Path out = dir.resolve("out.jsonl");
        Cli.Run r = run("tokenize", "--input", jsonl(line("fine"), "{\"text\": oops}", line("never read")).toString(),
                "--output", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("line 2") && r.err().contains("not valid JSON"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(Files.exists(out), "no half-written output");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("in.jsonl"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
    }

    @Test
    void missingOrWrongTextField() throws Exception {
        Cli.Run r = run("tokenize", "--input", jsonl("{\"txt\":\"x\"}").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("line 1: field \"text\" is missing"), r.err());
        r = run("tokenize", "--input", jsonl(line("a"), "{\"text\":42}").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("line 2: field \"text\" must be a string"), r.err());
        r = run("tokenize", "--input", jsonl("[1,2]").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("line 1: expected a JSON object"), r.err());
    }

    @Test
    void missingFiles() {
        Cli.Run r = run("tokenize", "--input", dir.resolve("nope.jsonl").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.jsonl: no such file"), r.err());
        r = run("tokenize", "--tokenizer", dir.resolve("nope.json").toString(), "hi");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.json: no such file"), r.err());
        r = run("tokenize", "--model", "no-such-model", "hi");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'no-such-model' is neither a built-in model"), r.err());
    }

    @Test
    void malformedTokenizerJson() throws Exception {
        Path bad = dir.resolve("tokenizer.json");
        Files.writeString(bad, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}\n");
        Cli.Run r = run("tokenize", "--tokenizer", bad.toString(), "hi");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("tokenizer.json: not valid JSON at line"), r.err());

        Files.writeString(bad, minilmJson.replace("\"type\": \"BertPreTokenizer\"", "\"type\": \"Foo\""));
        r = run("tokenize", "--tokenizer", bad.toString(), "hi");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("pre_tokenizer.type 'Foo' is not supported (expected BertPreTokenizer"), r.err());

        Files.writeString(bad, minilmJson.replace("\"type\": \"WordPiece\",\n    \"unk_token\"", "\"type\": \"Bar\",\n    \"unk_token\""));
        r = run("tokenize", "--tokenizer", bad.toString(), "hi");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("model.type 'Bar' is not supported (expected WordPiece, BPE, Unigram, WordLevel)"), r.err());
    }

    @Test
    void badUsage() throws Exception {
        assertEquals(2, run("tokenize").code());
        assertEquals(2, run("tokenize", "--input", jsonl(line("a")).toString(), "also text").code());
        Cli.Run r = run("tokenize", "--format", "xml", "a");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--format must be table or jsonl"), r.err());
        assertEquals(2, run("tokenize", "--max-length", "0", "a").code());
        assertEquals(2, run("tokenize", "--bogus").code());
    }

    static long[] longs(JsonNode a) {
        long[] r = new long[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asLong();
        }
        return r;
    }

    static String[] strings(JsonNode a) {
        String[] r = new String[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asText();
        }
        return r;
    }
}
