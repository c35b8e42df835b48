package dev.tongyeok.load.gguf;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF file (llama.cpp's and Ollama's model format, versions 2 and 3), memory-mapped: its
 * metadata and its tensors as views into the map. Reading the header touches only the header;
 * a tensor's bytes are read when used.
 *
 * <p>Byte layout, all little-endian (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md):
 * <ol>
 *   <li>magic {@code GGUF} (4 bytes), version (u32), tensor count (u64), metadata count (u64);
 *   <li>metadata: key (string: u64 length + UTF-8 bytes), value type (u32), value; an array is
 *       its element type (u32), its count (u64) and the elements, arrays of arrays included;
 *   <li>tensor infos: name (string), dimension count (u32), dimensions (u64 each, innermost
 *       first), GGML type (u32), offset (u64) from the start of the data, a multiple of the alignment;
 *   <li>padding to {@code general.alignment} (u32, default 32), then the data.
 * </ol>
 * Tensors come out in row-major shape, outermost first: GGUF's (ne0, ne1) is (ne1, ne0) here. A
 * model that llama.cpp's gguf-split cut into parts is read from its first part as one file.
 * Errors name the file offset and the key or tensor where the file went wrong.
 */
public final class GgufFile {
    /** The alignment when {@code general.alignment} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;

    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final long MAX_COUNT = 1L << 24;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** GGUF's metadata value types, by their number in the file. */
    public enum ValueType {
        UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64;

        static ValueType of(int id) {
            return id >= 0 && id < values().length ? values()[id] : null;
        }
    }

    /**
     * One metadata value. Scalars are Java objects ({@code Integer} for the 8-, 16- and signed 32-bit
     * integers, {@code Long} for UINT32, UINT64 and INT64, {@code Float}, {@code Double},
     * {@code Boolean}, {@code String}); an array is an {@link Array}.
     *
     * @param type the stored type
     * @param value the value
     */
    public record Value(ValueType type, Object value) {}

    /**
     * A metadata array: elements of one type, held as a primitive array where one fits
     * ({@code int[]}, {@code long[]}, {@code float[]}, {@code double[]}, {@code boolean[]}),
     * {@code String[]} for strings and {@code Array[]} for arrays of arrays.
     *
     * @param elementType the elements' type
     * @param values the elements
     */
    public record Array(ValueType elementType, Object values) {
        /** The number of elements. */
        public int length() {
            return java.lang.reflect.Array.getLength(values);
        }
    }

    /**
     * Where one tensor lies and what it holds.
     *
     * @param name its name ({@code blk.0.attn_q.weight})
     * @param ggmlType its GGML type number
     * @param shape its dimensions in row-major order (GGUF's reversed)
     * @param offset its first byte, from the start of the data
     */
    public record TensorInfo(String name, int ggmlType, long[] shape, long offset) {}

    private final Path path;
    private final int version;
    private final Map<String, Value> metadata;
    private final Map<String, Tensor> tensors;
    private final Map<String, TensorInfo> infos;
    private final int alignment;
    private final long dataOffset;

    private GgufFile(Path path, int version, Map<String, Value> metadata, Map<String, TensorInfo> infos,
            Map<String, Tensor> tensors, int alignment, long dataOffset) {
        this.path = path;
        this.version = version;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.infos = Collections.unmodifiableMap(infos);
        this.tensors = Collections.unmodifiableMap(tensors);
        this.alignment = alignment;
        this.dataOffset = dataOffset;
    }

    /**
     * Maps {@code file} and reads its header.
     *
     * @throws ModelException when it is not GGUF, is of an unsupported version, is truncated, or a
     *     value or tensor is not valid, naming the offset and the key or tensor
     * @throws IOException when it cannot be read
     */
    public static GgufFile read(Path file) throws IOException {
        GgufFile first = readOne(file);
        return first.metadata.containsKey(SPLIT_COUNT) && first.integer(SPLIT_COUNT) > 1 ? joinSplits(first) : first;
    }

    private static GgufFile readOne(Path file) throws IOException {
        MemorySegment seg;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
        }
        return new Reader(file, seg).read();
    }

    // The metadata llama.cpp's gguf-split writes into each part of a split model.
    private static final String SPLIT_NO = "split.no";
    private static final String SPLIT_COUNT = "split.count";
    private static final String SPLIT_TENSORS = "split.tensors.count";
    private static final java.util.regex.Pattern SPLIT_NAME = java.util.regex.Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.gguf");

    /**
     * A model gguf-split cut into parts ({@code NAME-00001-of-00003.gguf}, …; each part's
     * {@code split.no} and {@code split.count}), read from its first part as one file: the first
     * part's metadata, every part's tensors (each a view into its own mapped part).
     */
    private static GgufFile joinSplits(GgufFile first) throws IOException {
        String name = first.path.getFileName().toString();
        int count = (int) first.integer(SPLIT_COUNT);
        java.util.regex.Matcher m = SPLIT_NAME.matcher(name);
        if (first.integer(SPLIT_NO, 0) != 0 || !m.matches()) {
            throw new ModelException(name + ": part " + (first.integer(SPLIT_NO, 0) + 1) + " of a model split into "
                    + count + " files; give its first part (NAME-00001-of-" + String.format("%05d", count) + ".gguf)");
        }
        Map<String, TensorInfo> infos = new LinkedHashMap<>(first.infos);
        Map<String, Tensor> tensors = new LinkedHashMap<>(first.tensors);
        for (int i = 1; i < count; i++) {
            Path part = first.path.resolveSibling(String.format("%s-%05d-of-%05d.gguf", m.group(1), i + 1, count));
            if (!Files.isRegularFile(part)) {
                throw new ModelException(name + ": part " + (i + 1) + " of " + count + ", " + part.getFileName()
                        + ", is missing");
            }
            GgufFile p = readOne(part);
            if (p.integer(SPLIT_NO, -1) != i || p.integer(SPLIT_COUNT, -1) != count) {
                throw new ModelException(part.getFileName() + ": metadata split.no/split.count say part "
                        + (p.integer(SPLIT_NO, -1) + 1) + " of " + p.integer(SPLIT_COUNT, -1) + ", expected " + (i + 1)
                        + " of " + count);
            }
            for (Map.Entry<String, Tensor> t : p.tensors.entrySet()) {
                if (tensors.put(t.getKey(), t.getValue()) != null) {
                    throw new ModelException(part.getFileName() + ": tensor " + t.getKey() + " is also in an earlier part");
                }
                infos.put(t.getKey(), p.infos.get(t.getKey()));
            }
        }
        long expected = first.integer(SPLIT_TENSORS, tensors.size());
        if (expected != tensors.size()) {
            throw new ModelException(name + ": metadata split.tensors.count is " + expected + ", the " + count
                    + " parts hold " + tensors.size() + " tensors");
        }
        return new GgufFile(first.path, first.version, first.metadata, infos, tensors, first.alignment,
                first.dataOffset);
    }

    /** Whether {@code file} starts with the GGUF magic. */
    public static boolean looksLikeGguf(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            return ch.read(b) == 4 && b.getInt(0) == MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The format version, 2 or 3. */
    public int version() {
        return version;
    }

    /** The data alignment in bytes. */
    public int alignment() {
        return alignment;
    }

    /** Where the tensor data starts in the file. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Every metadata key and value, in file order. */
    public Map<String, Value> metadata() {
        return metadata;
    }

    /** Every tensor, by name, in file order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** Every tensor's place in the file, by name, in file order. */
    public Map<String, TensorInfo> tensorInfos() {
        return infos;
    }

    /** The value of {@code key}, if present. */
    public Optional<Value> find(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    /** {@code general.architecture}. */
    public String architecture() {
        return string("general.architecture");
    }

    /**
     * The rows of {@code token_embd.weight}, the vocabulary size every architecture's metadata implies.
     *
     * @throws ModelException when that tensor is missing or not a matrix
     */
    public int tokenEmbeddingRows() {
        Tensor embd = tensors().get("token_embd.weight");
        if (embd == null || embd.rank() != 2) {
            throw new ModelException(path.getFileName() + ": tensor token_embd.weight is missing");
        }
        return (int) embd.dim(0);
    }

    /**
     * The string at {@code key}.
     *
     * @throws ModelException when it is missing or not a string
     */
    public String string(String key) {
        Object v = require(key).value();
        if (!(v instanceof String s)) {
            throw wrongType(key, "a string");
        }
        return s;
    }

    /** The string at {@code key}, or {@code fallback} when absent. */
    public String string(String key, String fallback) {
        return metadata.containsKey(key) ? string(key) : fallback;
    }

    /**
     * The integer at {@code key} (any integer type).
     *
     * @throws ModelException when it is missing or not an integer
     */
    public long integer(String key) {
        Object v = require(key).value();
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long l) {
            return l;
        }
        throw wrongType(key, "an integer");
    }

    /** The integer at {@code key}, or {@code fallback} when absent. */
    public long integer(String key, long fallback) {
        return metadata.containsKey(key) ? integer(key) : fallback;
    }

    /**
     * The number at {@code key} (any integer or floating type) as a double; a FLOAT32 as the
     * shortest decimal that names it (1e-5, not 9.999999747378752E-6: what its writer meant).
     *
     * @throws ModelException when it is missing or not a number
     */
    public double number(String key) {
        Object v = require(key).value();
        if (v instanceof Float f) {
            return Double.parseDouble(Float.toString(f));
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType(key, "a number");
    }

    /** The number at {@code key}, or {@code fallback} when absent. */
    public double number(String key, double fallback) {
        return metadata.containsKey(key) ? number(key) : fallback;
    }

    /** The boolean at {@code key}, or {@code fallback} when absent. */
    public boolean bool(String key, boolean fallback) {
        if (!metadata.containsKey(key)) {
            return fallback;
        }
        if (!(metadata.get(key).value() instanceof Boolean b)) {
            throw wrongType(key, "a boolean");
        }
        return b;
    }

    /**
     * The array of strings at {@code key}.
     *
     * @throws ModelException when it is missing or not an array of strings
     */
    public String[] strings(String key) {
        if (require(key).value() instanceof Array a && a.values() instanceof String[] s) {
            return s;
        }
        throw wrongType(key, "an array of strings");
    }

    /**
     * The array of numbers at {@code key} as floats.
     *
     * @throws ModelException when it is missing or not an array of numbers
     */
    public float[] floats(String key) {
        if (require(key).value() instanceof Array a) {
            Object v = a.values();
            if (v instanceof float[] f) {
                return f;
            }
            int n = a.length();
            float[] out = new float[n];
            if (v instanceof int[] i) {
                for (int k = 0; k < n; k++) {
                    out[k] = i[k];
                }
                return out;
            }
            if (v instanceof long[] l) {
                for (int k = 0; k < n; k++) {
                    out[k] = l[k];
                }
                return out;
            }
            if (v instanceof double[] d) {
                for (int k = 0; k < n; k++) {
                    out[k] = (float) d[k];
                }
                return out;
            }
        }
        throw wrongType(key, "an array of numbers");
    }

    /**
     * The array of integers at {@code key} as ints.
     *
     * @throws ModelException when it is missing, not an array of integers, or a value does not fit an int
     */
    public int[] ints(String key) {
        if (require(key).value() instanceof Array a) {
            if (a.values() instanceof int[] i) {
                return i;
            }
            if (a.values() instanceof long[] l) {
                int[] out = new int[l.length];
                for (int k = 0; k < l.length; k++) {
                    if (l[k] != (int) l[k]) {
                        throw new ModelException(path.getFileName() + ": metadata " + key + "[" + k + "] = " + l[k]
                                + " does not fit a 32-bit integer");
                    }
                    out[k] = (int) l[k];
                }
                return out;
            }
        }
        throw wrongType(key, "an array of integers");
    }

    private Value require(String key) {
        Value v = metadata.get(key);
        if (v == null) {
            throw new ModelException(path.getFileName() + ": metadata " + key + " is missing");
        }
        return v;
    }

    private ModelException wrongType(String key, String expected) {
        Value v = metadata.get(key);
        String found = v.value() instanceof Array a ? "an array of " + a.elementType() : v.type().toString();
        return new ModelException(path.getFileName() + ": metadata " + key + " is " + found + ", expected " + expected);
    }

    /** GGML's type numbers and their names, for the types this reader can hold and for errors. */
    static DType dtype(int ggmlType) {
        return switch (ggmlType) {
            case 0 -> DType.F32;
            case 1 -> DType.F16;
            case 2 -> DType.Q4_0;
            case 3 -> DType.Q4_1;
            case 6 -> DType.Q5_0;
            case 7 -> DType.Q5_1;
            case 8 -> DType.Q8_0;
            case 10 -> DType.Q2_K;
            case 11 -> DType.Q3_K;
            case 12 -> DType.Q4_K;
            case 13 -> DType.Q5_K;
            case 14 -> DType.Q6_K;
            case 24 -> DType.I8;
            case 25 -> DType.I16;
            case 26 -> DType.I32;
            case 27 -> DType.I64;
            case 28 -> DType.F64;
            case 30 -> DType.BF16;
            default -> null;
        };
    }

    /** The GGML type number of {@code type}. */
    public static int ggmlType(DType type) {
        for (int id = 0; id < 40; id++) {
            if (dtype(id) == type) {
                return id;
            }
        }
        throw new IllegalArgumentException(type + " has no GGML type");
    }

    private static final List<String> GGML_NAMES = List.of("F32", "F16", "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0",
            "Q5_1", "Q8_0", "Q8_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS",
            "IQ1_S", "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M", "BF16", "Q4_0_4_4",
            "Q4_0_4_8", "Q4_0_8_8", "TQ1_0", "TQ2_0", "IQ4_NL_4_4", "IQ4_NL_4_8", "IQ4_NL_8_8", "MXFP4");

    static String ggmlName(int id) {
        return id >= 0 && id < GGML_NAMES.size() ? GGML_NAMES.get(id) : "unknown";
    }

    /** A cursor over the header. */
    private static final class Reader {
        private final Path path;
        private final String file;
        private final MemorySegment seg;
        private long at;
        private final Map<String, Long> valueAt = new java.util.HashMap<>(); // metadata key -> its value's offset
        private final Map<String, Long> infoAt = new java.util.HashMap<>(); // tensor name -> its info's offset

        Reader(Path path, MemorySegment seg) {
            this.path = path;
            this.file = path.getFileName().toString();
            this.seg = seg;
        }

        GgufFile read() {
            need(4, "the magic");
            int magic = seg.get(U32, 0);
            if (magic != MAGIC) {
                throw new ModelException(file + " offset 0x0: not a GGUF file (magic " + String.format("%08x",
                        Integer.reverseBytes(magic)) + ", expected 47475546 \"GGUF\")");
            }
            at = 4;
            int version = u32("the version");
            if (version == 1) {
                throw new ModelException(file + " offset 0x4: GGUF version 1 is not supported (versions 2 and 3 are)");
            }
            if (version != 2 && version != 3) {
                String why = Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3
                        ? " (a big-endian file; only little-endian GGUF is supported)" : "";
                throw new ModelException(file + " offset 0x4: GGUF version " + Integer.toUnsignedString(version)
                        + " is not supported" + why);
            }
            long nTensors = count(u64("the tensor count"), "tensor count", at - 8);
            long nKv = count(u64("the metadata count"), "metadata count", at - 8);
            Map<String, Value> metadata = new LinkedHashMap<>();
            for (long i = 0; i < nKv; i++) {
                long keyAt = at;
                String key = string("metadata key " + i);
                if (metadata.containsKey(key)) {
                    throw new ModelException(file + " offset 0x" + Long.toHexString(keyAt) + ": metadata key " + key
                            + " appears twice");
                }
                long typeAt = at;
                int typeId = u32("the type of " + key);
                ValueType type = ValueType.of(typeId);
                if (type == null) {
                    throw new ModelException(file + " offset 0x" + Long.toHexString(typeAt) + ": metadata " + key
                            + " has value type " + typeId + " (expected 0-12)");
                }
                valueAt.put(key, at);
                metadata.put(key, new Value(type, value(type, key, 0)));
            }
            int alignment = DEFAULT_ALIGNMENT;
            Value a = metadata.get("general.alignment");
            if (a != null) {
                if (a.type() != ValueType.UINT32 || !(a.value() instanceof Long l) || l <= 0 || l > (1 << 20)
                        || Long.bitCount(l) != 1) {
                    throw new ModelException(file + " offset 0x" + Long.toHexString(valueAt.get("general.alignment"))
                            + ": metadata general.alignment is " + a.value() + " of type " + a.type()
                            + " (expected a power of two up to 2^20 as UINT32)");
                }
                alignment = (int) (long) (Long) a.value();
            }
            Map<String, TensorInfo> infos = new LinkedHashMap<>();
            for (long i = 0; i < nTensors; i++) {
                long infoAt0 = at;
                String name = string("tensor name " + i);
                int nDims = u32("the dimension count of tensor " + name);
                if (nDims < 1 || nDims > 4) {
                    throw new ModelException(file + " offset 0x" + Long.toHexString(at - 4) + ": tensor " + name
                            + " has " + Integer.toUnsignedString(nDims) + " dimensions (expected 1-4)");
                }
                long[] shape = new long[nDims];
                for (int d = 0; d < nDims; d++) {
                    long n = u64("dimension " + d + " of tensor " + name);
                    if (n < 0 || n > (1L << 40)) {
                        throw new ModelException(file + " offset 0x" + Long.toHexString(at - 8) + ": tensor " + name
                                + " dimension " + d + " is " + Long.toUnsignedString(n));
                    }
                    shape[nDims - 1 - d] = n;
                }
                int type = u32("the type of tensor " + name);
                long offset = u64("the offset of tensor " + name);
                if (infos.containsKey(name)) {
                    throw new ModelException(file + " offset 0x" + Long.toHexString(infoAt0) + ": tensor " + name
                            + " appears twice");
                }
                infos.put(name, new TensorInfo(name, type, shape, offset));
                infoAt.put(name, infoAt0);
            }
            long dataOffset = (at + alignment - 1) / alignment * alignment;
            long dataLen = seg.byteSize() - dataOffset;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (TensorInfo info : infos.values()) {
                tensors.put(info.name(), tensor(info, dataOffset, dataLen, alignment));
            }
            checkNoOverlap(infos, tensors);
            return new GgufFile(path, version, metadata, infos, tensors, alignment, dataOffset);
        }

        private Tensor tensor(TensorInfo info, long dataOffset, long dataLen, int alignment) {
            String name = info.name();
            DType type = dtype(info.ggmlType());
            if (type == null) {
                throw new ModelException(file + ": tensor " + name + " has GGML type " + info.ggmlType() + " ("
                        + ggmlName(info.ggmlType()) + "), not supported (F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, "
                        + "Q2_K-Q6_K, I8-I64, F64 are)");
            }
            String where = file + " offset 0x" + Long.toHexString(infoAt.get(name)) + ": tensor " + name;
            long[] shape = info.shape();
            long inner = shape[shape.length - 1];
            if (inner % type.blockSize() != 0) {
                throw new ModelException(where + " of " + type + " has rows of " + inner + " values, not whole blocks of "
                        + type.blockSize());
            }
            long size;
            try {
                size = type.byteSize(Tensor.elementCount(shape));
            } catch (ArithmeticException e) {
                throw new ModelException(where + " has shape " + java.util.Arrays.toString(shape) + ", more bytes than "
                        + "any file holds");
            }
            if (info.offset() % alignment != 0) {
                throw new ModelException(where + " starts at data offset " + Long.toUnsignedString(info.offset())
                        + ", not a multiple of the alignment " + alignment);
            }
            if (info.offset() < 0 || info.offset() > dataLen || size > dataLen - info.offset()) {
                throw new ModelException(where + " needs " + size + " bytes from data offset "
                        + Long.toUnsignedString(info.offset()) + ", beyond the end of the data (" + dataLen + " bytes "
                        + "from file offset " + dataOffset + "; truncated?)");
            }
            return new Tensor(name, type, shape, seg.asSlice(dataOffset + info.offset(), size));
        }

        // Tensors may not share bytes: llama.cpp lays them one after the other, and a crafted file
        // that overlaps them would alias one weight as another.
        private void checkNoOverlap(Map<String, TensorInfo> infos, Map<String, Tensor> tensors) {
            List<TensorInfo> byOffset = new java.util.ArrayList<>(infos.values());
            byOffset.sort(java.util.Comparator.comparingLong(TensorInfo::offset));
            for (int i = 1; i < byOffset.size(); i++) {
                TensorInfo prev = byOffset.get(i - 1);
                TensorInfo cur = byOffset.get(i);
                long prevEnd = prev.offset() + tensors.get(prev.name()).data().byteSize();
                if (cur.offset() < prevEnd) {
                    throw new ModelException(file + " offset 0x" + Long.toHexString(infoAt.get(cur.name())) + ": tensor "
                            + cur.name() + " starts at data offset " + cur.offset() + ", inside tensor " + prev.name()
                            + " (data offsets " + prev.offset() + " to " + prevEnd + ")");
                }
            }
        }

        /** The fewest bytes one element of {@code type} takes in the file (a string: its length; an array: type and count). */
        private static int minBytes(ValueType type) {
            return switch (type) {
                case UINT8, INT8, BOOL -> 1;
                case UINT16, INT16 -> 2;
                case UINT32, INT32, FLOAT32 -> 4;
                case UINT64, INT64, FLOAT64, STRING -> 8;
                case ARRAY -> 12;
            };
        }

        private Object value(ValueType type, String key, int depth) {
            return switch (type) {
                case UINT8 -> { need(1, key); yield seg.get(ValueLayout.JAVA_BYTE, at++) & 0xff; }
                case INT8 -> { need(1, key); yield (int) seg.get(ValueLayout.JAVA_BYTE, at++); }
                case UINT16 -> { need(2, key); int v = seg.get(U16, at) & 0xffff; at += 2; yield v; }
                case INT16 -> { need(2, key); int v = seg.get(U16, at); at += 2; yield v; }
                case UINT32 -> Integer.toUnsignedLong(u32(key));
                case INT32 -> u32(key);
                case FLOAT32 -> { need(4, key); float v = seg.get(F32, at); at += 4; yield v; }
                case BOOL -> {
                    need(1, key);
                    int b = seg.get(ValueLayout.JAVA_BYTE, at);
                    if (b != 0 && b != 1) {
                        throw new ModelException(file + " offset 0x" + Long.toHexString(at) + ": metadata " + key
                                + " is a BOOL of value " + b + " (expected 0 or 1)");
                    }
                    at++;
                    yield b == 1;
                }
                case STRING -> string(key);
                case UINT64, INT64 -> u64(key);
                case FLOAT64 -> { need(8, key); double v = seg.get(F64, at); at += 8; yield v; }
                case ARRAY -> array(key, depth);
            };
        }

        private Array array(String key, int depth) {
            long typeAt = at;
            int typeId = u32("the element type of " + key);
            ValueType type = ValueType.of(typeId);
            if (type == null) {
                throw new ModelException(file + " offset 0x" + Long.toHexString(typeAt) + ": metadata " + key
                        + " is an array of value type " + typeId + " (expected 0-12)");
            }
            if (depth > 8) {
                throw new ModelException(file + " offset 0x" + Long.toHexString(typeAt) + ": metadata " + key
                        + " nests arrays more than 8 deep");
            }
            long n = u64("the length of " + key);
            // Each element takes at least minBytes(type) bytes: a count whose elements cannot fit in what is
            // left of the file is a broken file, refused before anything is allocated for it.
            if (n < 0 || n > (seg.byteSize() - at) / minBytes(type) || n > Integer.MAX_VALUE - 8) {
                throw new ModelException(file + " offset 0x" + Long.toHexString(at - 8) + ": metadata " + key
                        + " claims " + Long.toUnsignedString(n) + " elements, more than the file holds");
            }
            int len = (int) n;
            switch (type) {
                case UINT8, INT8, UINT16, INT16, INT32 -> {
                    int[] v = new int[len];
                    for (int i = 0; i < len; i++) {
                        v[i] = (Integer) value(type, key, depth);
                    }
                    return new Array(type, v);
                }
                case UINT32, UINT64, INT64 -> {
                    long[] v = new long[len];
                    for (int i = 0; i < len; i++) {
                        v[i] = (Long) value(type, key, depth);
                    }
                    return new Array(type, v);
                }
                case FLOAT32 -> {
                    need(4L * len, key);
                    float[] v = new float[len];
                    MemorySegment.copy(seg, F32, at, v, 0, len);
                    at += 4L * len;
                    return new Array(type, v);
                }
                case FLOAT64 -> {
                    need(8L * len, key);
                    double[] v = new double[len];
                    MemorySegment.copy(seg, F64, at, v, 0, len);
                    at += 8L * len;
                    return new Array(type, v);
                }
                case BOOL -> {
                    boolean[] v = new boolean[len];
                    for (int i = 0; i < len; i++) {
                        v[i] = (Boolean) value(type, key, depth);
                    }
                    return new Array(type, v);
                }
                case STRING -> {
                    String[] v = new String[len];
                    for (int i = 0; i < len; i++) {
                        v[i] = string(key + "[" + i + "]");
                    }
                    return new Array(type, v);
                }
                case ARRAY -> {
                    Array[] v = new Array[len];
                    for (int i = 0; i < len; i++) {
                        v[i] = array(key + "[" + i + "]", depth + 1);
                    }
                    return new Array(type, v);
                }
                default -> throw new IllegalStateException(type.toString());
            }
        }

        private String string(String what) {
            long lenAt = at;
            long n = u64("the length of " + what);
            if (n < 0 || n > seg.byteSize() - at || n > Integer.MAX_VALUE - 8) {
                throw new ModelException(file + " offset 0x" + Long.toHexString(lenAt) + ": " + what
                        + " is a string of " + Long.toUnsignedString(n) + " bytes, beyond the end of the file");
            }
            // As llama.cpp takes them: bytes that are not UTF-8 (rare, in some vocabularies) become U+FFFD.
            String s = new String(seg.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            at += n;
            return s;
        }

        private int u32(String what) {
            need(4, what);
            int v = seg.get(U32, at);
            at += 4;
            return v;
        }

        private long u64(String what) {
            need(8, what);
            long v = seg.get(U64, at);
            at += 8;
            return v;
        }

        private long count(long n, String what, long where) {
            if (n < 0 || n > MAX_COUNT) {
                throw new ModelException(file + " offset 0x" + Long.toHexString(where) + ": " + what + " "
                        + Long.toUnsignedString(n) + " is not plausible");
            }
            return n;
        }

        private void need(long n, String what) {
            if (n > seg.byteSize() - at) {
                throw new ModelException(file + " offset 0x" + Long.toHexString(at) + ": the file ends in " + what
                        + " (truncated?)");
            }
        }
    }
}
