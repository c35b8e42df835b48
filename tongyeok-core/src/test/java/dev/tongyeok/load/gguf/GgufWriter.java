package dev.tongyeok.load.gguf;

import dev.tongyeok.load.gguf.GgufFile.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF files for tests, from the format's specification (ggml/docs/gguf.md), not from our
 * reader: header, typed metadata, tensor infos (dimensions innermost first), aligned data.
 * Quantizes to Q8_0 as GGML's reference quantizer does.
 */
public final class GgufWriter {
    /** A metadata value: its type and a Java value (arrays: {@link Arr}). */
    public record Val(ValueType type, Object value) {}

    /** An array value: element type and elements (a List, whose items are Java values or nested Arr). */
    public record Arr(ValueType elementType, List<?> items) {}

    private record T(String name, int ggmlType, long[] shape, byte[] data, long size) {}

    private final int version;
    private int alignment = 32;
    private final Map<String, Val> kv = new LinkedHashMap<>();
    private final List<T> tensors = new ArrayList<>();

    public GgufWriter(int version) {
        this.version = version;
    }

    public GgufWriter alignment(int a) {
        this.alignment = a;
        kv.put("general.alignment", new Val(ValueType.UINT32, (long) a));
        return this;
    }

    public GgufWriter put(String key, ValueType type, Object value) {
        kv.put(key, new Val(type, value));
        return this;
    }

    public GgufWriter string(String key, String v) {
        return put(key, ValueType.STRING, v);
    }

    public GgufWriter u32(String key, long v) {
        return put(key, ValueType.UINT32, v);
    }

    public GgufWriter f32(String key, float v) {
        return put(key, ValueType.FLOAT32, v);
    }

    public GgufWriter bool(String key, boolean v) {
        return put(key, ValueType.BOOL, v);
    }

    public GgufWriter strings(String key, List<String> v) {
        return put(key, ValueType.ARRAY, new Arr(ValueType.STRING, v));
    }

    public GgufWriter ints(String key, List<Integer> v) {
        return put(key, ValueType.ARRAY, new Arr(ValueType.INT32, v));
    }

    public GgufWriter floats(String key, List<Float> v) {
        return put(key, ValueType.ARRAY, new Arr(ValueType.FLOAT32, v));
    }

    /** A tensor of raw bytes; shape row-major (outermost first), as our reader reports it. */
    public GgufWriter tensor(String name, int ggmlType, long[] shape, byte[] data) {
        tensors.add(new T(name, ggmlType, shape, data, data.length));
        return this;
    }

    /** A tensor whose bytes are left as zeros of a sparse file (size bytes). */
    public GgufWriter sparseTensor(String name, int ggmlType, long[] shape, long size) {
        tensors.add(new T(name, ggmlType, shape, null, size));
        return this;
    }

    public GgufWriter f32Tensor(String name, long[] shape, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return tensor(name, 0, shape, b.array());
    }

    /** Q8_0 as GGML's quantize_row_q8_0_ref: per 32 values d = max|x| / 127, q = round(x / d). */
    public GgufWriter q8Tensor(String name, long[] shape, float[] v) {
        return tensor(name, 8, shape, q8_0(v));
    }

    public static byte[] q8_0(float[] v) {
        if (v.length % 32 != 0) {
            throw new IllegalArgumentException(v.length + " values are not whole Q8_0 blocks");
        }
        ByteBuffer b = ByteBuffer.allocate(v.length / 32 * 34).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; i += 32) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(v[i + j]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1 / d : 0;
            b.putShort(Float.floatToFloat16(d));
            for (int j = 0; j < 32; j++) {
                b.put((byte) Math.round(v[i + j] * id));
            }
        }
        return b.array();
    }

    /**
     * Writes the model in {@code parts} files as llama.cpp's gguf-split does: {@code NAME-00001-of-0000N.gguf}
     * beside {@code first} (whose name gives NAME), the first part with all the metadata, every part
     * with {@code split.no}, {@code split.count} and {@code split.tensors.count}, the tensors in order,
     * cut into runs of about equal count.
     *
     * @return the first part
     */
    public Path writeSplit(Path first, int parts) throws IOException {
        String stem = first.getFileName().toString().replaceFirst("\\.gguf$", "");
        int per = (tensors.size() + parts - 1) / parts;
        Path out = null;
        for (int p = 0; p < parts; p++) {
            GgufWriter w = new GgufWriter(version);
            w.alignment = alignment;
            if (p == 0) {
                w.kv.putAll(kv);
            }
            w.kv.put("split.no", new Val(ValueType.UINT16, p));
            w.kv.put("split.count", new Val(ValueType.UINT16, parts));
            w.kv.put("split.tensors.count", new Val(ValueType.INT32, tensors.size()));
            w.tensors.addAll(tensors.subList(Math.min(tensors.size(), p * per), Math.min(tensors.size(), (p + 1) * per)));
            Path file = first.resolveSibling(String.format("%s-%05d-of-%05d.gguf", stem, p + 1, parts));
            w.write(file);
            out = out == null ? file : out;
        }
        return out;
    }

    /** Writes the file; returns each tensor's absolute file offset, by name. */
    public Map<String, Long> write(Path file) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        ByteBuffer head = le(24).putInt(0x46554747).putInt(version).putLong(tensors.size()).putLong(kv.size());
        h.write(head.array());
        for (Map.Entry<String, Val> e : kv.entrySet()) {
            str(h, e.getKey());
            h.write(le(4).putInt(e.getValue().type().ordinal()).array());
            value(h, e.getValue().type(), e.getValue().value());
        }
        long at = 0;
        List<Long> offsets = new ArrayList<>();
        for (T t : tensors) {
            str(h, t.name());
            h.write(le(4).putInt(t.shape().length).array());
            for (int d = t.shape().length - 1; d >= 0; d--) {
                h.write(le(8).putLong(t.shape()[d]).array());
            }
            h.write(le(4).putInt(t.ggmlType()).array());
            h.write(le(8).putLong(at).array());
            offsets.add(at);
            at = (at + t.size() + alignment - 1) / alignment * alignment;
        }
        long dataStart = (h.size() + alignment - 1L) / alignment * alignment;
        Map<String, Long> where = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(h.toByteArray()), 0);
            long end = dataStart;
            for (int i = 0; i < tensors.size(); i++) {
                T t = tensors.get(i);
                long pos = dataStart + offsets.get(i);
                where.put(t.name(), pos);
                if (t.data() != null) {
                    ch.write(ByteBuffer.wrap(t.data()), pos);
                }
                end = Math.max(end, pos + t.size());
            }
            if (ch.size() < end) {
                ch.write(ByteBuffer.allocate(1), end - 1); // the rest stays a hole of zeros
            }
        }
        return where;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void str(ByteArrayOutputStream h, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        h.write(le(8).putLong(b.length).array());
        h.write(b);
    }

    private static void value(ByteArrayOutputStream h, ValueType type, Object v) throws IOException {
        switch (type) {
            case UINT8, INT8 -> h.write(((Number) v).intValue());
            case UINT16, INT16 -> h.write(le(2).putShort(((Number) v).shortValue()).array());
            case UINT32, INT32 -> h.write(le(4).putInt(((Number) v).intValue()).array());
            case FLOAT32 -> h.write(le(4).putFloat(((Number) v).floatValue()).array());
            case BOOL -> h.write((Boolean) v ? 1 : 0);
            case STRING -> str(h, (String) v);
            case UINT64, INT64 -> h.write(le(8).putLong(((Number) v).longValue()).array());
            case FLOAT64 -> h.write(le(8).putDouble(((Number) v).doubleValue()).array());
            case ARRAY -> {
                Arr a = (Arr) v;
                h.write(le(4).putInt(a.elementType().ordinal()).array());
                h.write(le(8).putLong(a.items().size()).array());
                for (Object item : a.items()) {
                    value(h, a.elementType(), item);
                }
            }
        }
    }
}
