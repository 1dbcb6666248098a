package dev.jtorch.backend;

import dev.jtorch.Device;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A CPU storage in native memory instead of a Java array: page-locked host memory from an accelerator's
 * driver ({@code x.pinMemory()}), or a tensor too large for a Java array ({@link HostSegmentStorage}). Element {@code i} lies at byte {@code i * dtype().itemSize()} of
 * {@link #segment()} in the platform's byte order: bool as one byte 0 or 1, float16 and bfloat16 as their
 * 16 bits, the other dtypes as Java stores them.
 *
 * <p>The CPU backend's kernels work on Java arrays, so it runs an op that touches such a storage on staged
 * copies: the span of elements the op's views reach is read into an {@link ArrayStorage} ({@link #read}),
 * the op runs there, and the output view's elements are written back ({@link #write}). Nothing else changes
 * for the kernels; the cost is one extra pass over the touched span. A span too large to stage at once is split
 * into pieces along the op's output dims (the CPU backend's {@code Pieces}).
 */
public interface SegmentStorage extends Storage {

    /** The elements: exactly {@code numel() * dtype().itemSize()} bytes. */
    MemorySegment segment();

    @Override default Device device() { return Device.CPU; }

    /** Elements {@code [from, from + count)} in a new array storage. */
    default ArrayStorage read(long from, long count) {
        checkRange(from, count);
        ArrayStorage a = ArrayStorage.allocate(dtype(), count);
        copy(segment(), from * dtype().itemSize(), a.array(), 0, (int) count, true);
        return a;
    }

    /** Writes {@code count} elements of {@code src}, starting at its element {@code srcFrom}, to elements {@code [to, to + count)}. */
    default void write(ArrayStorage src, long srcFrom, long to, long count) {
        if (src.dtype() != dtype()) throw new IllegalArgumentException("write: a " + src.dtype() + " array into a " + dtype() + " storage");
        checkRange(to, count);
        if (srcFrom < 0 || srcFrom + count > src.numel())
            throw new IndexOutOfBoundsException("elements [" + srcFrom + ", " + (srcFrom + count) + ") of an array of " + src.numel());
        copy(segment(), to * dtype().itemSize(), src.array(), (int) srcFrom, (int) count, false);
    }

    private void checkRange(long from, long count) {
        if (from < 0 || count < 0 || from + count > numel())
            throw new IndexOutOfBoundsException("elements [" + from + ", " + (from + count) + ") of a storage of " + numel());
    }

    /** Copies {@code count} elements between a segment (from byte {@code at}) and a Java array (from {@code index}). */
    private static void copy(MemorySegment seg, long at, Object array, int index, int count, boolean toArray) {
        if (count == 0) return;
        if (array instanceof boolean[] b) {
            if (toArray) for (int i = 0; i < count; i++) b[index + i] = seg.get(ValueLayout.JAVA_BYTE, at + i) != 0;
            else for (int i = 0; i < count; i++) seg.set(ValueLayout.JAVA_BYTE, at + i, (byte) (b[index + i] ? 1 : 0));
            return;
        }
        ValueLayout layout = switch (array) {
            case byte[] a -> ValueLayout.JAVA_BYTE;
            case short[] a -> ValueLayout.JAVA_SHORT_UNALIGNED;
            case int[] a -> ValueLayout.JAVA_INT_UNALIGNED;
            case long[] a -> ValueLayout.JAVA_LONG_UNALIGNED;
            case float[] a -> ValueLayout.JAVA_FLOAT_UNALIGNED;
            case double[] a -> ValueLayout.JAVA_DOUBLE_UNALIGNED;
            default -> throw new IllegalArgumentException("no element layout for " + array.getClass().getSimpleName());
        };
        if (toArray) MemorySegment.copy(seg, layout, at, array, index, count);
        else MemorySegment.copy(array, index, seg, layout, at, count);
    }
}
