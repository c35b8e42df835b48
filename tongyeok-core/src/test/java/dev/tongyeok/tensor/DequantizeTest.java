package dev.tongyeok.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GGML's block formats decoded element by element from the layout in llama.cpp's
 * {@code ggml-common.h} (each value located by its index, the scales unpacked with the bit
 * operations GGML itself uses), against {@link Dequantize}'s block loops, bit for bit, on random blocks.
 */
class DequantizeTest {
    static final int BLOCKS = 200;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DType.class, names = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void everyValueOfRandomBlocks(DType type) {
        Random r = new Random(type.ordinal());
        byte[] raw = new byte[BLOCKS * type.blockBytes()];
        r.nextBytes(raw);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        // F16 fields: finite scales of either sign.
        for (int k = 0; k < BLOCKS; k++) {
            int at = k * type.blockBytes();
            for (int off : halfOffsets(type)) {
                b.putShort(at + off, Float.floatToFloat16((float) (r.nextGaussian() * 0.05)));
            }
        }
        int n = BLOCKS * type.blockSize();
        float[] got = new float[n + 3];
        Dequantize.row(type, MemorySegment.ofArray(raw), 0, got, 3, n);
        for (int k = 0; k < BLOCKS; k++) {
            for (int i = 0; i < type.blockSize(); i++) {
                float want = element(type, b, k * type.blockBytes(), i);
                assertEquals(want, got[3 + k * type.blockSize() + i], 0f, type + " block " + k + " value " + i);
            }
        }
        Tensor t = new Tensor("t", type, new long[] {BLOCKS, type.blockSize()}, MemorySegment.ofArray(raw));
        assertEquals(element(type, b, 7 * type.blockBytes(), 5), t.getFloat(7L * type.blockSize() + 5), 0f);
        float[] row = new float[type.blockSize()];
        t.row(9, row, 0);
        assertEquals(element(type, b, 9 * type.blockBytes(), type.blockSize() - 1), row[type.blockSize() - 1], 0f);
    }

    static int[] halfOffsets(DType t) {
        return switch (t) {
            case Q4_0, Q5_0, Q8_0 -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q6_K -> new int[] {208};
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    static float h(ByteBuffer b, int at) {
        return Float.float16ToFloat(b.getShort(at));
    }

    static int u(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    /** Value i of the block at byte {@code at}. */
    static float element(DType type, ByteBuffer b, int at, int i) {
        switch (type) {
            case Q4_0, Q4_1 -> {
                int q = u(b, at + (type == DType.Q4_0 ? 2 : 4) + i % 16);
                int nib = i < 16 ? q & 15 : q >> 4;
                return type == DType.Q4_0 ? (nib - 8) * h(b, at) : nib * h(b, at) + h(b, at + 2);
            }
            case Q5_0, Q5_1 -> {
                int base = type == DType.Q5_0 ? 2 : 4;
                int qh = b.getInt(at + base);
                int q = u(b, at + base + 4 + i % 16);
                int v = (i < 16 ? q & 15 : q >> 4) | ((qh >>> i) & 1) << 4;
                return type == DType.Q5_0 ? (v - 16) * h(b, at) : v * h(b, at) + h(b, at + 2);
            }
            case Q8_0 -> {
                return b.get(at + 2 + i) * h(b, at);
            }
            case Q2_K, Q3_K -> {
                int half = i / 128;
                int idx = i % 128;
                int shift = 2 * (idx / 32);
                int l = idx % 32; // part * 16 + l in GGML's loop
                int low = (u(b, at + (type == DType.Q2_K ? 16 : 32) + half * 32 + l) >> shift) & 3;
                if (type == DType.Q2_K) {
                    int sc = u(b, at + i / 16);
                    float dl = h(b, at + 80) * (sc & 0xF);
                    float ml = h(b, at + 82) * (sc >> 4);
                    return dl * low - ml;
                }
                int m = 1 << (half * 4 + idx / 32);
                int high = (u(b, at + l) & m) != 0 ? 0 : 4;
                float dl = h(b, at + 108) * (q3Scale(b, at + 96, i / 16) - 32);
                return dl * (low - high);
            }
            case Q4_K, Q5_K -> {
                int g = i / 64;
                int idx = i % 64;
                int[] sm = scaleMin(b, at + 4, 2 * g + idx / 32);
                float d = h(b, at) * sm[0];
                float m = h(b, at + 2) * sm[1];
                int qs = type == DType.Q4_K ? 16 : 48;
                int q = u(b, at + qs + g * 32 + idx % 32);
                int v = idx < 32 ? q & 15 : q >> 4;
                if (type == DType.Q5_K) {
                    v += (u(b, at + 16 + idx % 32) >> (2 * g + idx / 32) & 1) != 0 ? 16 : 0;
                }
                return d * v - m;
            }
            case Q6_K -> {
                int half = i / 128;
                int idx = i % 128;
                int l = idx % 32;
                int quarter = idx / 32;
                int ql = u(b, at + half * 64 + l + (quarter % 2) * 32);
                int low = quarter < 2 ? ql & 15 : ql >> 4;
                int high = (u(b, at + 128 + half * 32 + l) >> (2 * quarter)) & 3;
                int q = (low | high << 4) - 32;
                int sc = b.get(at + 192 + half * 8 + l / 16 + 2 * quarter);
                return h(b, at + 208) * sc * q;
            }
            default -> throw new IllegalArgumentException(type.toString());
        }
    }

    // GGML's unpacking of Q3_K's scales: three u32 words reshuffled with masks, read back as bytes.
    static int q3Scale(ByteBuffer b, int at, int k) {
        int kmask1 = 0x03030303;
        int kmask2 = 0x0f0f0f0f;
        int a0 = b.getInt(at);
        int a1 = b.getInt(at + 4);
        int tmp = b.getInt(at + 8);
        int[] aux = {
            (a0 & kmask2) | (((tmp >>> 0) & kmask1) << 4),
            (a1 & kmask2) | (((tmp >>> 2) & kmask1) << 4),
            ((a0 >>> 4) & kmask2) | (((tmp >>> 4) & kmask1) << 4),
            ((a1 >>> 4) & kmask2) | (((tmp >>> 6) & kmask1) << 4)};
        return (byte) (aux[k / 4] >>> (8 * (k % 4)));
    }

    // GGML's get_scale_min_k4.
    static int[] scaleMin(ByteBuffer b, int at, int j) {
        if (j < 4) {
            return new int[] {u(b, at + j) & 63, u(b, at + j + 4) & 63};
        }
        return new int[] {(u(b, at + j + 4) & 0xF) | ((u(b, at + j - 4) >> 6) << 4),
            (u(b, at + j + 4) >> 4) | ((u(b, at + j) >> 6) << 4)};
    }
}
