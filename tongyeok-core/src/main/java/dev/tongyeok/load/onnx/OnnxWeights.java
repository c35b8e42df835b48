package dev.tongyeok.load.onnx;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.Weight;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weights of an ONNX export of a transformer, under their checkpoint names, found by tracing
 * the graph. An optimum / torch.onnx export keeps some names ({@code embeddings.LayerNorm.weight})
 * but stores each linear layer's weight as an anonymous, transposed initializer
 * ({@code onnx::MatMul_787}, shape (in, out)) consumed by a node whose name carries the module path
 * ({@code /encoder/layer.0/attention/self/query/MatMul}). Dynamically quantized files
 * (onnxruntime's {@code quantize_dynamic}) replace it with {@code MatMulInteger} on an int8 weight
 * with per-column scales and zero points, fed by {@code DynamicQuantizeLinear}; their embedding
 * tables are uint8 behind {@code DequantizeLinear}.
 */
public final class OnnxWeights implements WeightSource {
    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    private final OnnxGraph graph;
    private final String source;
    private final Map<String, Weight> weights;
    private final Map<String, OnnxGraph.Node> producer; // value name -> the node that outputs it

    private OnnxWeights(OnnxGraph graph, Map<String, Weight> weights, Map<String, OnnxGraph.Node> producer) {
        this.graph = graph;
        this.source = graph.file().getFileName().toString();
        this.weights = Collections.unmodifiableMap(weights);
        this.producer = producer;
    }

    /**
     * Reads and traces {@code file}.
     *
     * @throws OnnxException when the file is not a readable ONNX model
     * @throws IOException when it cannot be read
     */
    public static OnnxWeights read(Path file) throws IOException {
        return trace(OnnxGraph.read(file));
    }

    /** Traces an already read graph. */
    public static OnnxWeights trace(OnnxGraph graph) {
        Map<String, Tensor> inits = graph.initializers();
        Map<String, OnnxGraph.Node> producer = new HashMap<>();
        Map<String, List<OnnxGraph.Node>> consumers = new HashMap<>();
        for (OnnxGraph.Node n : graph.nodes()) {
            for (String o : n.outputs()) {
                producer.put(o, n);
            }
            for (String i : n.inputs()) {
                consumers.computeIfAbsent(i, k -> new java.util.ArrayList<>()).add(n);
            }
        }
        Map<String, Weight> out = new LinkedHashMap<>();
        // 1. Initializers that already carry checkpoint names.
        for (Tensor t : inits.values()) {
            if (isCheckpointName(t.name())) {
                out.put(t.name(), Weight.of(t.name(), t));
            }
        }
        for (OnnxGraph.Node n : graph.nodes()) {
            String path = modulePath(n.name());
            switch (n.opType()) {
                case "MatMul" -> {
                    // 2. x (T, C) · W (C, OC): W is the checkpoint weight transposed.
                    if (n.inputs().size() == 2 && inits.containsKey(n.inputs().get(1)) && path != null) {
                        Tensor w = inits.get(n.inputs().get(1));
                        out.putIfAbsent(path + ".weight", new Weight(path + ".weight", w, true, null, null, false));
                    }
                }
                case "MatMulInteger" -> {
                    // 3. quantized linear: inputs (A uint8, B int8, A zero point, B zero point).
                    if (n.inputs().size() >= 2 && inits.containsKey(n.inputs().get(1)) && path != null) {
                        Tensor w = inits.get(n.inputs().get(1));
                        Tensor zp = n.inputs().size() > 3 ? inits.get(n.inputs().get(3)) : null;
                        Tensor scale = weightScale(n, w, inits, producer, consumers);
                        if (scale == null) {
                            throw new OnnxException(graph.file().getFileName() + ": node " + n.name()
                                    + ": cannot find the scale of quantized weight " + w.name());
                        }
                        OnnxGraph.Node a = producer.get(n.inputs().get(0));
                        boolean dynamic = a != null && a.opType().equals("DynamicQuantizeLinear");
                        if (!dynamic) {
                            throw new OnnxException(graph.file().getFileName() + ": node " + n.name()
                                    + ": MatMulInteger input is not produced by DynamicQuantizeLinear (static "
                                    + "quantization is not supported)");
                        }
                        out.putIfAbsent(path + ".weight", new Weight(path + ".weight", w, true, scale, zp, true));
                    }
                }
                case "Gather" -> {
                    // 4. embedding lookups, possibly uint8 followed by DequantizeLinear.
                    Tensor table = inits.get(n.inputs().get(0));
                    if (table != null && path != null && table.rank() == 2) {
                        String name = path + ".weight";
                        Tensor scale = null;
                        Tensor zp = null;
                        for (OnnxGraph.Node c : consumers.getOrDefault(n.outputs().get(0), List.of())) {
                            if (c.opType().equals("DequantizeLinear")) {
                                scale = inits.get(c.inputs().get(1));
                                zp = c.inputs().size() > 2 ? inits.get(c.inputs().get(2)) : null;
                            }
                        }
                        out.put(name, new Weight(name, table, false, scale, zp, false));
                    }
                }
                case "Add", "Mul" -> {
                    // 5. anonymous biases and LayerNorm parameters, named after their node.
                    for (String in : n.inputs()) {
                        Tensor t = inits.get(in);
                        if (t != null && !isCheckpointName(t.name()) && path != null && t.rank() == 1
                                && t.dim(0) > 1) {
                            String leaf = n.opType().equals("Mul") ? ".weight" : ".bias";
                            String p = path.endsWith(".LayerNorm") || !n.opType().equals("Mul") ? path : null;
                            if (p != null) {
                                out.putIfAbsent(p + leaf, Weight.of(p + leaf, t));
                            }
                        }
                    }
                }
                case "LayerNormalization" -> {
                    if (path != null) {
                        if (n.inputs().size() > 1 && inits.containsKey(n.inputs().get(1))) {
                            out.putIfAbsent(path + ".weight", Weight.of(path + ".weight", inits.get(n.inputs().get(1))));
                        }
                        if (n.inputs().size() > 2 && inits.containsKey(n.inputs().get(2))) {
                            out.putIfAbsent(path + ".bias", Weight.of(path + ".bias", inits.get(n.inputs().get(2))));
                        }
                    }
                }
                default -> { }
            }
        }
        return new OnnxWeights(graph, out, producer);
    }

    /** The checkpoint module path of a node named like {@code /encoder/layer.0/attention/self/query/MatMul}. */
    static String modulePath(String nodeName) {
        if (!nodeName.startsWith("/")) {
            return null;
        }
        int slash = nodeName.lastIndexOf('/');
        if (slash <= 0) {
            return null;
        }
        return nodeName.substring(1, slash).replace('/', '.');
    }

    private static boolean isCheckpointName(String name) {
        return !name.startsWith("onnx::") && !name.startsWith("/") && name.contains(".")
                && !name.endsWith("_quantized") && !name.endsWith("_scale") && !name.endsWith("_zero_point");
    }

    // MatMulInteger → Cast → Mul(·, scales) where scales = Mul(input scale, weight scale initializer).
    private static Tensor weightScale(OnnxGraph.Node mm, Tensor w, Map<String, Tensor> inits,
            Map<String, OnnxGraph.Node> producer, Map<String, List<OnnxGraph.Node>> consumers) {
        for (OnnxGraph.Node cast : consumers.getOrDefault(mm.outputs().get(0), List.of())) {
            for (OnnxGraph.Node mul : consumers.getOrDefault(cast.outputs().get(0), List.of())) {
                if (!mul.opType().equals("Mul")) {
                    continue;
                }
                for (String in : mul.inputs()) {
                    OnnxGraph.Node scales = producer.get(in);
                    if (scales != null && scales.opType().equals("Mul")) {
                        for (String s : scales.inputs()) {
                            if (inits.containsKey(s)) {
                                return inits.get(s);
                            }
                        }
                    }
                }
            }
        }
        String base = w.name().endsWith("_quantized") ? w.name().substring(0, w.name().length() - 10) : w.name();
        return inits.get(base + "_scale");
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Set<String> names() {
        return weights.keySet();
    }

    @Override
    public Optional<Weight> find(String name) {
        return Optional.ofNullable(weights.get(name));
    }

    /** The graph these weights were traced from. */
    public OnnxGraph graph() {
        return graph;
    }

    /**
     * The sizes of the encoder this graph exports (a BERT-layout encoder, the only graphs read
     * without a config.json): vocabulary and hidden width from the word embeddings, the layer count
     * from the {@code encoder.layer.N} tensors, the head count from the first attention's reshape,
     * the activation from the ops the feed-forward uses.
     *
     * @param vocab rows of the word embeddings
     * @param hidden their width
     * @param layers encoder layers
     * @param heads attention heads
     * @param intermediate the feed-forward's inner width
     * @param activation {@code gelu} (erf), {@code gelu_new} (tanh) or {@code relu}
     * @param positions rows of the position embeddings
     * @param tokenTypes rows of the token type embeddings (0 when absent)
     * @param layerNormEps the LayerNorm epsilon
     */
    public record EncoderShape(int vocab, int hidden, int layers, int heads, int intermediate, String activation,
            int positions, int tokenTypes, double layerNormEps) {}

    /**
     * The {@link EncoderShape} of this graph.
     *
     * @throws ModelException when it is not an encoder graph of that layout
     */
    public EncoderShape encoderShape() {
        Weight words = get("embeddings.word_embeddings.weight");
        Weight positions = get("embeddings.position_embeddings.weight");
        int types = find("embeddings.token_type_embeddings.weight").map(w -> (int) w.tensor().dim(0)).orElse(0);
        int layers = 0;
        for (String n : weights.keySet()) {
            Matcher m = LAYER.matcher(n);
            if (m.find()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (layers == 0) {
            throw new ModelException(source + ": no encoder.layer.N tensors found (not a BERT encoder graph)");
        }
        int hidden = (int) words.tensor().dim(1);
        int intermediate = (int) get("encoder.layer.0.intermediate.dense.weight").checkpointShape()[0];
        int heads = attentionHeads(hidden);
        double eps = layerNormEps();
        boolean erf = graph.nodes().stream().anyMatch(n -> n.opType().equals("Erf"));
        boolean tanh = graph.nodes().stream().anyMatch(n -> n.opType().equals("Tanh") && n.name().contains("intermediate"));
        String act = erf ? "gelu" : tanh ? "gelu_new" : graph.nodes().stream()
                .anyMatch(n -> n.opType().equals("Relu") && n.name().contains("intermediate")) ? "relu" : "gelu";
        return new EncoderShape((int) words.tensor().dim(0), hidden, layers, heads, intermediate, act,
                (int) positions.tensor().dim(0), types, eps);
    }

    private int attentionHeads(int hidden) {
        for (OnnxGraph.Node n : graph.nodes()) {
            if (!n.opType().equals("Reshape") || !n.name().startsWith("/encoder/layer.0/attention/self/")
                    || n.inputs().size() < 2) {
                continue;
            }
            long[] shape = constantInts(n.inputs().get(1));
            if (shape != null && shape.length == 4 && shape[2] > 0 && shape[2] * shape[3] == hidden) {
                return (int) shape[2];
            }
        }
        throw new ModelException(source + ": cannot find the number of attention heads (no 4-d reshape in "
                + "/encoder/layer.0/attention/self/)");
    }

    // The value of a shape input: an initializer, a Constant, or a Concat of constants (unknown dims as -1).
    private long[] constantInts(String value) {
        Tensor t = graph.initializers().get(value);
        if (t != null) {
            return ints(t);
        }
        OnnxGraph.Node n = producer.get(value);
        if (n == null) {
            return null;
        }
        if (n.opType().equals("Constant") && n.value() != null) {
            return ints(n.value());
        }
        if (n.opType().equals("Concat")) {
            long[] out = new long[n.inputs().size()];
            for (int i = 0; i < out.length; i++) {
                OnnxGraph.Node c = producer.get(n.inputs().get(i));
                Tensor ct = graph.initializers().get(n.inputs().get(i));
                if (ct == null && c != null && c.opType().equals("Constant")) {
                    ct = c.value();
                }
                long[] v = ct == null ? null : ints(ct);
                out[i] = v != null && v.length == 1 ? v[0] : -1;
            }
            return out;
        }
        return null;
    }

    private static long[] ints(Tensor t) {
        try {
            long[] v = new long[(int) t.elementCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = t.getLong(i);
            }
            return v;
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private double layerNormEps() {
        for (OnnxGraph.Node n : graph.nodes()) {
            if (n.opType().equals("Add") && n.name().equals("/embeddings/LayerNorm/Add")) {
                for (String in : n.inputs()) {
                    OnnxGraph.Node c = producer.get(in);
                    Tensor t = c != null && c.opType().equals("Constant") ? c.value() : graph.initializers().get(in);
                    if (t != null && t.elementCount() == 1) {
                        return t.getFloat(0);
                    }
                }
            }
        }
        return 1e-12;
    }
}
