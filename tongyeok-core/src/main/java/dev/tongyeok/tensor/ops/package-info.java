/**
 * The compute kernels behind one interface, {@link dev.tongyeok.tensor.ops.TensorOps}: a Vector
 * API implementation and its scalar reference twin.
 *
 * <p>Dimension legend, used in every shape comment: T tokens (rows), C input channels, OC output
 * channels, H attention heads, D head size (C / H).
 */
package dev.tongyeok.tensor.ops;
