package dev.tongyeok.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Random weights of tiny test models, as maps from checkpoint names to {shape as floats, data}, and
 * their safetensors files.
 */
public final class RandomTensors {
    private RandomTensors() {}

    /** A tensor of {@code shape} with N(0, scale²) values. */
    public static void put(Map<String, float[][]> w, String name, Random r, double scale, int... shape) {
        int n = 1;
        float[] s = new float[shape.length];
        for (int i = 0; i < shape.length; i++) {
            n *= shape[i];
            s[i] = shape[i];
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        w.put(name, new float[][] {s, v});
    }

    /** A LayerNorm of width C: {@code name.weight} near 1, {@code name.bias} near 0. */
    public static void norm(Map<String, float[][]> w, String name, Random r, int C) {
        float[] g = new float[C];
        float[] b = new float[C];
        for (int i = 0; i < C; i++) {
            g[i] = (float) (1 + 0.1 * r.nextGaussian());
            b[i] = (float) (0.1 * r.nextGaussian());
        }
        w.put(name + ".weight", new float[][] {{C}, g});
        w.put(name + ".bias", new float[][] {{C}, b});
    }

    /**
     * {@code L} random {@code BertModel} layers ({@code encoder.layer.N.}: attention, its output
     * LayerNorm, the feed-forward of width I, its LayerNorm) of width C, in the order they are drawn.
     */
    public static void bertLayers(Map<String, float[][]> w, Random r, int L, int C, int I) {
        for (int l = 0; l < L; l++) {
            String p = "encoder.layer." + l + ".";
            for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense"}) {
                put(w, p + m + ".weight", r, 1 / Math.sqrt(C), C, C);
                put(w, p + m + ".bias", r, 0.1, C);
            }
            norm(w, p + "attention.output.LayerNorm", r, C);
            put(w, p + "intermediate.dense.weight", r, 1 / Math.sqrt(C), I, C);
            put(w, p + "intermediate.dense.bias", r, 0.1, I);
            put(w, p + "output.dense.weight", r, 1 / Math.sqrt(I), C, I);
            put(w, p + "output.dense.bias", r, 0.1, C);
            norm(w, p + "output.LayerNorm", r, C);
        }
    }

    /** The shape of a tensor of these maps. */
    public static long[] shape(float[][] t) {
        long[] s = new long[t[0].length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (long) t[0][i];
        }
        return s;
    }

    /** The tensors as one safetensors file. */
    public static void write(Path file, Map<String, float[][]> w) throws IOException {
        Map<String, SafetensorsWriter.Entry> t = new LinkedHashMap<>();
        w.forEach((k, v) -> t.put(k, new SafetensorsWriter.Entry(shape(v), v[1])));
        SafetensorsWriter.write(file, t);
    }
}
