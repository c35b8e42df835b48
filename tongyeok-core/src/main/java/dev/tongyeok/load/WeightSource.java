package dev.tongyeok.load;

import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Tensor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The stored type of most of the model's matrix elements, as TEI's {@code model_dtype} names
     * types: {@code float32}, {@code float16}, {@code bfloat16}, {@code int8} (8-bit weights with
     * scales), or GGML's block type ({@code Q8_0}, {@code Q4_K}, …). Counts rank-2 tensors only:
     * norms and biases stay F32 in every format.
     */
    default String weightType() {
        Map<DType, Long> elements = new EnumMap<>(DType.class);
        for (Tensor t : matrices()) {
            elements.merge(t.type(), t.elementCount(), Long::sum);
        }
        return elements.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> switch (e.getKey()) {
                    case F32 -> "float32";
                    case F16 -> "float16";
                    case BF16 -> "bfloat16";
                    case F64 -> "float64";
                    case I8, U8 -> "int8";
                    default -> e.getKey().name();
                }).orElse("float32");
    }

    /**
     * The rank-2 tensors as stored, for {@link #weightType()}; sources whose {@link #find} does work
     * per tensor (a permutation, a transpose) list them without it.
     */
    default List<Tensor> matrices() {
        List<Tensor> out = new ArrayList<>();
        for (String n : names()) {
            find(n).map(Weight::tensor).filter(t -> t.rank() == 2).ifPresent(out::add);
        }
        return out;
    }
}
