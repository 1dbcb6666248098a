package dev.jtorch.backend;

import dev.jtorch.DType;

/**
 * What a backend sees of a tensor: a strided view of a storage. Shapes, strides and the offset
 * are in elements; strides may be zero (broadcast) but the dispatcher never hands out a view
 * that reaches outside its storage.
 */
public record Strided(Storage storage, DType dtype, long[] shape, long[] stride, long offset) {

    public int dim() { return shape.length; }

    public long numel() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    /** True when the elements are laid out densely in row-major order from the offset. */
    public boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** The slice {@code [start, start + length)} of one dim, sharing the storage. */
    public Strided narrow(int dim, long start, long length) {
        long[] s = shape.clone();
        s[dim] = length;
        return new Strided(storage, dtype, s, stride, offset + start * stride[dim]);
    }

    /** Row-major strides for a shape. */
    public static long[] contiguousStrides(long[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return st;
    }
}
