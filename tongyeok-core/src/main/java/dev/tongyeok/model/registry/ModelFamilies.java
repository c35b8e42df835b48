package dev.tongyeok.model.registry;

import dev.tongyeok.load.ConfigJson;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.load.gguf.GgufFile;
import dev.tongyeok.load.gguf.GgufWeights;
import dev.tongyeok.load.onnx.OnnxWeights;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.TokenTable;
import dev.tongyeok.model.Transformer;
import dev.tongyeok.model.bert.BertFamily;
import dev.tongyeok.model.falcon.FalconFamily;
import dev.tongyeok.model.family.ModelFamily;
import dev.tongyeok.model.gemma.GemmaEmbeddingFamily;
import dev.tongyeok.model.gpt2.Gpt2Family;
import dev.tongyeok.model.gte.GteFamily;
import dev.tongyeok.model.jina.JinaBertFamily;
import dev.tongyeok.model.llama.LlamaFamily;
import dev.tongyeok.model.modernbert.ModernBertFamily;
import dev.tongyeok.model.mpnet.MpnetFamily;
import dev.tongyeok.model.nomic.NomicBertFamily;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The one list of model families, and every choice by name that picks one: a {@code config.json}'s
 * {@code model_type}, a GGUF file's {@code general.architecture}, a configuration's family. A new
 * family is one package with its {@link ModelFamily} and one entry in {@link #ALL}.
 */
public final class ModelFamilies {
    private ModelFamilies() {}

    /** Every family, in the order {@code tongyeok models} lists them. */
    public static final List<ModelFamily> ALL = List.of(
            new BertFamily(),
            new LlamaFamily(),
            new Gpt2Family(),
            new FalconFamily(),
            new NomicBertFamily(),
            new JinaBertFamily(),
            new ModernBertFamily(),
            new GemmaEmbeddingFamily(),
            new MpnetFamily(),
            new GteFamily());

    /**
     * The family whose {@code config.json} says {@code model_type} (BERT when it says none, as
     * older BERT exports do).
     *
     * @throws ModelException when no family reads that type, listing those that exist
     */
    public static ModelFamily forModelType(ConfigJson json) {
        String type = json.modelType("bert");
        for (ModelFamily f : ALL) {
            if (f.reads(json)) {
                return f;
            }
        }
        TreeSet<String> known = new TreeSet<>();
        ALL.forEach(f -> known.addAll(f.modelTypes()));
        throw json.error("model_type '" + type + "' is not supported (expected one of " + String.join(", ", known) + ")");
    }

    /**
     * The family of a GGUF file's {@code general.architecture}.
     *
     * @throws ModelException when no family reads it, listing those that exist
     */
    public static ModelFamily forGguf(GgufFile file) {
        String arch = file.architecture();
        for (ModelFamily f : ALL) {
            if (f.ggufArchitectures().contains(arch)) {
                return f;
            }
        }
        TreeSet<String> known = new TreeSet<>();
        ALL.forEach(f -> known.addAll(f.ggufArchitectures()));
        throw new ModelException(file.path().getFileName() + ": general.architecture '" + arch
                + "' is not supported (" + String.join(", ", known) + ")");
    }

    /**
     * The family that builds {@code config}.
     *
     * @throws ModelException when none does
     */
    public static ModelFamily of(ModelConfig config) {
        for (ModelFamily f : ALL) {
            if (f.builds(config)) {
                return f;
            }
        }
        throw new ModelException("no model family builds architecture '" + config.architecture() + "'");
    }

    /**
     * Reads {@code config.json} once and lets the family its {@code model_type} names read its keys.
     *
     * @throws ModelException when it is not valid or of an unsupported family, naming the file and the key
     * @throws IOException when the file cannot be read
     */
    public static ModelConfig readConfig(Path file) throws IOException {
        ConfigJson json = ConfigJson.read(file);
        return forModelType(json).config(json);
    }

    /**
     * The configuration an ONNX graph implies when it comes without a {@code config.json}: read as
     * a BERT encoder, the one family exported that way (LangChain4j's and sentence-transformers'
     * ONNX files).
     *
     * @throws ModelException when the graph is not such an encoder
     */
    public static ModelConfig onnxConfig(OnnxWeights onnx) {
        return ALL.get(0).config(onnx);
    }

    /** A GGUF file's tensors under its family's checkpoint names. */
    public static GgufWeights ggufWeights(GgufFile file) {
        return GgufWeights.of(file, forGguf(file).ggufLayout(file));
    }

    /**
     * A GGUF file's configuration, from its metadata as its family reads it.
     *
     * @throws ModelException when the architecture is not supported or a key is missing or wrong
     */
    public static ModelConfig ggufConfig(GgufFile file) {
        return forGguf(file).config(file);
    }

    /**
     * The model {@code config} describes, from {@code weights}, with the default kernels.
     *
     * @throws ModelException when a tensor is missing or disagrees with the configuration
     */
    public static Transformer load(WeightSource weights, ModelConfig config) {
        return load(weights, config, Ops.get());
    }

    /** As {@link #load(WeightSource, ModelConfig)}, computing with {@code ops}. */
    public static Transformer load(WeightSource weights, ModelConfig config, TensorOps ops) {
        return of(config).build(weights, config, ops);
    }

    /**
     * The token embedding table of the model {@code config} describes: a view into the weight file
     * that reads a row when it is looked up, whatever the rest of the file holds.
     *
     * @throws ModelException when the table is missing or of another shape
     */
    public static TokenTable tokenEmbeddings(WeightSource weights, ModelConfig config) {
        return of(config).tokenEmbeddings(weights, config);
    }
}
