package dev.tongyeok.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Dequantize;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Q8_0 and Q4_0 product kernels: the Vector API decode gives {@link Dequantize}'s floats, the
 * vector product gives its scalar twin's bits, and both are the product in double precision within
 * float rounding.
 */
class QuantizedKernelTest {
    final VectorOps vector = new VectorOps();
    final ScalarOps lanes = new ScalarOps(VectorOps.L);

    static QuantizedMatrix random(DType type, int rows, int cols, Random r) {
        byte[] raw = new byte[(int) (rows * type.byteSize(cols))];
        r.nextBytes(raw);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < raw.length; at += type.blockBytes()) {
            b.putShort(at, Float.floatToFloat16((float) (r.nextGaussian() * 0.02)));
        }
        return new QuantizedMatrix(type, rows, cols, MemorySegment.ofArray(raw));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0"})
    void vectorEqualsScalarTwinAndTheExactProduct(DType type) {
        Random r = new Random(type.ordinal());
        for (int[] shape : new int[][] {{1, 64, 96}, {3, 384, 40}, {7, 1024, 17}, {2, 32, 1}}) {
            int T = shape[0];
            int C = shape[1];
            int OC = shape[2];
            QuantizedMatrix w = random(type, OC, C, r);
            float[] x = new float[T * C];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] bias = new float[OC];
            for (int o = 0; o < OC; o++) {
                bias[o] = (float) r.nextGaussian();
            }
            float[] row = new float[C];
            float[] want = new float[C];
            for (int o = 0; o < OC; o++) {
                VectorOps.decode(w, o, row, 0);
                Dequantize.row(type, w.data(), o * w.rowBytes(), want, 0, C);
                assertArrayEquals(want, row, 0f, "decoded row " + o);
            }
            float[] v = new float[T * OC];
            float[] s = new float[T * OC];
            vector.matmulQuantized(x, T, w, bias, v, 0, OC);
            lanes.matmulQuantized(x, T, w, bias, s, 0, OC);
            assertArrayEquals(s, v, 0f, type + " " + T + "×" + C + "×" + OC + ": vector against scalar twin");
            float[] split = new float[T * OC];
            vector.matmulQuantized(x, T, w, bias, split, 0, OC / 2);
            lanes.matmulQuantized(x, T, w, bias, split, OC / 2, OC);
            assertArrayEquals(v, split, 0f, "any split of the outputs gives the same bits");
            for (int o = 0; o < OC; o++) {
                Dequantize.row(type, w.data(), o * w.rowBytes(), want, 0, C);
                for (int t = 0; t < T; t++) {
                    double exact = bias[o];
                    double mag = Math.abs(bias[o]);
                    for (int c = 0; c < C; c++) {
                        exact += (double) want[c] * x[t * C + c];
                        mag += Math.abs((double) want[c] * x[t * C + c]);
                    }
                    assertEquals(exact, v[t * OC + o], 1e-6 * (mag + 1), "output " + o + " row " + t);
                }
            }
        }
    }
}
