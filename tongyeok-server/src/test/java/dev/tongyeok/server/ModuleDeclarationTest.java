package dev.tongyeok.server;

import dev.tongyeok.layers.PackageGraph;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module declares itself and exports its one API package; its packages have no cycle. */
class ModuleDeclarationTest {
    @Test
    void declaredAndAcyclic() throws Exception {
        PackageGraph.assertModule(Path.of("target/classes"), "dev.tongyeok.server", Set.of("dev.tongyeok.server"));
    }
}
