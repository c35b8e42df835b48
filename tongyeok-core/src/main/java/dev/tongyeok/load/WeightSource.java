package dev.tongyeok.load;

import java.util.Optional;
import java.util.Set;

/**
 * A model's weights, looked up by checkpoint name whatever file format holds them (ONNX,
 * safetensors, …). Implementations are immutable and safe to share between threads.
 */
public interface WeightSource {
    /** The file (or directory) the weights come from, as errors name it. */
    String source();

    /** All checkpoint names this source can resolve. */
    Set<String> names();

    /** The weight called {@code name}, if present. */
    Optional<Weight> find(String name);

    /**
     * The weight called {@code name}.
     *
     * @throws ModelException when it is missing, naming the file and the tensor
     */
    default Weight get(String name) {
        return find(name).orElseThrow(() -> new ModelException(source() + ": tensor " + name + " is missing"));
    }

    /**
     * The weight called {@code name}, checked against the checkpoint shape config.json implies.
     *
     * @throws ModelException when it is missing or has another shape
     */
    default Weight get(String name, long... expectedShape) {
        Weight w = get(name);
        long[] actual = w.checkpointShape();
        if (!java.util.Arrays.equals(actual, expectedShape)) {
            throw new ModelException(source() + ": tensor " + name + " has shape " + java.util.Arrays.toString(actual)
                    + ", config.json implies " + java.util.Arrays.toString(expectedShape));
        }
        return w;
    }
}
