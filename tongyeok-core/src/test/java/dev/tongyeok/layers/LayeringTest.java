package dev.tongyeok.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The core's layers point one way (docs/ARCHITECTURE.md): no package cycle, and each layer uses
 * only the layers below it; the module exports only the packages programs use.
 */
class LayeringTest {
    static final Path CLASSES = Path.of("target/classes");

    @Test
    void noPackageCycles() {
        PackageGraph g = PackageGraph.of(CLASSES);
        assertEquals(List.of(), g.cycles(), "package cycles in tongyeok-core");
        assertTrue(g.edges().size() > 20, "jdeps saw the core's packages: " + g.edges().keySet());
    }

    /** The model families: each stands alone, none uses another. */
    static final List<String> FAMILIES = List.of("dev.tongyeok.model.bert", "dev.tongyeok.model.llama",
            "dev.tongyeok.model.gpt2", "dev.tongyeok.model.falcon", "dev.tongyeok.model.nomic", "dev.tongyeok.model.jina",
            "dev.tongyeok.model.modernbert", "dev.tongyeok.model.gemma", "dev.tongyeok.model.mpnet",
            "dev.tongyeok.model.gte");

    /** The layers, lowest first; a package may use its own layer's packages and those of layers below. */
    static final List<List<String>> LAYERS = List.of(
            List.of("dev.tongyeok.tensor", "dev.tongyeok.tensor.ops", "dev.tongyeok.tokenize.unicode"),
            List.of("dev.tongyeok.tokenize"),
            List.of("dev.tongyeok.tokenize.normalize", "dev.tongyeok.tokenize.pretokenize", "dev.tongyeok.tokenize.model",
                    "dev.tongyeok.tokenize.process", "dev.tongyeok.tokenize.decode"),
            List.of("dev.tongyeok.tokenize.json", "dev.tongyeok.tokenize.sentencepiece"),
            List.of("dev.tongyeok.load"),
            List.of("dev.tongyeok.hub"),
            List.of("dev.tongyeok.load.safetensors", "dev.tongyeok.load.onnx", "dev.tongyeok.load.gguf"),
            List.of("dev.tongyeok.model"),
            List.of("dev.tongyeok.model.layer", "dev.tongyeok.model.family"),
            List.of("dev.tongyeok.model.decoder"),
            FAMILIES,
            List.of("dev.tongyeok.model.registry"),
            List.of("dev.tongyeok.resolve"),
            List.of("dev.tongyeok.embed"),
            List.of("dev.tongyeok.rerank"));

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() {
        PackageGraph g = PackageGraph.of(CLASSES);
        Set<String> unplaced = new TreeSet<>(g.edges().keySet());
        StringBuilder wrong = new StringBuilder();
        for (Map.Entry<String, Set<String>> e : g.edges().entrySet()) {
            int from = layer(e.getKey());
            if (from < 0) {
                continue;
            }
            unplaced.remove(e.getKey());
            for (String to : e.getValue()) {
                int l = layer(to);
                if (l > from || (FAMILIES.contains(e.getKey()) && FAMILIES.contains(to))) {
                    wrong.append("\n  ").append(e.getKey()).append(" -> ").append(to);
                }
            }
        }
        assertEquals(Set.of(), unplaced, "packages that are in no layer of this test (and of docs/ARCHITECTURE.md)");
        assertEquals("", wrong.toString(), "a package uses one above it (or a model family uses another family)");
    }

    static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theModuleExportsTheApiOnly() throws Exception {
        PackageGraph.assertModule(CLASSES, "dev.tongyeok.core", Set.of("dev.tongyeok.embed", "dev.tongyeok.rerank",
                "dev.tongyeok.resolve", "dev.tongyeok.hub", "dev.tongyeok.model", "dev.tongyeok.load", "dev.tongyeok.tensor",
                "dev.tongyeok.tokenize", "dev.tongyeok.tokenize.json", "dev.tongyeok.tokenize.sentencepiece"));
    }
}
