package dev.tongyeok.load.gguf;

import dev.tongyeok.load.Weight;
import dev.tongyeok.tensor.Tensor;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one model family's GGUF tensors map back to the names (and layouts) of its checkpoints, the
 * reverse of what llama.cpp's converter ({@code convert_hf_to_gguf.py}, gguf-py's
 * {@code tensor_mapping.py}) does for that family. Each family supplies its own.
 */
public interface GgufLayout {
    /** The checkpoint name of GGUF tensor {@code gguf}, or null when it has none (it keeps its GGUF name). */
    String checkpointName(String gguf);

    /**
     * The weight called {@code name} in the checkpoint, read from GGUF tensor {@code gguf}: the tensor
     * as it is, unless the converter changed its layout (a permutation, a transpose), which this undoes.
     */
    default Weight weight(String name, String gguf, Tensor tensor) {
        return Weight.of(name, tensor);
    }

    /** Makes a checkpoint weight from a GGUF tensor: a permutation undone, a transpose marked. */
    @FunctionalInterface
    interface WeightOf {
        /** The weight called {@code name} in the checkpoint, from GGUF tensor {@code gguf}. */
        Weight weight(String name, String gguf, Tensor tensor);
    }

    /** These names, with each weight made by {@code weights} instead of taken as it is. */
    default GgufLayout withWeights(WeightOf weights) {
        GgufLayout names = this;
        return new GgufLayout() {
            @Override
            public String checkpointName(String gguf) {
                return names.checkpointName(gguf);
            }

            @Override
            public Weight weight(String name, String gguf, Tensor tensor) {
                return weights.weight(name, gguf, tensor);
            }
        };
    }

    /**
     * Names laid out as most families are: {@code blk.N.PART.SUFFIX} becomes
     * {@code layerPrefix + N + "." + block.get(PART) + SUFFIX} ({@code blk.3.attn_q.weight} →
     * {@code model.layers.3.self_attn.q_proj.weight}); a tensor outside the blocks is looked up whole
     * in {@code global}.
     */
    static GgufLayout blocks(String layerPrefix, Map<String, String> block, Map<String, String> global) {
        return new Blocks(layerPrefix, block, global);
    }

    /** The layout of {@link #blocks}. */
    record Blocks(String layerPrefix, Map<String, String> block, Map<String, String> global) implements GgufLayout {
        private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.(.+)");

        @Override
        public String checkpointName(String gguf) {
            Matcher m = BLOCK.matcher(gguf);
            if (!m.matches()) {
                return global.get(gguf);
            }
            String rest = m.group(2);
            int dot = rest.lastIndexOf('.');
            String part = block.get(dot < 0 ? rest : rest.substring(0, dot));
            return part == null ? null : layerPrefix + m.group(1) + "." + part + (dot < 0 ? "" : rest.substring(dot));
        }
    }
}
