package dev.tongyeok.model;

/**
 * Scratch matrices for forward passes, grown to the largest batch seen: one per caller (it is not
 * thread-safe), reused across the batches of one call so that large arrays are not allocated per
 * layer. A model numbers the buffers it needs.
 */
public final class Workspace {
    private float[][] buffers = new float[8][];

    /** Buffer {@code slot}, of at least {@code length} floats (its contents are whatever was left in it). */
    public float[] get(int slot, int length) {
        if (slot >= buffers.length) {
            buffers = java.util.Arrays.copyOf(buffers, Math.max(slot + 1, 2 * buffers.length));
        }
        float[] b = buffers[slot];
        if (b == null || b.length < length) {
            b = new float[length];
            buffers[slot] = b;
        }
        return b;
    }
}
