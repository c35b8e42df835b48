package dev.tongyeok.load;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes F32 tensors in the safetensors format (for tests: the format's spec, not our reader, decides the bytes). */
public final class SafetensorsWriter {
    public record Entry(long[] shape, float[] data) {}

    private SafetensorsWriter() {}

    public static void write(Path file, Map<String, Entry> tensors) throws IOException {
        write(file, tensors, "F32");
    }

    /** Writes every tensor as {@code dtype}: F32, F16 (IEEE half, round to nearest) or BF16 (upper half, rounded to nearest even). */
    public static void write(Path file, Map<String, Entry> tensors, String dtype) throws IOException {
        int size = dtype.equals("F32") ? 4 : 2;
        StringBuilder h = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long at = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            long n = e.getValue().data().length * (long) size;
            h.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"").append(dtype).append("\",\"shape\":[");
            long[] s = e.getValue().shape();
            for (int i = 0; i < s.length; i++) {
                h.append(i == 0 ? "" : ",").append(s[i]);
            }
            h.append("],\"data_offsets\":[").append(at).append(',').append(at + n).append("]}");
            at += n;
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - header.length % 8) % 8; // the format pads the header with spaces to 8 bytes
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length + pad);
            out.write(len.array());
            out.write(header);
            out.write(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
            for (Entry e : tensors.values()) {
                ByteBuffer b = ByteBuffer.allocate(e.data().length * size).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : e.data()) {
                    switch (dtype) {
                        case "F32" -> b.putFloat(f);
                        case "F16" -> b.putShort(Float.floatToFloat16(f));
                        default -> {
                            int bits = Float.floatToRawIntBits(f);
                            b.putShort((short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16));
                        }
                    }
                }
                out.write(b.array());
            }
        }
    }

    /** Every weight of {@code source} in checkpoint layout ((out, in) for linear layers), as F32. */
    public static Map<String, Entry> checkpoint(WeightSource source, String prefix) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (String name : source.names()) {
            Weight w = source.get(name);
            long[] shape = w.checkpointShape();
            float[] flat = w.tensor().toFloatArray();
            if (w.transposed()) {
                int rows = (int) shape[0];
                int cols = (int) shape[1];
                float[] t = new float[flat.length];
                for (int o = 0; o < rows; o++) {
                    for (int c = 0; c < cols; c++) {
                        t[o * cols + c] = flat[c * rows + o];
                    }
                }
                flat = t;
            }
            out.put(prefix + name, new Entry(shape, flat));
        }
        return out;
    }
}
