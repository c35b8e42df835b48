package dev.tongyeok.model;

/**
 * A model's token embedding table, the lookup before anything else runs: V rows of C numbers,
 * read from the weight file a row at a time (the "embedding matrix" of the teaching picture).
 */
public interface TokenTable {
    /** The number of rows, V. */
    int rows();

    /** The width, C. */
    int width();

    /**
     * Writes row {@code id} to {@code dst[off, off + C)}.
     *
     * @throws IndexOutOfBoundsException when id is not in [0, V)
     */
    void lookup(int id, float[] dst, int off);
}
