/**
 * Tensors as views over memory ({@code MemorySegment}s, usually memory-mapped weight files) and
 * the element types weights are stored in (F32, F16, BF16, int8/uint8 of quantized ONNX models).
 *
 * <p>Dimension legend: T tokens, C channels, OC output channels, H heads, D head size, V vocabulary.
 */
package dev.tongyeok.tensor;
