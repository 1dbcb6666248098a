package dev.jtorch.io;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Converts between a tensor's elements and their raw bytes, the common ground of both formats. */
final class RawArrays {
    private RawArrays() {}

    /** The tensor's elements in C order as bytes of the given order. */
    static byte[] toBytes(Tensor t, ByteOrder order) {
        long n = t.numel() * t.dtype().itemSize();
        if (n > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("a tensor of " + n + " bytes is too large to write (the limit is 2 GiB per tensor)");
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

    /** A new tensor of {@code shape} over {@code count} elements read from {@code src} at its position. */
    static Tensor fromBytes(ByteBuffer src, ByteOrder order, DType dtype, long[] shape, int count) {
        ByteBuffer b = src.slice().order(order);
        Object a = switch (dtype) {
            case bool -> {
                boolean[] z = new boolean[count];
                for (int i = 0; i < count; i++) z[i] = b.get(i) != 0;
                yield z;
            }
            case uint8, int8 -> { byte[] z = new byte[count]; b.get(z); yield z; }
            case int16, float16, bfloat16 -> { short[] z = new short[count]; b.asShortBuffer().get(z); yield z; }
            case int32 -> { int[] z = new int[count]; b.asIntBuffer().get(z); yield z; }
            case int64 -> { long[] z = new long[count]; b.asLongBuffer().get(z); yield z; }
            case float32 -> { float[] z = new float[count]; b.asFloatBuffer().get(z); yield z; }
            case float64 -> { double[] z = new double[count]; b.asDoubleBuffer().get(z); yield z; }
        };
        Tensor flat = Torch.fromArray(a, dtype, count);
        return flat.reshape(shape);
    }

    /** The element count of {@code shape}, or an error naming {@code what} when it overflows or exceeds {@code maxBytes}. */
    static int checkedCount(long[] shape, int itemSize, long maxBytes, String what) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException(what + ": negative dimension " + d);
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(what + ": shape overflows");
            }
        }
        if (n > maxBytes / Math.max(1, itemSize) || n * itemSize > maxBytes)
            throw new IllegalArgumentException(what + ": shape needs " + n + " elements of " + itemSize + " bytes but only " + maxBytes + " bytes are present");
        if (n * itemSize > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException(what + ": " + n * itemSize + " bytes are too many for one tensor (the limit is 2 GiB)");
        return (int) n;
    }
}
