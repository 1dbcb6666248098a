package dev.jtorch.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Kernel parameters for cuLaunchKernel, packed into per-thread native memory: a value area and the
 * array of pointers to each value that the driver reads. Reused by every launch on the thread.
 */
final class Params {
    private static final int VALUE_BYTES = 8192, MAX_PARAMS = 256;
    private static final ThreadLocal<Params> TL = ThreadLocal.withInitial(Params::new);

    private final MemorySegment values, pointers;
    private final long valuesAddress;
    private int offset, count;

    private Params() {
        Arena arena = Arena.ofAuto();
        values = arena.allocate(VALUE_BYTES, 16);
        pointers = arena.allocate(8L * MAX_PARAMS, 16);
        valuesAddress = values.address();
    }

    static Params start() {
        Params p = TL.get();
        p.offset = 0;
        p.count = 0;
        return p;
    }

    private long slot(int size, int align) {
        offset = (offset + align - 1) & -align;
        if (offset + size > VALUE_BYTES || count >= MAX_PARAMS) throw new IllegalStateException("too many kernel parameters");
        long at = offset;
        pointers.setAtIndex(ValueLayout.JAVA_LONG, count++, valuesAddress + at);
        offset += size;
        return at;
    }

    Params ptr(long devicePointer) {
        values.set(ValueLayout.JAVA_LONG, slot(8, 8), devicePointer);
        return this;
    }

    Params i64(long v) {
        values.set(ValueLayout.JAVA_LONG, slot(8, 8), v);
        return this;
    }

    Params i32(int v) {
        values.set(ValueLayout.JAVA_INT, slot(4, 4), v);
        return this;
    }

    Params f64(double v) {
        values.set(ValueLayout.JAVA_DOUBLE, slot(8, 8), v);
        return this;
    }

    /** An index (unsigned int or unsigned long long, as the kernel was generated). */
    Params idx(long v, boolean idx32) {
        if (idx32) {
            if (v < 0 || v > 0xffffffffL) throw new IllegalArgumentException("index " + v + " does not fit a 32-bit kernel index");
            values.set(ValueLayout.JAVA_INT, slot(4, 4), (int) v);
        } else {
            values.set(ValueLayout.JAVA_LONG, slot(8, 8), v);
        }
        return this;
    }

    /** A struct { IDX s[n]; } passed by value; n >= 1 (unused entries are zero). */
    Params idxArray(long[] v, int n, boolean idx32) {
        int n1 = Math.max(1, n);
        if (idx32) {
            long at = slot(4 * n1, 4);
            for (int i = 0; i < n1; i++) {
                long x = i < v.length ? v[i] : 0;
                if (x < 0 || x > 0xffffffffL) throw new IllegalArgumentException("value " + x + " does not fit a 32-bit kernel index");
                values.set(ValueLayout.JAVA_INT, at + 4L * i, (int) x);
            }
        } else {
            long at = slot(8 * n1, 8);
            for (int i = 0; i < n1; i++) values.set(ValueLayout.JAVA_LONG, at + 8L * i, i < v.length ? v[i] : 0);
        }
        return this;
    }

    /** A struct { long long s[n]; } passed by value. */
    Params i64Array(long[] v, int n) {
        int n1 = Math.max(1, n);
        long at = slot(8 * n1, 8);
        for (int i = 0; i < n1; i++) values.set(ValueLayout.JAVA_LONG, at + 8L * i, i < v.length ? v[i] : 0);
        return this;
    }

    int count() { return count; }

    MemorySegment pointerArray() { return pointers; }
}
