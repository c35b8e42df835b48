/**
 * Finding and reading a model's files: {@link dev.tongyeok.resolve.ModelSpec} resolves what users
 * name (a built-in model from the classpath, a model directory, an {@code .onnx} file, a Hub id in
 * the local cache); readers behind one {@link dev.tongyeok.load.WeightSource} interface give
 * tensors by checkpoint name ({@code onnx}: initializers traced through the graph;
 * {@code safetensors}: single and sharded files); {@link dev.tongyeok.model.bert.BertConfig} is
 * {@code config.json}. Errors are {@link dev.tongyeok.load.ModelException}s of one line naming the
 * file, the tensor and what was expected.
 */
package dev.tongyeok.load;

import dev.tongyeok.model.bert.BertConfig;
import dev.tongyeok.resolve.ModelSpec;
