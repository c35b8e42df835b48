package dev.tongyeok.tokenize;

import java.util.Arrays;

/** A growable int array: the tokenizer's scratch list, with no boxing. */
public final class IntArray {
    private int[] a;
    private int size;

    /** Creates an empty array with room for {@code capacity} values. */
    public IntArray(int capacity) {
        a = new int[Math.max(4, capacity)];
    }

    /** Appends one value. */
    public void add(int v) {
        if (size == a.length) {
            a = Arrays.copyOf(a, size * 2);
        }
        a[size++] = v;
    }

    /** Appends three values. */
    public void add(int v0, int v1, int v2) {
        add(v0);
        add(v1);
        add(v2);
    }

    /** The value at {@code i}. */
    public int get(int i) {
        return a[i];
    }

    /** Replaces the value at {@code i}. */
    public void set(int i, int v) {
        a[i] = v;
    }

    /** The number of values. */
    public int size() {
        return size;
    }

    /** Removes every value. */
    public void clear() {
        size = 0;
    }

    /** A copy of the values. */
    public int[] toArray() {
        return Arrays.copyOf(a, size);
    }
}
