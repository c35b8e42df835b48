package dev.tongyeok.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * ONNX Runtime running an .onnx file: the reference for hidden states, on one thread.
 *
 * <p>{@code graphSemantics} runs with ORT's basic optimizations only (constant folding and
 * redundant-node removal; bit-identical to no optimization): the graph computed as written.
 * Without it ORT applies its default (extended) fusions, which for dynamically quantized models
 * replace {@code DynamicQuantizeLinear → MatMulInteger → Cast → Mul} chains with contrib kernels whose
 * arithmetic differs from the graph's (onnxruntime issue 32132 describes the same for QDQ models).
 */
public final class OrtOracle implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OrtOracle(Path onnx, boolean graphSemantics) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        if (graphSemantics) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
        }
        session = env.createSession(onnx.toString(), o);
    }

    /** The last hidden state of one sequence: (T, C) as rows. */
    public float[][] hidden(int[] ids, int[] typeIds) throws OrtException {
        int T = ids.length;
        long[] in = new long[T];
        long[] mask = new long[T];
        long[] types = new long[T];
        for (int i = 0; i < T; i++) {
            in[i] = ids[i];
            mask[i] = 1;
            types[i] = typeIds[i];
        }
        long[] shape = {1, T};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(in), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result r = session.run(inputs)) {
                float[][][] out = (float[][][]) r.get(0).getValue();
                return out[0];
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
