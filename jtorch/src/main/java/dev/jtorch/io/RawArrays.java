package dev.jtorch.io;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts between a tensor's elements and their raw bytes, the common ground of both formats. Data passes through
 * buffers of {@link #CHUNK} bytes both ways, so reading or writing a tensor costs its own memory and no more, and a
 * tensor too large for a Java array (native storage) is read and written like any other.
 */
final class RawArrays {
    private RawArrays() {}

    /** The size of the buffers data is copied through. */
    static final int CHUNK = 1 << 20;
    // The longest Java byte array (the JDK's ArraysSupport.SOFT_MAX_ARRAY_LENGTH), for the writers that return one.
    private static final long MAX_BYTE_ARRAY = Integer.MAX_VALUE - 8;

    /** The number of bytes of the tensor's elements. */
    static long byteSize(Tensor t) { return Math.multiplyExact(t.numel(), (long) t.dtype().itemSize()); }

    /**
     * The tensor's elements in C order as bytes of the given order, in one array: for tensors of less than 2 GiB;
     * larger ones are written to a stream by {@link #write}.
     */
    static byte[] toBytes(Tensor t, ByteOrder order) { return toBytes(new byte[0], t, order); }

    /** {@code prefix} followed by {@link #toBytes(Tensor, ByteOrder) the tensor's bytes}, in one array. */
    static byte[] toBytes(byte[] prefix, Tensor t, ByteOrder order) {
        long n = prefix.length + byteSize(t);
        if (n > MAX_BYTE_ARRAY)
            throw new IllegalArgumentException("a tensor of " + byteSize(t) + " bytes does not fit in one byte array (at most "
                    + MAX_BYTE_ARRAY + " bytes): save it to a file, which streams it, instead");
        byte[] out = java.util.Arrays.copyOf(prefix, (int) n);
        try {
            write(t, order, new OutputStream() {
                private int at = prefix.length;

                @Override public void write(int b) { out[at++] = (byte) b; }

                @Override public void write(byte[] b, int off, int len) {
                    System.arraycopy(b, off, out, at, len);
                    at += len;
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // memory does not fail to write
        }
        return out;
    }

    /**
     * Writes the tensor's elements in C order as bytes of the given order to {@code out}, at most {@link #CHUNK} bytes
     * at a time: each piece of the tensor (a view of whole rows, or of part of one) is copied into a small Java array
     * and encoded, so no full-size copy is made, whatever the tensor's layout, device or storage.
     */
    static void write(Tensor t, ByteOrder order, OutputStream out) throws IOException {
        DType dtype = t.dtype();
        int itemSize = dtype.itemSize();
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, byteSize(t)))).order(order);
        Object[] buffer = {null};
        forEachPiece(t.detach(), CHUNK / itemSize, piece -> {
            int k = (int) piece.numel();
            Object a = buffer[0];
            if (a == null || java.lang.reflect.Array.getLength(a) != k) buffer[0] = a = newArray(dtype, k);
            // A tensor over a Java array is always array storage, whatever the CPU backend's limit for new tensors.
            Torch.fromArray(a, dtype, k).view(piece.shape().toArray()).copy_(piece);
            bytes.clear();
            encode(a, k, bytes);
            out.write(bytes.array(), 0, k * itemSize);
        });
    }

    /** What {@link #forEachPiece} does with each piece. */
    @FunctionalInterface
    interface PieceAction {
        void accept(Tensor piece) throws IOException;
    }

    /**
     * Calls {@code action} on consecutive views of {@code t} that together hold its elements in C order, each of at
     * most {@code max} elements: runs of whole rows of the leading dim, or, where one row is larger, the pieces of
     * each row in turn. An empty tensor has none.
     */
    static void forEachPiece(Tensor t, long max, PieceAction action) throws IOException {
        long n = t.numel();
        if (n == 0) return;
        if (n <= max) {
            action.accept(t);
            return;
        }
        long rows = t.size(0), row = n / rows;
        if (row > max) {
            for (long i = 0; i < rows; i++) forEachPiece(t.select(0, i), max, action);
            return;
        }
        long step = max / row;
        for (long i = 0; i < rows; i += step) action.accept(t.narrow(0, i, Math.min(step, rows - i)));
    }

    /**
     * A new tensor of {@code shape} holding the next {@code count} elements of {@code src}, read in chunks. The CPU
     * allocator decides where it lives: a Java array, filled directly, or native memory for a tensor too large for
     * one, filled a chunk at a time through a small array. A request beyond the memory there is gets the
     * allocator's exception and message, as from {@code Torch.empty} (io does not reach into the backend to rename it).
     */
    static Tensor read(ByteSource src, ByteOrder order, DType dtype, long[] shape, long count) throws IOException {
        int itemSize = dtype.itemSize();
        Tensor t = Torch.empty(shape, dtype);
        Object array = wholeArray(t);
        Tensor flat = t.view(count);
        int perChunk = CHUNK / itemSize;
        Object buffer = array != null ? array : newArray(dtype, (int) Math.min(perChunk, count));
        Tensor staged = array != null ? null : Torch.fromArray(buffer, dtype, Math.min(perChunk, count));
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, count * itemSize)).order(order);
        for (long done = 0; done < count; ) {
            int k = (int) Math.min(count - done, perChunk);
            chunk.clear().limit(k * itemSize);
            src.readFully(chunk, "array data");
            chunk.flip();
            if (array != null) {
                decode(chunk, k, array, (int) done);
            } else {
                decode(chunk, k, buffer, 0);
                flat.narrow(0, done, k).copy_(staged.narrow(0, 0, k));
            }
            done += k;
        }
        return t;
    }

    /**
     * The Java array behind a new tensor, or null when the CPU allocator put it in native memory (a fresh tensor
     * is contiguous, spans its storage and needs no grad, so {@code array()} refuses only that).
     */
    private static Object wholeArray(Tensor fresh) {
        try {
            return fresh.array();
        } catch (IllegalStateException nativeMemory) {
            return null;
        }
    }

    /** A Java array of {@code n} elements of the kind that holds {@code dtype} (the half types as their 16 bits). */
    private static Object newArray(DType dtype, int n) {
        return switch (dtype) {
            case bool -> new boolean[n];
            case uint8, int8 -> new byte[n];
            case int16, float16, bfloat16 -> new short[n];
            case int32 -> new int[n];
            case int64 -> new long[n];
            case float32 -> new float[n];
            case float64 -> new double[n];
        };
    }

    /** Reads {@code k} elements from {@code b} into {@code a} from index {@code at}; bool is true for any non-zero byte. */
    private static void decode(ByteBuffer b, int k, Object a, int at) {
        switch (a) {
            case boolean[] z -> { for (int i = 0; i < k; i++) z[at + i] = b.get(i) != 0; }
            case byte[] z -> b.get(z, at, k);
            case short[] z -> b.asShortBuffer().get(z, at, k);
            case int[] z -> b.asIntBuffer().get(z, at, k);
            case long[] z -> b.asLongBuffer().get(z, at, k);
            case float[] z -> b.asFloatBuffer().get(z, at, k);
            case double[] z -> b.asDoubleBuffer().get(z, at, k);
            default -> throw new IllegalStateException("unexpected storage " + a.getClass());
        }
    }

    /** Writes the first {@code k} elements of {@code a} to {@code b} (bool as 0 or 1). */
    private static void encode(Object a, int k, ByteBuffer b) {
        switch (a) {
            case boolean[] z -> { for (int i = 0; i < k; i++) b.put(i, (byte) (z[i] ? 1 : 0)); }
            case byte[] z -> b.put(0, z, 0, k);
            case short[] z -> b.asShortBuffer().put(z, 0, k);
            case int[] z -> b.asIntBuffer().put(z, 0, k);
            case long[] z -> b.asLongBuffer().put(z, 0, k);
            case float[] z -> b.asFloatBuffer().put(z, 0, k);
            case double[] z -> b.asDoubleBuffer().put(z, 0, k);
            default -> throw new IllegalStateException("unexpected storage " + a.getClass());
        }
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
