package dev.jtorch.io;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Converts between a tensor's elements and their raw bytes, the common ground of both formats. */
final class RawArrays {
    private RawArrays() {}

    /** The tensor's elements in C order as bytes of the given order. */
    static byte[] toBytes(Tensor t, ByteOrder order) {
        long n = Math.multiplyExact(t.numel(), (long) t.dtype().itemSize());
        checkTensorBytes(n, "cannot write");
        if (n == 0) return new byte[0];
        // A fresh CPU tensor is the one kind whose backing Java array holds exactly these elements in C order.
        Tensor c = Torch.empty(t.shape().toArray(), t.dtype());
        c.copy_(t.detach());
        Object a = c.array();
        ByteBuffer b = ByteBuffer.allocate((int) n).order(order);
        switch (a) {
            case boolean[] z -> { for (boolean v : z) b.put((byte) (v ? 1 : 0)); }
            case byte[] z -> b.put(z);
            case short[] z -> b.asShortBuffer().put(z);
            case int[] z -> b.asIntBuffer().put(z);
            case long[] z -> b.asLongBuffer().put(z);
            case float[] z -> b.asFloatBuffer().put(z);
            case double[] z -> b.asDoubleBuffer().put(z);
            default -> throw new IllegalStateException("unexpected storage " + a.getClass());
        }
        return b.array();
    }

    // The longest Java byte array (the JDK's ArraysSupport.SOFT_MAX_ARRAY_LENGTH): the writers serialize through one,
    // and readers keep to the same bound until tensor storage can be larger than a Java array.
    private static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;
    // Data is copied through a buffer of this size, so reading costs the tensor's memory and no more.
    private static final int CHUNK = 1 << 20;

    /**
     * Refuses a tensor of more than {@link #MAX_TENSOR_BYTES} bytes, before anything is allocated. The one
     * place in io that bounds a single tensor's size: raise it here when tensor storage can hold more.
     */
    static void checkTensorBytes(long bytes, String what) {
        if (bytes > MAX_TENSOR_BYTES)
            throw new IllegalArgumentException(what + ": a tensor of " + bytes + " bytes is too large (the limit is 2 GiB, "
                    + MAX_TENSOR_BYTES + " bytes, per tensor)");
    }

    /** A new tensor of {@code shape} holding the next {@code count} elements of {@code src}, read in chunks. */
    static Tensor read(ByteSource src, ByteOrder order, DType dtype, long[] shape, long count) throws IOException {
        int itemSize = dtype.itemSize();
        checkTensorBytes(count * itemSize, src.what);
        int n = (int) count;
        Object a = switch (dtype) {
            case bool -> new boolean[n];
            case uint8, int8 -> new byte[n];
            case int16, float16, bfloat16 -> new short[n];
            case int32 -> new int[n];
            case int64 -> new long[n];
            case float32 -> new float[n];
            case float64 -> new double[n];
        };
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, (long) n * itemSize)).order(order);
        for (int done = 0; done < n; ) {
            int k = Math.min(n - done, CHUNK / itemSize);
            chunk.clear().limit(k * itemSize);
            src.readFully(chunk, "array data");
            chunk.flip();
            switch (a) {
                case boolean[] z -> { for (int i = 0; i < k; i++) z[done + i] = chunk.get(i) != 0; }
                case byte[] z -> chunk.get(z, done, k);
                case short[] z -> chunk.asShortBuffer().get(z, done, k);
                case int[] z -> chunk.asIntBuffer().get(z, done, k);
                case long[] z -> chunk.asLongBuffer().get(z, done, k);
                case float[] z -> chunk.asFloatBuffer().get(z, done, k);
                case double[] z -> chunk.asDoubleBuffer().get(z, done, k);
                default -> throw new IllegalStateException("unexpected storage " + a.getClass());
            }
            done += k;
        }
        return Torch.fromArray(a, dtype, n).reshape(shape);
    }

    /**
     * The element count of {@code shape}, or an error naming {@code what} when a dimension is negative, the
     * product overflows, or the data needs more than the {@code present} bytes.
     */
    static long checkedCount(long[] shape, int itemSize, long present, String what) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException(what + ": negative dimension " + d);
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(what + ": shape " + java.util.Arrays.toString(shape) + " overflows");
            }
        }
        if (n > present / Math.max(1, itemSize))
            throw new IllegalArgumentException(what + ": shape " + java.util.Arrays.toString(shape) + " needs " + n + " elements of "
                    + itemSize + " bytes but only " + present + " bytes are present");
        return n;
    }
}
