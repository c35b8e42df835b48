package dev.tongyeok.model.family;

import dev.tongyeok.load.ConfigJson;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.load.gguf.GgufLayout;
import dev.tongyeok.load.onnx.OnnxWeights;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.model.TokenTable;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.tensor.ops.TensorOps;
import java.util.Set;

/**
 * One model family, everything that is particular to it in one place: the names its files give it
 * ({@code config.json}'s {@code model_type}, GGUF's {@code general.architecture}), how its
 * configuration is read from each, how GGUF's tensor names map back to its checkpoint names, and
 * how its layers are built. The registry ({@code dev.tongyeok.model.registry.ModelFamilies})
 * lists one instance of each; a new family is one package and one entry there.
 */
public interface ModelFamily {
    /** The family's name, as errors and {@code tongyeok models} show it ({@code bert}, {@code llama}). */
    String name();

    /** The {@code config.json} {@code model_type} values it reads. */
    Set<String> modelTypes();

    /**
     * Whether this family reads {@code json}: by default, when its {@code model_type} is one of
     * {@link #modelTypes()}; a family whose checkpoints share another's {@code model_type} tells
     * them apart by {@code architectures}.
     */
    default boolean reads(ConfigJson json) {
        return modelTypes().contains(json.modelType("bert"));
    }

    /** The GGUF {@code general.architecture} values it reads. */
    Set<String> ggufArchitectures();

    /** Whether {@code config} is one of this family's (so that it builds the model). */
    boolean builds(ModelConfig config);

    /**
     * The configuration a {@code config.json} of one of {@link #modelTypes()} gives.
     *
     * @throws dev.tongyeok.load.ModelException when a key is missing or wrong, naming the file and the key
     */
    ModelConfig config(ConfigJson json);

    /**
     * The configuration a GGUF file's metadata gives ({@code <arch>.embedding_length}, …).
     *
     * @throws dev.tongyeok.load.ModelException when a key is missing or wrong
     */
    ModelConfig config(GgufFile file);

    /** How the tensors of GGUF {@code file} are named in this family's checkpoints. */
    GgufLayout ggufLayout(GgufFile file);

    /**
     * The configuration an ONNX export's graph implies, when it comes without a {@code config.json}.
     *
     * @throws dev.tongyeok.load.ModelException when this family does not read ONNX graphs this way
     */
    default ModelConfig config(OnnxWeights onnx) {
        throw new dev.tongyeok.load.ModelException(onnx.source() + ": an ONNX file of family " + name()
                + " needs a config.json beside it");
    }

    /** The pooling its embeddings use when the model's files name none. */
    Pooling defaultPooling();

    /**
     * The model {@code config} describes, read from {@code weights}, computing with {@code ops}.
     *
     * @throws dev.tongyeok.load.ModelException when a tensor is missing or disagrees with the configuration
     */
    Transformer build(WeightSource weights, ModelConfig config, TensorOps ops);

    /**
     * The token embedding table: a view into the weight file that reads a row when it is looked up.
     *
     * @throws dev.tongyeok.load.ModelException when the table is missing or of another shape
     */
    TokenTable tokenEmbeddings(WeightSource weights, ModelConfig config);
}
