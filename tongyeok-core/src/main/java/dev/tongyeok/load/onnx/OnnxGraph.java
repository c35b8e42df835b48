package dev.tongyeok.load.onnx;

import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX {@code ModelProto} that hold weights: the graph's nodes and initializers,
 * read from a memory-mapped file (initializer bytes stay in the mapping; {@code external_data}
 * files are mapped too).
 *
 * <p>Byte layout (onnx/onnx.proto, field numbers):
 * <ol>
 *   <li>ModelProto: 1 ir_version (varint), 7 graph (GraphProto), 8 opset_import; others skipped.
 *   <li>GraphProto: 1 node (NodeProto), 2 name, 5 initializer (TensorProto), 11 input, 12 output.
 *   <li>NodeProto: 1 input (string, repeated), 2 output, 3 name, 4 op_type, 5 attribute, 7 domain.
 *   <li>TensorProto: 1 dims (int64, packed or not), 2 data_type, 4 float_data, 5 int32_data,
 *       7 int64_data, 8 name, 9 raw_data, 10 double_data, 13 external_data (key/value), 14 data_location.
 * </ol>
 * There is no magic number: a file that is not a ModelProto fails on its first invalid key or on
 * having no graph.
 */
public final class OnnxGraph {
    /**
     * One graph node.
     *
     * @param value the tensor of a {@code Constant} node's {@code value} attribute, or null
     */
    public record Node(String name, String opType, List<String> inputs, List<String> outputs, Tensor value) {}

    private final Path file;
    private final long irVersion;
    private final List<Node> nodes;
    private final Map<String, Tensor> initializers;
    private final List<String> graphInputs;

    private OnnxGraph(Path file, long irVersion, List<Node> nodes, Map<String, Tensor> initializers,
            List<String> graphInputs) {
        this.file = file;
        this.irVersion = irVersion;
        this.nodes = List.copyOf(nodes);
        this.initializers = Collections.unmodifiableMap(initializers);
        this.graphInputs = List.copyOf(graphInputs);
    }

    /**
     * Maps and reads {@code file}.
     *
     * @throws OnnxException when the file is not a valid ONNX model, naming the offset
     * @throws IOException when it cannot be read
     */
    public static OnnxGraph read(Path file) throws IOException {
        MemorySegment seg = map(file);
        String name = file.getFileName().toString();
        Protobuf model = new Protobuf(seg, 0, name);
        long ir = -1;
        OnnxGraph graph = null;
        while (model.next()) {
            if (model.field() == 1 && model.wireType() == Protobuf.VARINT) {
                ir = model.varint();
            } else if (model.field() == 7 && model.wireType() == Protobuf.LEN) {
                graph = readGraph(model.message(), file, ir);
            } else {
                model.skip();
            }
        }
        if (graph == null) {
            throw new OnnxException(name + ": not an ONNX model (no graph found in " + seg.byteSize() + " bytes)");
        }
        return graph;
    }

    static MemorySegment map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
        } catch (NoSuchFileException e) {
            throw new OnnxException(file + ": no such file");
        }
    }

    private static OnnxGraph readGraph(Protobuf g, Path file, long ir) throws IOException {
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> inits = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        Map<String, MemorySegment> external = new LinkedHashMap<>();
        while (g.next()) {
            switch (g.field()) {
                case 1 -> nodes.add(readNode(g.message(), file, external));
                case 5 -> {
                    Tensor t = readTensor(g.message(), file, external);
                    inits.put(t.name(), t);
                }
                case 11 -> inputs.add(valueInfoName(g.message()));
                default -> g.skip();
            }
        }
        return new OnnxGraph(file, ir, nodes, inits, inputs);
    }

    private static String valueInfoName(Protobuf v) {
        String name = "";
        while (v.next()) {
            if (v.field() == 1 && v.wireType() == Protobuf.LEN) {
                name = v.string();
            } else {
                v.skip();
            }
        }
        return name;
    }

    private static Node readNode(Protobuf n, Path file, Map<String, MemorySegment> external) throws IOException {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String name = "";
        String op = "";
        Tensor value = null;
        while (n.next()) {
            switch (n.field()) {
                case 1 -> in.add(n.string());
                case 2 -> out.add(n.string());
                case 3 -> name = n.string();
                case 4 -> op = n.string();
                case 5 -> {
                    // AttributeProto: 1 name, 5 t (TensorProto); only a Constant's "value" is kept.
                    Protobuf a = n.message();
                    String attr = "";
                    Tensor t = null;
                    while (a.next()) {
                        if (a.field() == 1 && a.wireType() == Protobuf.LEN) {
                            attr = a.string();
                        } else if (a.field() == 5 && a.wireType() == Protobuf.LEN) {
                            t = readTensor(a.message(), file, external);
                        } else {
                            a.skip();
                        }
                    }
                    if (attr.equals("value")) {
                        value = t;
                    }
                }
                default -> n.skip();
            }
        }
        return new Node(name, op, in, out, value);
    }

    private static Tensor readTensor(Protobuf t, Path file, Map<String, MemorySegment> external) throws IOException {
        long start = t.offset();
        String fileName = file.getFileName().toString();
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        MemorySegment raw = null;
        List<Number> values = new ArrayList<>();
        Map<String, String> ext = new LinkedHashMap<>();
        int location = 0;
        while (t.next()) {
            switch (t.field()) {
                case 1 -> readInts(t, dims, false);
                case 2 -> dataType = (int) t.varint();
                case 4 -> readFloats(t, values);
                case 5, 7 -> {
                    List<Long> ls = new ArrayList<>();
                    readInts(t, ls, t.field() == 5);
                    values.addAll(ls);
                }
                case 8 -> name = t.string();
                case 9 -> raw = t.bytes();
                case 10 -> {
                    if (t.wireType() == Protobuf.LEN) {
                        MemorySegment b = t.bytes();
                        for (long i = 0; i + 8 <= b.byteSize(); i += 8) {
                            values.add(b.get(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i));
                        }
                    } else {
                        t.skip();
                    }
                }
                case 13 -> {
                    Protobuf kv = t.message();
                    String k = "";
                    String v = "";
                    while (kv.next()) {
                        if (kv.field() == 1) {
                            k = kv.string();
                        } else if (kv.field() == 2) {
                            v = kv.string();
                        } else {
                            kv.skip();
                        }
                    }
                    ext.put(k, v);
                }
                case 14 -> location = (int) t.varint();
                default -> t.skip();
            }
        }
        DType type = switch (dataType) {
            case 1 -> DType.F32;
            case 2 -> DType.U8;
            case 3 -> DType.I8;
            case 6 -> DType.I32;
            case 7 -> DType.I64;
            case 10 -> DType.F16;
            case 11 -> DType.F64;
            case 16 -> DType.BF16;
            default -> null;
        };
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        String where = fileName + " offset 0x" + Long.toHexString(start) + ": initializer " + name;
        if (type == null) {
            // Types weights never use (strings, bool, uint16…): keep the graph readable, drop the tensor.
            return new Tensor(name, DType.U8, new long[] {0}, MemorySegment.NULL.reinterpret(0));
        }
        long need = Tensor.elementCount(shape) * type.bytes();
        MemorySegment data;
        if (location == 1) {
            String loc = ext.get("location");
            if (loc == null) {
                throw new OnnxException(where + " is stored externally but names no location");
            }
            Path ef = file.resolveSibling(loc);
            MemorySegment whole = external.get(loc);
            if (whole == null) {
                if (!Files.isRegularFile(ef)) {
                    throw new OnnxException(where + " is stored in " + loc + ", which does not exist next to "
                            + fileName);
                }
                whole = map(ef);
                external.put(loc, whole);
            }
            long off = Long.parseLong(ext.getOrDefault("offset", "0"));
            long len = Long.parseLong(ext.getOrDefault("length", Long.toString(need)));
            if (len != need || off < 0 || off + len > whole.byteSize()) {
                throw new OnnxException(where + ": external data " + loc + " [" + off + ", +" + len + ") must hold "
                        + need + " bytes within its " + whole.byteSize());
            }
            data = whole.asSlice(off, len);
        } else if (raw != null) {
            if (raw.byteSize() != need) {
                throw new OnnxException(where + ": shape " + dims + " of " + type + " needs " + need
                        + " bytes, raw_data has " + raw.byteSize());
            }
            data = raw;
        } else {
            if (values.size() * (long) type.bytes() != need) {
                throw new OnnxException(where + ": shape " + dims + " needs " + need / type.bytes()
                        + " values, found " + values.size());
            }
            data = Arena.ofAuto().allocate(Math.max(1, need)).asSlice(0, need);
            for (int i = 0; i < values.size(); i++) {
                Number v = values.get(i);
                switch (type) {
                    case F32 -> data.setAtIndex(LE_FLOAT, i, v.floatValue());
                    case F64 -> data.setAtIndex(LE_DOUBLE, i, v.doubleValue());
                    case I64 -> data.setAtIndex(LE_LONG, i, v.longValue());
                    case I32 -> data.setAtIndex(LE_INT, i, v.intValue());
                    case U8, I8 -> data.set(ValueLayout.JAVA_BYTE, i, (byte) v.intValue());
                    case F16, BF16 -> data.setAtIndex(LE_SHORT, i, (short) v.intValue());
                }
            }
        }
        return new Tensor(name, type, shape, data);
    }

    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static void readInts(Protobuf t, List<Long> out, boolean int32) {
        if (t.wireType() == Protobuf.LEN) {
            MemorySegment b = t.bytes();
            Protobuf p = new Protobuf(b, t.sliceOffset(b), "");
            while (p.offsetInSlice() < b.byteSize()) {
                long v = p.varint();
                out.add(int32 ? (long) (int) v : v);
            }
        } else {
            long v = t.varint();
            out.add(int32 ? (long) (int) v : v);
        }
    }

    private static void readFloats(Protobuf t, List<Number> out) {
        if (t.wireType() == Protobuf.LEN) {
            MemorySegment b = t.bytes();
            for (long i = 0; i + 4 <= b.byteSize(); i += 4) {
                out.add(b.get(LE_FLOAT, i));
            }
        } else {
            out.add(t.fixed32Float());
        }
    }

    /** The file this graph was read from. */
    public Path file() {
        return file;
    }

    /** The IR version, or -1 when absent. */
    public long irVersion() {
        return irVersion;
    }

    /** The nodes in file order (topological for valid models). */
    public List<Node> nodes() {
        return nodes;
    }

    /** Initializers by name, in file order. */
    public Map<String, Tensor> initializers() {
        return initializers;
    }

    /** The graph inputs that are not initializers ({@code input_ids}, {@code attention_mask}, …). */
    public List<String> inputs() {
        return graphInputs.stream().filter(n -> !initializers.containsKey(n)).toList();
    }
}
