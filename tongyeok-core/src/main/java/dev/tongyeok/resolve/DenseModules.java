package dev.tongyeok.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.load.safetensors.SafetensorsWeights;
import dev.tongyeok.model.layer.Linear;
import dev.tongyeok.tensor.ops.Ops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * sentence-transformers' {@code Dense} modules after pooling (EmbeddingGemma's {@code 2_Dense} and
 * {@code 3_Dense}): linear projections of the pooled vector, in order, before normalization. From
 * a model directory, each module's {@code config.json} ({@code in_features}, {@code out_features},
 * {@code bias}, {@code activation_function}) and {@code model.safetensors} ({@code linear.weight},
 * {@code linear.bias}); from GGUF, the tensors {@code dense_2} and {@code dense_3} llama.cpp's
 * converter writes with {@code --sentence-transformers-dense-modules}.
 */
final class DenseModules implements UnaryOperator<float[]> {
    private static final String IDENTITY = "torch.nn.modules.linear.Identity";

    private final List<Linear> layers;

    private DenseModules(List<Linear> layers) {
        this.layers = List.copyOf(layers);
    }

    /** No projection: the pooled vector as it is. */
    static final UnaryOperator<float[]> NONE = v -> v;

    /**
     * The projection of module {@code path} of {@code dir}, from its {@code config} and weights.
     *
     * @throws ModelException when the config's sizes are not positive, it asks for an activation other
     *     than the identity, or the module has no {@code model.safetensors}
     */
    static Linear module(Path dir, String path, JsonNode config, Path configFile) throws IOException {
        String act = config.path("activation_function").asText(IDENTITY);
        if (!act.equals(IDENTITY)) {
            throw new ModelException(configFile + ": activation_function '" + act + "' is not supported (" + IDENTITY + ")");
        }
        int in = config.path("in_features").asInt(-1);
        int out = config.path("out_features").asInt(-1);
        if (in <= 0 || out <= 0) {
            throw new ModelException(configFile + ": in_features and out_features must be positive (found " + in + ", "
                    + out + ")");
        }
        Path weights = dir.resolve(path).resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new ModelException(dir.resolve(path) + ": Dense module has no model.safetensors");
        }
        return Linear.load(SafetensorsWeights.read(weights), "linear", in, out);
    }

    /**
     * The layers of a GGUF file's {@code dense_2} and {@code dense_3} tensors, in order (none when it has neither).
     *
     * @throws ModelException when one is not a matrix
     */
    static List<Linear> gguf(WeightSource w) {
        List<Linear> layers = new ArrayList<>();
        for (String name : new String[] {"dense_2", "dense_3"}) {
            var t = w.find(name + ".weight");
            if (t.isPresent()) {
                long[] shape = t.get().checkpointShape();
                if (shape.length != 2) {
                    throw new ModelException(w.source() + ": tensor " + name + ".weight is not a matrix");
                }
                layers.add(Linear.load(w, name, (int) shape[1], (int) shape[0]));
            }
        }
        return layers;
    }

    /**
     * These layers as a projection from width {@code C} back to {@code C}, checked.
     *
     * @throws ModelException when one layer's input is not the previous one's output, or the last
     *     output is not C (vectors keep the model's width)
     */
    static UnaryOperator<float[]> of(List<Linear> layers, int C, String where) {
        if (layers.isEmpty()) {
            return NONE;
        }
        int width = C;
        for (Linear l : layers) {
            if (l.in() != width) {
                throw new ModelException(where + ": a Dense module takes " + l.in() + " features where " + width
                        + " come in");
            }
            width = l.out();
        }
        if (width != C) {
            throw new ModelException(where + ": the Dense modules end at " + width + " features; only projections back "
                    + "to the model's width " + C + " are supported");
        }
        return new DenseModules(layers);
    }

    @Override
    public float[] apply(float[] v) {
        float[] x = v;
        for (Linear l : layers) {
            float[] y = new float[l.out()];
            l.forward(Ops.get(), x, 1, new int[] {0, 1}, y);
            x = y;
        }
        return x;
    }
}
