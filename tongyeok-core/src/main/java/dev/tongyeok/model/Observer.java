package dev.tongyeok.model;

/**
 * Watches a forward pass: the hidden states after the embeddings and after every layer, and
 * each head's attention probabilities. The arrays passed belong to the forward pass: copy what
 * you keep. All methods default to doing nothing; {@link #NONE} observes nothing.
 */
public interface Observer {
    /** An observer that asks for nothing, so the forward pass skips all copies. */
    Observer NONE = new Observer() {};

    /** Whether {@link #attention} should be called (it costs a copy per head). */
    default boolean wantsAttention() {
        return false;
    }

    /** Whether {@link #hiddenState} should be called. */
    default boolean wantsHiddenStates() {
        return false;
    }

    /**
     * The hidden state entering layer {@code layer} (0 is the embeddings' output, the last the
     * encoder's output).
     *
     * <pre>x: (T, C), all sequences of the batch packed</pre>
     */
    default void hiddenState(int layer, float[] x, int T, int C) {}

    /**
     * One head's attention probabilities for one sequence; each row sums to 1. {@code probs} is
     * scratch that the next head overwrites: copy what is kept.
     *
     * <pre>probs: (Ts, Ts), Ts the sequence's length</pre>
     */
    default void attention(int layer, int sequence, int head, float[] probs, int Ts) {}
}
