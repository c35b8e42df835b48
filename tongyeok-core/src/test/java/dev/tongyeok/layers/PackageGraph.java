package dev.tongyeok.layers;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * The package dependencies of a module's compiled classes as the JDK's {@code jdeps
 * -verbose:package} reports them, and the cycles among them (strongly connected components of
 * more than one package). Shared with every module's {@code LayeringTest} through the test jar.
 */
public final class PackageGraph {
    private final Map<String, Set<String>> edges; // package -> packages of this project it uses

    private PackageGraph(Map<String, Set<String>> edges) {
        this.edges = edges;
    }

    /**
     * Runs jdeps over {@code classes} (a module's {@code target/classes}). The module descriptor is
     * left out of the copy jdeps reads: it would make jdeps resolve every required module, and the
     * package edges are the same without it.
     */
    public static PackageGraph of(Path classes) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException(classes + " does not exist: build the module first");
        }
        Path copy;
        try {
            copy = Files.createTempDirectory("tongyeok-jdeps");
            try (Stream<Path> all = Files.walk(classes)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Path to = copy.resolve(classes.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else if (p.toString().endsWith(".class") && !p.getFileName().toString().equals("module-info.class")) {
                        Files.copy(p, to);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                copy.toString());
        if (rc != 0) {
            throw new IllegalStateException("jdeps failed (" + rc + "): " + err);
        }
        Map<String, Set<String>> edges = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            // "   dev.tongyeok.embed   -> dev.tongyeok.load   classes"
            if (f.length >= 3 && f[1].equals("->") && f[0].startsWith("dev.tongyeok")) {
                edges.computeIfAbsent(f[0], k -> new TreeSet<>());
                if (f[2].startsWith("dev.tongyeok") && !f[2].equals(f[0])) {
                    edges.get(f[0]).add(f[2]);
                }
            }
        }
        if (edges.isEmpty()) {
            throw new IllegalStateException("jdeps reported no package of dev.tongyeok in " + classes + ":\n" + out);
        }
        return new PackageGraph(edges);
    }

    /**
     * Checks a library module's compiled classes: no package cycle, and a module descriptor named
     * {@code module} whose unqualified exports are exactly {@code exports}.
     *
     * @throws AssertionError when either does not hold
     */
    public static void assertModule(Path classes, String module, Set<String> exports) throws IOException {
        List<Set<String>> cycles = of(classes).cycles();
        if (!cycles.isEmpty()) {
            throw new AssertionError("package cycles in " + module + ": " + cycles);
        }
        Path info = classes.resolve("module-info.class");
        if (!Files.isRegularFile(info)) {
            throw new AssertionError(classes + " has no module-info.class: " + module + " declares no module");
        }
        java.lang.module.ModuleDescriptor d;
        try (var in = Files.newInputStream(info)) {
            d = java.lang.module.ModuleDescriptor.read(in);
        }
        Set<String> open = new TreeSet<>();
        d.exports().stream().filter(e -> !e.isQualified()).forEach(e -> open.add(e.source()));
        if (!d.name().equals(module) || !open.equals(new TreeSet<>(exports))) {
            throw new AssertionError("expected module " + module + " exporting " + new TreeSet<>(exports) + ", found "
                    + d.name() + " exporting " + open);
        }
    }

    /** The packages found, each with the project's packages it uses. */
    public Map<String, Set<String>> edges() {
        return edges;
    }

    /** Every cycle: each a set of packages that reach each other (Tarjan's strongly connected components). */
    public List<Set<String>> cycles() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            Set<String> onStack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }
}
