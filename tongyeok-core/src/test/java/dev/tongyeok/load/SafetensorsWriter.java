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
final class SafetensorsWriter {
    record Entry(long[] shape, float[] data) {}

    private SafetensorsWriter() {}

    static void write(Path file, Map<String, Entry> tensors) throws IOException {
        StringBuilder h = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long at = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            long n = e.getValue().data().length * 4L;
            h.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[");
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
                ByteBuffer b = ByteBuffer.allocate(e.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(e.data());
                out.write(b.array());
            }
        }
    }

    /** Every weight of {@code source} in checkpoint layout ((out, in) for linear layers), as F32. */
    static Map<String, Entry> checkpoint(WeightSource source, String prefix) {
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
