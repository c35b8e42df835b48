package dev.tongyeok.tensor.ops;

/**
 * The compute kernels, F32 throughout. Two implementations: {@link VectorOps} (the Vector API)
 * and {@link ScalarOps}, its plain-Java reference twin. {@link Ops#get()} picks one at start.
 *
 * <p>Legend: T rows (tokens), C input width, OC output width. Activations are row-major
 * {@code float[]}; a weight matrix is a {@link PackedMatrix} (C, OC) in column panels.
 *
 * <p>Implementations hold no state and are safe to share between threads.
 */
public interface TensorOps {
    /**
     * A matrix product over a range of panels of output columns: for every row t and every column o
     * of panels [p0, p1), {@code out[t*OC + o] = (Σ_c x[t*C + c] · w[c, o]) + bias[o]} (+ 0 without bias). The sum runs
     * over c in increasing order with fused multiply-adds, in every implementation, so results are
     * bitwise identical between them and do not depend on T.
     *
     * <pre>x: (T, C), w: (C, OC), bias: (OC) or null -> out: (T, OC)</pre>
     */
    void matmul(float[] x, int T, PackedMatrix w, float[] bias, float[] out, int p0, int p1);

    /**
     * A product with a block-quantized weight over outputs [o0, o1): output row o of w is decoded
     * to exactly the floats of {@link dev.tongyeok.tensor.Dequantize}, then for every input row t
     * {@code out[t*OC + o] = dot(x[t], w[o]) (+ bias[o])}, the dot summed lane by lane over whole
     * vectors, the lanes by a fixed tree, the tail in order, so that the implementations agree bitwise.
     *
     * <pre>x: (T, C), w: (OC, C) quantized, bias: (OC) or null -> out: (T, OC)</pre>
     */
    void matmulQuantized(float[] x, int T, QuantizedMatrix w, float[] bias, float[] out, int o0, int o1);

    /**
     * A small dense product on heap matrices with explicit strides (attention's QKᵀ and P·V):
     * {@code c[cOff + m*ldc + n] = Σ_k a[aOff + m*lda + k] · b[bOff + k*ldb + n]}, the sum over k in
     * increasing order with fused multiply-adds, so all implementations agree bitwise.
     *
     * <pre>a: (M, K), b: (K, N) -> c: (M, N)</pre>
     */
    void gemm(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, int M, int K,
            int N);

    /** {@code dst[dOff + i] += src[sOff + i]} for i in [0, n) (residual connections). */
    void add(float[] dst, int dOff, float[] src, int sOff, int n);

    /** Softmax in place over {@code x[off, off + n)}: exp(x − max) / Σ exp(x − max). */
    void softmax(float[] x, int off, int n);

    /**
     * LayerNorm in place over one row {@code x[off, off + n)}: (x − mean) / √(var + eps) · gamma + beta,
     * with the biased variance, as {@code torch.nn.LayerNorm}.
     */
    void layerNorm(float[] x, int off, int n, float[] gamma, float[] beta, float eps);

    /** GELU in place, exact form: x · ½(1 + erf(x / √2)) ({@code torch.nn.functional.gelu}). */
    void gelu(float[] x, int off, int n);

    /** GELU in place, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
    void geluTanh(float[] x, int off, int n);

    /** The activation a gated linear unit applies to its gate. */
    enum Gate {
        /** SiLU, x / (1 + e^−x): SwiGLU (Llama, NomicBERT). */
        SILU,
        /** Exact GELU, as {@link #gelu}: GEGLU (JinaBERT, ModernBERT, GTE). */
        GELU,
        /** GELU's tanh form, as {@link #geluTanh} (Gemma). */
        GELU_TANH,
        /** max(0, x): ReGLU. */
        RELU
    }

    /**
     * A gated linear unit over n values: {@code out[oOff + i] = act(gate[gOff + i]) · up[uOff + i]}.
     * {@code out} may be {@code gate} at the same offset. Element-wise, the same IEEE operations in
     * every implementation, so results are bitwise identical.
     */
    void glu(Gate act, float[] gate, int gOff, float[] up, int uOff, float[] out, int oOff, int n);

    /** A name for reports: {@code vector (512 bit)} or {@code scalar}. */
    String name();
}
