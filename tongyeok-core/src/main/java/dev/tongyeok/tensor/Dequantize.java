package dev.tongyeok.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The scalar reference dequantization of GGML's block-quantized types, block by block, as
 * llama.cpp defines each block ({@code ggml-common.h}: field order and widths, all little-endian;
 * F16 scales). Any faster kernel for these types must give exactly these floats.
 *
 * <p>Every formula multiplies in F32 in the order written here, the order GGML's reference
 * {@code dequantize_row_*} functions use.
 */
public final class Dequantize {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Dequantize() {}

    /**
     * Decodes {@code n} values (whole blocks) of {@code type} starting at byte {@code offset} of
     * {@code src} into {@code dst[off, off + n)}.
     *
     * @throws IllegalArgumentException when n is not a whole number of blocks or the type is not block-quantized
     */
    public static void row(DType type, MemorySegment src, long offset, float[] dst, int off, int n) {
        int bs = type.blockSize();
        if (!type.blockQuantized() || n % bs != 0) {
            throw new IllegalArgumentException(n + " values of " + type + " are not whole blocks");
        }
        long at = offset;
        for (int b = 0; b < n / bs; b++, at += type.blockBytes()) {
            int o = off + b * bs;
            switch (type) {
                case Q4_0 -> q4_0(src, at, dst, o);
                case Q4_1 -> q4_1(src, at, dst, o);
                case Q5_0 -> q5_0(src, at, dst, o);
                case Q5_1 -> q5_1(src, at, dst, o);
                case Q8_0 -> q8_0(src, at, dst, o);
                case Q2_K -> q2_k(src, at, dst, o);
                case Q3_K -> q3_k(src, at, dst, o);
                case Q4_K -> q4_k(src, at, dst, o);
                case Q5_K -> q5_k(src, at, dst, o);
                case Q6_K -> q6_k(src, at, dst, o);
                default -> throw new IllegalArgumentException(type + " is not block-quantized");
            }
        }
    }

    static float f16(MemorySegment s, long at) {
        return Float.float16ToFloat(s.get(I16, at));
    }

    private static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xff;
    }

    // d: f16 | qs[16]: value j in the low nibble of byte j, value j + 16 in its high nibble.
    private static void q4_0(MemorySegment s, long at, float[] y, int o) {
        float d = f16(s, at);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, at + 2 + j);
            y[o + j] = ((q & 0xf) - 8) * d;
            y[o + j + 16] = ((q >> 4) - 8) * d;
        }
    }

    // d: f16 | m: f16 | qs[16]
    private static void q4_1(MemorySegment s, long at, float[] y, int o) {
        float d = f16(s, at);
        float m = f16(s, at + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, at + 4 + j);
            y[o + j] = (q & 0xf) * d + m;
            y[o + j + 16] = (q >> 4) * d + m;
        }
    }

    // d: f16 | qh: u32, bit j the fifth bit of value j | qs[16]
    private static void q5_0(MemorySegment s, long at, float[] y, int o) {
        float d = f16(s, at);
        int qh = s.get(I32, at + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, at + 6 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            y[o + j] = (((q & 0xf) | h0) - 16) * d;
            y[o + j + 16] = (((q >> 4) | h1) - 16) * d;
        }
    }

    // d: f16 | m: f16 | qh: u32 | qs[16]
    private static void q5_1(MemorySegment s, long at, float[] y, int o) {
        float d = f16(s, at);
        float m = f16(s, at + 2);
        int qh = s.get(I32, at + 4);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, at + 8 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            y[o + j] = ((q & 0xf) | h0) * d + m;
            y[o + j + 16] = ((q >> 4) | h1) * d + m;
        }
    }

    // d: f16 | qs[32]: int8
    private static void q8_0(MemorySegment s, long at, float[] y, int o) {
        float d = f16(s, at);
        for (int j = 0; j < 32; j++) {
            y[o + j] = s.get(ValueLayout.JAVA_BYTE, at + 2 + j) * d;
        }
    }

    // scales[16]: low nibble scale, high nibble min | qs[64]: four 2-bit values per byte | d: f16 | dmin: f16
    private static void q2_k(MemorySegment s, long at, float[] y, int o) {
        float d = f16(s, at + 80);
        float min = f16(s, at + 82);
        int is = 0;
        int yi = o;
        for (int n = 0; n < 256; n += 128) {
            long q = at + 16 + n / 4; // 32 bytes of qs per 128 values
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 2; half++) {
                    int sc = u8(s, at + is++);
                    float dl = d * (sc & 0xf);
                    float ml = min * (sc >> 4);
                    for (int l = 0; l < 16; l++) {
                        y[yi++] = dl * ((u8(s, q + half * 16 + l) >> shift) & 3) - ml;
                    }
                }
            }
        }
    }

    // hmask[32] | qs[64] | scales[12]: sixteen 6-bit scales | d: f16
    private static void q3_k(MemorySegment s, long at, float[] y, int o) {
        float dAll = f16(s, at + 108);
        int[] scales = q3kScales(s, at + 96);
        int is = 0;
        int yi = o;
        int m = 1;
        for (int n = 0; n < 256; n += 128) {
            long q = at + 32 + n / 4;
            for (int shift = 0; shift < 8; shift += 2, m <<= 1) {
                for (int half = 0; half < 2; half++) {
                    float dl = dAll * (scales[is++] - 32);
                    for (int l = 0; l < 16; l++) {
                        int i = half * 16 + l;
                        int low = (u8(s, q + i) >> shift) & 3;
                        int high = (u8(s, at + i) & m) != 0 ? 0 : 4;
                        y[yi++] = dl * (low - high);
                    }
                }
            }
        }
    }

    /**
     * Q3_K's sixteen 6-bit scales from their 12 bytes: scale i's low 4 bits are the low (i < 8)
     * or high (i ≥ 8) nibble of byte i mod 8; its top 2 bits are bits 2·(i / 4) of byte 8 + i mod 4.
     */
    static int[] q3kScales(MemorySegment s, long at) {
        int[] sc = new int[16];
        for (int i = 0; i < 16; i++) {
            int low = i < 8 ? u8(s, at + i) & 0xf : u8(s, at + i - 8) >> 4;
            int high = (u8(s, at + 8 + i % 4) >> (2 * (i / 4))) & 3;
            sc[i] = low | high << 4;
        }
        return sc;
    }

    /**
     * The j-th (scale, min) pair of Q4_K and Q5_K, 6 bits each, from their 12 bytes: pairs 0–3 are
     * the low 6 bits of bytes j and j + 4; pairs 4–7 take a nibble of byte j + 4 and the top 2 bits
     * of bytes j − 4 and j.
     */
    static int[] scaleMinK4(MemorySegment s, long at, int j) {
        if (j < 4) {
            return new int[] {u8(s, at + j) & 63, u8(s, at + j + 4) & 63};
        }
        int sc = (u8(s, at + j + 4) & 0xf) | ((u8(s, at + j - 4) >> 6) << 4);
        int m = (u8(s, at + j + 4) >> 4) | ((u8(s, at + j) >> 6) << 4);
        return new int[] {sc, m};
    }

    // d: f16 | dmin: f16 | scales[12] | qs[128]: 64 values per 32 bytes, low nibbles first
    private static void q4_k(MemorySegment s, long at, float[] y, int o) {
        float d = f16(s, at);
        float min = f16(s, at + 2);
        int yi = o;
        int is = 0;
        for (int j = 0; j < 256; j += 64, is += 2) {
            int[] a = scaleMinK4(s, at + 4, is);
            int[] b = scaleMinK4(s, at + 4, is + 1);
            float d1 = d * a[0];
            float m1 = min * a[1];
            float d2 = d * b[0];
            float m2 = min * b[1];
            long q = at + 16 + j / 2;
            for (int l = 0; l < 32; l++) {
                y[yi++] = d1 * (u8(s, q + l) & 0xf) - m1;
            }
            for (int l = 0; l < 32; l++) {
                y[yi++] = d2 * (u8(s, q + l) >> 4) - m2;
            }
        }
    }

    // d: f16 | dmin: f16 | scales[12] | qh[32]: fifth bits | qs[128]
    private static void q5_k(MemorySegment s, long at, float[] y, int o) {
        float d = f16(s, at);
        float min = f16(s, at + 2);
        int yi = o;
        int is = 0;
        int u1 = 1;
        int u2 = 2;
        for (int j = 0; j < 256; j += 64, is += 2, u1 <<= 2, u2 <<= 2) {
            int[] a = scaleMinK4(s, at + 4, is);
            int[] b = scaleMinK4(s, at + 4, is + 1);
            float d1 = d * a[0];
            float m1 = min * a[1];
            float d2 = d * b[0];
            float m2 = min * b[1];
            long ql = at + 48 + j / 2;
            for (int l = 0; l < 32; l++) {
                int h = (u8(s, at + 16 + l) & u1) != 0 ? 16 : 0;
                y[yi++] = d1 * ((u8(s, ql + l) & 0xf) + h) - m1;
            }
            for (int l = 0; l < 32; l++) {
                int h = (u8(s, at + 16 + l) & u2) != 0 ? 16 : 0;
                y[yi++] = d2 * ((u8(s, ql + l) >> 4) + h) - m2;
            }
        }
    }

    // ql[128]: low 4 bits | qh[64]: high 2 bits | scales[16]: int8 | d: f16
    private static void q6_k(MemorySegment s, long at, float[] y, int o) {
        float d = f16(s, at + 208);
        for (int n = 0; n < 256; n += 128) {
            long ql = at + n / 2;
            long qh = at + 128 + n / 4;
            long sc = at + 192 + n / 16;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int h = u8(s, qh + l);
                int q1 = ((u8(s, ql + l) & 0xf) | ((h & 3) << 4)) - 32;
                int q2 = ((u8(s, ql + l + 32) & 0xf) | (((h >> 2) & 3) << 4)) - 32;
                int q3 = ((u8(s, ql + l) >> 4) | (((h >> 4) & 3) << 4)) - 32;
                int q4 = ((u8(s, ql + l + 32) >> 4) | (((h >> 6) & 3) << 4)) - 32;
                y[o + n + l] = d * s.get(ValueLayout.JAVA_BYTE, sc + is) * q1;
                y[o + n + l + 32] = d * s.get(ValueLayout.JAVA_BYTE, sc + is + 2) * q2;
                y[o + n + l + 64] = d * s.get(ValueLayout.JAVA_BYTE, sc + is + 4) * q3;
                y[o + n + l + 96] = d * s.get(ValueLayout.JAVA_BYTE, sc + is + 6) * q4;
            }
        }
    }
}
