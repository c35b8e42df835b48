package dev.tongyeok.model.layer;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.Weight;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.TokenTable;
import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code torch.nn.Embedding}: a lookup table of V rows of C numbers, read row by row from the
 * mapped file (only the rows looked up are ever read: a multi-gigabyte table costs nothing until
 * used). GGML block-quantized tables decode one row's blocks. Quantized tables (uint8/int8 behind ONNX {@code DequantizeLinear}) are dequantized
 * per row as onnxruntime does: (q − zero point) · scale.
 */
public final class EmbeddingTable implements TokenTable {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final Tensor table; // (V, C)
    private final int rows;
    private final int C;
    private final float scale;
    private final float zeroPoint;
    private final boolean quantized;

    private EmbeddingTable(String name, Tensor table, float scale, float zeroPoint, boolean quantized) {
        this.name = name;
        this.table = table;
        this.rows = (int) table.dim(0);
        this.C = (int) table.dim(1);
        this.scale = scale;
        this.zeroPoint = zeroPoint;
        this.quantized = quantized;
    }

    /**
     * The table {@code name} of width C (any number of rows when {@code V} is negative).
     *
     * @throws ModelException when missing, of another shape, or of an unsupported type
     */
    public static EmbeddingTable load(WeightSource source, String name, int V, int C) {
        Weight w = V < 0 ? source.get(name) : source.get(name, V, C);
        Tensor t = w.tensor();
        if (t.rank() != 2 || t.dim(1) != C) {
            throw new ModelException(source.source() + ": tensor " + name + " has shape "
                    + java.util.Arrays.toString(t.shape()) + ", expected [V, " + C + "]");
        }
        if (w.quantized()) {
            if (w.scale().elementCount() != 1 || (w.zeroPoint() != null && w.zeroPoint().elementCount() != 1)) {
                throw new ModelException(source.source() + ": tensor " + name
                        + ": only one scale and zero point per table are supported");
            }
            return new EmbeddingTable(name, t, w.scale().getFloat(0), w.zeroPoint() == null ? 0 : w.zeroPoint().getFloat(0),
                    true);
        }
        if (t.type() != DType.F32 && t.type() != DType.F16 && t.type() != DType.BF16 && !t.type().blockQuantized()) {
            throw new ModelException(source.source() + ": tensor " + name + " has type " + t.type()
                    + " (expected F32, F16, BF16, GGML blocks or a quantized table)");
        }
        return new EmbeddingTable(name, t, 1, 0, false);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int width() {
        return C;
    }

    @Override
    public void lookup(int id, float[] dst, int off) {
        if (id < 0 || id >= rows) {
            throw new IndexOutOfBoundsException(name + ": row " + id + " outside [0, " + rows + ")");
        }
        long base = (long) id * C;
        if (table.type() == DType.F32) {
            MemorySegment.copy(table.data(), F32, base * 4, dst, off, C);
        } else if (table.type().blockQuantized()) {
            table.row(id, dst, off);
        } else if (quantized) {
            for (int i = 0; i < C; i++) {
                dst[off + i] = (table.getFloat(base + i) - zeroPoint) * scale;
            }
        } else {
            for (int i = 0; i < C; i++) {
                dst[off + i] = table.getFloat(base + i);
            }
        }
    }

    /** {@code dst[off, off + C) += row id}, in the same arithmetic as {@link #lookup}. */
    public void add(int id, float[] dst, int off, float[] scratch) {
        lookup(id, scratch, 0);
        for (int i = 0; i < C; i++) {
            dst[off + i] += scratch[i];
        }
    }
}
