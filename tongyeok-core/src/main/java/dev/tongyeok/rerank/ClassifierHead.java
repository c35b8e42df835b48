package dev.tongyeok.rerank;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.layer.Linear;
import dev.tongyeok.tensor.ops.Ops;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * A sequence-classification head over the first token's hidden state: a dense layer and tanh
 * (BERT's pooler, RoBERTa's {@code classifier.dense}), then the projection to the labels. Its
 * tensors, in the order they are looked for:
 * <ul>
 *   <li>GGUF, as llama.cpp's converter writes them: {@code cls.weight} (the dense layer) and
 *       {@code cls.output.weight} (the projection; without it the dense layer's tanh is the score,
 *       as llama.cpp computes it);</li>
 *   <li>{@code BertForSequenceClassification}: {@code pooler.dense} and {@code classifier};</li>
 *   <li>{@code XLMRobertaForSequenceClassification}, {@code RobertaForSequenceClassification}:
 *       {@code classifier.dense} and {@code classifier.out_proj}.</li>
 * </ul>
 */
final class ClassifierHead {
    private final Linear dense; // (C -> C) then tanh, or null
    private final Linear out; // (C -> labels), or null when the dense layer is the output
    private final int labels;

    private ClassifierHead(Linear dense, Linear out) {
        this.dense = dense;
        this.out = out;
        this.labels = out != null ? out.out() : dense.out();
    }

    /**
     * The head of the model whose encoder is {@code C} wide.
     *
     * @throws ModelException when the weights hold no classification head, naming what was looked for
     */
    static ClassifierHead load(WeightSource w, int C) {
        if (w.find("cls.weight").isPresent()) {
            Linear dense = Linear.load(w, "cls", C, rows(w, "cls.weight"));
            Linear out = w.find("cls.output.weight").isPresent()
                    ? Linear.load(w, "cls.output", dense.out(), rows(w, "cls.output.weight")) : null;
            return new ClassifierHead(dense, out);
        }
        if (w.find("classifier.out_proj.weight").isPresent()) {
            return new ClassifierHead(Linear.load(w, "classifier.dense", C, C),
                    Linear.load(w, "classifier.out_proj", C, rows(w, "classifier.out_proj.weight")));
        }
        if (w.find("classifier.weight").isPresent()) {
            Linear dense = w.find("pooler.dense.weight").isPresent() ? Linear.load(w, "pooler.dense", C, C) : null;
            return new ClassifierHead(dense, Linear.load(w, "classifier", C, rows(w, "classifier.weight")));
        }
        throw new ModelException(w.source() + ": no classification head (looked for cls.weight, "
                + "classifier.out_proj.weight, classifier.weight): this is not a cross-encoder");
    }

    private static int rows(WeightSource w, String name) {
        return (int) w.get(name).tensor().shape()[0];
    }

    /** The number of labels (1 for a reranker). */
    int labels() {
        return labels;
    }

    /**
     * The logits of each first-token row.
     *
     * <pre>cls: (N, C) -> (N, labels)</pre>
     */
    float[] logits(float[] cls, int N) {
        TensorOps ops = Ops.get();
        int[] starts = {0, N};
        float[] x = cls;
        if (dense != null) {
            float[] h = new float[N * dense.out()];
            dense.forward(ops, x, N, starts, h);
            for (int i = 0; i < h.length; i++) {
                h[i] = (float) Math.tanh(h[i]);
            }
            x = h;
        }
        if (out == null) {
            return x;
        }
        float[] y = new float[N * out.out()];
        out.forward(ops, x, N, starts, y);
        return y;
    }
}
