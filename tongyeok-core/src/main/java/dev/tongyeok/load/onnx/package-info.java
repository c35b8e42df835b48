/**
 * ONNX model files read without generated protobuf classes: {@link dev.tongyeok.load.onnx.OnnxGraph}
 * walks the {@code ModelProto} over the memory-mapped file, {@link dev.tongyeok.load.onnx.OnnxWeights}
 * traces the graph to give initializers their checkpoint names.
 */
package dev.tongyeok.load.onnx;
