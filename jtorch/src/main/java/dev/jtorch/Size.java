package dev.jtorch;

import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.LongStream;

/** A tensor's shape, like {@code torch.Size}: immutable, printed as {@code torch.Size([2, 3])}. */
public final class Size implements Iterable<Long> {
    private final long[] dims;

    public Size(long... dims) { this.dims = dims.clone(); }

    /** The size of dimension {@code i}; negative {@code i} counts from the end. */
    public long get(int i) {
        int n = dims.length;
        if (i < -n || i >= n) throw new IndexOutOfBoundsException("tuple index out of range");
        return dims[i < 0 ? i + n : i];
    }

    /** The number of dimensions, like {@code len(size)}. */
    public int size() { return dims.length; }

    /** The number of elements a tensor of this shape holds, like {@code Size.numel()}. */
    public long numel() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    /** A copy of the dimensions. */
    public long[] toArray() { return dims.clone(); }

    @Override public Iterator<Long> iterator() { return LongStream.of(dims).iterator(); }

    @Override public boolean equals(Object o) { return o instanceof Size s && Arrays.equals(dims, s.dims); }

    @Override public int hashCode() { return Arrays.hashCode(dims); }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("torch.Size([");
        for (int i = 0; i < dims.length; i++) sb.append(i == 0 ? "" : ", ").append(dims[i]);
        return sb.append("])").toString();
    }
}
