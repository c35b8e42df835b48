package dev.tongyeok.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SentencePiece itself as an oracle for {@code .model} files: npm {@code @sctg/sentencepiece-js}
 * (a WebAssembly build of Google's C++ library, installed by {@code scripts/fixtures.sh}) run by
 * {@code src/test/node/sentencepiece-oracle.mjs}. The package also embeds three real models
 * (ALBERT's 30k Unigram vocabulary with its NFKC charsmap, a Llama-style 32k BPE vocabulary with
 * byte fallback, a 50k Unigram vocabulary), which {@link #realModels} writes out.
 */
public final class SentencePiece {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PACKAGE = "@sctg/sentencepiece-js";

    private SentencePiece() {}

    /** The real models the package embeds, written to {@code dir}: ALBERT's, a Llama-style BPE, a 50k Unigram. */
    public static List<Path> realModels(Path dir) {
        ObjectNode job = JSON.createObjectNode();
        job.put("dump", dir.toAbsolutePath().toString());
        List<Path> files = new ArrayList<>();
        for (JsonNode f : NodeScript.run("sentencepiece-oracle.mjs", PACKAGE, job).get("dumped")) {
            files.add(Path.of(f.asText()));
        }
        return files;
    }

    /** Each text's ids as SentencePiece's {@code EncodeAsIds} gives them (no start or end markers). */
    public static List<int[]> encode(Path model, List<String> texts) {
        ObjectNode job = JSON.createObjectNode();
        ObjectNode m = job.putArray("models").addObject();
        m.put("file", model.toAbsolutePath().toString());
        ArrayNode t = m.putArray("texts");
        texts.forEach(t::add);
        return NodeScript.ints(NodeScript.run("sentencepiece-oracle.mjs", PACKAGE, job).get("models").get(0).get("ids"));
    }
}
