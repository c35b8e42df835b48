package dev.tongyeok.embed;

import dev.tongyeok.model.Observer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An {@link Observer} that keeps copies of every layer's hidden state and every head's attention, for {@link Inspection}. */
final class InspectionRecorder implements Observer {
    private final List<float[][]> hidden = new ArrayList<>();
    private final float[][][][] attention; // [layer][head] -> (T, T)

    InspectionRecorder(int layers, int heads) {
        attention = new float[layers][heads][][];
    }

    @Override
    public boolean wantsAttention() {
        return true;
    }

    @Override
    public boolean wantsHiddenStates() {
        return true;
    }

    @Override
    public void hiddenState(int layer, float[] x, int rows, int width) {
        float[][] m = new float[rows][];
        for (int t = 0; t < rows; t++) {
            m[t] = Arrays.copyOfRange(x, t * width, t * width + width);
        }
        hidden.add(m);
    }

    @Override
    public void attention(int layer, int sequence, int head, float[] probs, int T) {
        float[][] m = new float[T][];
        for (int i = 0; i < T; i++) {
            m[i] = Arrays.copyOfRange(probs, i * T, i * T + T);
        }
        attention[layer][head] = m;
    }

    /** The hidden states recorded, embeddings' output first. */
    List<float[][]> hiddenStates() {
        return List.copyOf(hidden);
    }

    /** The attention recorded, [layer][head]. */
    float[][][][] attention() {
        return attention;
    }
}
