package dev.tongyeok.tensor.ops;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A weight matrix W (C, OC) in F32, stored off the heap in column panels: panel p holds
 * columns [64p, min(OC, 64p + 64)) as C consecutive rows of the panel's width. A matrix product
 * then reads each panel front to back, one contiguous row of 64 floats per input channel, which
 * the hardware prefetches; the row-major layout of a checkpoint or of ONNX would instead jump a
 * whole row (1.5–6 KB) between reads and stall on memory once the model outgrows the caches.
 * ONNX Runtime prepacks its weights for the same reason.
 *
 * <p>Immutable once built; safe to share between threads.
 */
public final class PackedMatrix {
    /** Columns per panel: four 512-bit vectors, or eight 256-bit ones. */
    public static final int PANEL = 64;
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Where the values come from while packing. */
    @FunctionalInterface
    public interface Source {
        /** W[c, o]. */
        float get(int c, int o);
    }

    private final MemorySegment data;
    private final int rows;
    private final int cols;

    private PackedMatrix(MemorySegment data, int rows, int cols) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Packs a (C, OC) matrix read element by element from {@code source}.
     *
     * <pre>source: (C, OC) -> packed (C, OC)</pre>
     */
    public static PackedMatrix pack(int C, int OC, Source source) {
        MemorySegment m = Arena.ofAuto().allocate((long) C * OC * 4, 64);
        for (int o0 = 0; o0 < OC; o0 += PANEL) {
            int width = Math.min(PANEL, OC - o0);
            long base = (long) o0 * C;
            for (int c = 0; c < C; c++) {
                for (int j = 0; j < width; j++) {
                    m.setAtIndex(F32, base + (long) c * width + j, source.get(c, o0 + j));
                }
            }
        }
        return new PackedMatrix(m, C, OC);
    }

    /**
     * Packs a (C, OC) matrix stored row-major as little-endian F32 in {@code source} (ONNX's layout of
     * a MatMul weight): each panel row is one bulk copy of at most 64 floats, so a model's weights pack
     * at memory speed, even before the JIT has compiled anything.
     *
     * <pre>source: (C, OC) row-major -> packed (C, OC)</pre>
     */
    public static PackedMatrix packRowMajor(int C, int OC, MemorySegment source) {
        if (source.byteSize() != (long) C * OC * 4) {
            throw new IllegalArgumentException("source has " + source.byteSize() + " bytes, expected " + (long) C * OC * 4);
        }
        MemorySegment m = Arena.ofAuto().allocate((long) C * OC * 4, 64);
        for (int o0 = 0; o0 < OC; o0 += PANEL) {
            int width = Math.min(PANEL, OC - o0);
            long base = (long) o0 * C * 4;
            for (int c = 0; c < C; c++) {
                MemorySegment.copy(source, ((long) c * OC + o0) * 4, m, base + (long) c * width * 4, width * 4L);
            }
        }
        return new PackedMatrix(m, C, OC);
    }

    /**
     * The matrices side by side, [A | B | ...]: (C, OC₁ + OC₂ + ...), panels copied as they are. Every
     * part but the last must fill whole panels (OC a multiple of {@link #PANEL}), so that each
     * part's panels keep their place.
     *
     * <pre>parts: (C, OCᵢ) each -> (C, Σ OCᵢ)</pre>
     *
     * @throws IllegalArgumentException when the parts differ in C or one but the last ends in a partial panel
     */
    public static PackedMatrix concat(PackedMatrix... parts) {
        int C = parts[0].rows;
        long cols = 0;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].rows != C) {
                throw new IllegalArgumentException("part " + i + " has " + parts[i].rows + " rows, part 0 has " + C);
            }
            if (i < parts.length - 1 && parts[i].cols % PANEL != 0) {
                throw new IllegalArgumentException("part " + i + " has " + parts[i].cols + " columns, not whole panels of " + PANEL);
            }
            cols += parts[i].cols;
        }
        MemorySegment m = Arena.ofAuto().allocate(C * cols * 4, 64);
        long at = 0;
        for (PackedMatrix p : parts) {
            MemorySegment.copy(p.data, 0, m, at, p.data.byteSize());
            at += p.data.byteSize();
        }
        return new PackedMatrix(m, C, Math.toIntExact(cols));
    }

    /** C, the number of rows (input channels). */
    public int rows() {
        return rows;
    }

    /** OC, the number of columns (output channels). */
    public int cols() {
        return cols;
    }

    /** The number of panels, ⌈OC / 64⌉. */
    public int panels() {
        return (cols + PANEL - 1) / PANEL;
    }

    /** W[c, o]. */
    public float get(int c, int o) {
        int o0 = o / PANEL * PANEL;
        int width = Math.min(PANEL, cols - o0);
        return data.getAtIndex(F32, (long) o0 * rows + (long) c * width + (o - o0));
    }

    MemorySegment data() {
        return data;
    }
}
