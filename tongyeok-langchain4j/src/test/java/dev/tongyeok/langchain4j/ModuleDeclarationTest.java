package dev.tongyeok.langchain4j;

import dev.tongyeok.layers.PackageGraph;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module declares itself and exports its one API package; its packages have no cycle. */
class ModuleDeclarationTest {
    @Test
    void declaredAndAcyclic() throws Exception {
        PackageGraph.assertModule(Path.of("target/classes"), "dev.tongyeok.langchain4j", Set.of("dev.tongyeok.langchain4j"));
    }
}
