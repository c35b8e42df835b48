package dev.tongyeok.load.gguf;

import dev.tongyeok.load.Weight;
import dev.tongyeok.load.WeightSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A GGUF file's tensors under the checkpoint names HuggingFace gives them ({@code blk.0.attn_q.weight}
 * is {@code model.layers.0.self_attn.q_proj.weight} in a Llama, {@code encoder.layer.0.attention.self.query.weight}
 * in a BERT), so that each model family loads one way from every format. The family's
 * {@link GgufLayout} says how names map and which layouts the converter changed. Tensors that have
 * no checkpoint name keep their GGUF name ({@code rope_freqs.weight}: Llama 3's frequency factors).
 */
public final class GgufWeights implements WeightSource {
    private final GgufFile file;
    private final GgufLayout layout;
    private final Map<String, String> toGguf; // checkpoint name -> GGUF name
    private final Map<String, Weight> weights = new ConcurrentHashMap<>(); // made on first find

    private GgufWeights(GgufFile file, GgufLayout layout, Map<String, String> toGguf) {
        this.file = file;
        this.layout = layout;
        this.toGguf = Collections.unmodifiableMap(toGguf);
    }

    /** The tensors of {@code file} under the checkpoint names {@code layout} gives them. */
    public static GgufWeights of(GgufFile file, GgufLayout layout) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String g : file.tensors().keySet()) {
            String name = layout.checkpointName(g);
            names.put(name == null ? g : name, g);
        }
        return new GgufWeights(file, layout, names);
    }

    /** The file. */
    public GgufFile file() {
        return file;
    }

    @Override
    public String source() {
        return file.path().getFileName().toString();
    }

    @Override
    public Set<String> names() {
        return toGguf.keySet();
    }

    @Override
    public Optional<Weight> find(String name) {
        String g = toGguf.get(name);
        if (g == null) {
            return Optional.empty();
        }
        return Optional.of(weights.computeIfAbsent(name, n -> layout.weight(n, g, file.tensors().get(g))));
    }

    @Override
    public java.util.List<dev.tongyeok.tensor.Tensor> matrices() {
        return file.tensors().values().stream().filter(t -> t.rank() == 2).toList();
    }
}
