package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Strided;

/**
 * Moves runs of elements between strided views and flat compute buffers: double[] for the
 * floating dtypes, long[] for the integral ones and bool. Every kernel reads its operands with
 * {@code load} and writes its result with {@code store}, so dtype and layout handling live here once.
 */
final class Access {
    private Access() {}

    static Object array(Strided s) { return ((ArrayStorage) s.storage()).array(); }

    /** A cursor over a view's elements in row-major order, tracking the storage offset. */
    static final class Cursor {
        final long[] shape, stride, index;
        final int nd;
        long offset;

        Cursor(Strided s, long start) {
            shape = s.shape();
            stride = s.stride();
            nd = shape.length;
            index = new long[nd];
            offset = s.offset();
            long rest = start;
            for (int d = nd - 1; d >= 0; d--) {
                long size = shape[d];
                if (size == 0) return;
                index[d] = rest % size;
                rest /= size;
                offset += index[d] * stride[d];
            }
        }

        /** How many elements remain in the current innermost row. */
        long rowRemaining() { return nd == 0 ? Long.MAX_VALUE : shape[nd - 1] - index[nd - 1]; }

        long innerStride() { return nd == 0 ? 0 : stride[nd - 1]; }

        /** Advances by {@code run} elements, which must not pass the end of the current row. */
        void advance(long run) {
            if (nd == 0) return;
            int d = nd - 1;
            index[d] += run;
            offset += run * stride[d];
            while (d > 0 && index[d] >= shape[d]) {
                offset -= index[d] * stride[d];
                index[d] = 0;
                d--;
                index[d]++;
                offset += stride[d];
            }
        }
    }

    static float halfToFloat(short bits) { return Float.float16ToFloat(bits); }

    static short floatToHalf(float f) { return Float.floatToFloat16(f); }

    static float bfloat16ToFloat(short bits) { return Float.intBitsToFloat((bits & 0xffff) << 16); }

    /** Round to nearest even, as c10::BFloat16 does. */
    static short floatToBfloat16(float f) {
        if (Float.isNaN(f)) return (short) 0x7fc0;
        int bits = Float.floatToRawIntBits(f);
        int bias = ((bits >>> 16) & 1) + 0x7fff;
        return (short) ((bits + bias) >>> 16);
    }

    /** Rounds a double to what the floating dtype can hold. */
    static double roundTo(DType t, double v) {
        return switch (t) {
            case float32 -> (float) v;
            case float16 -> halfToFloat(floatToHalf((float) v));
            case bfloat16 -> bfloat16ToFloat(floatToBfloat16((float) v));
            default -> v;
        };
    }

    static void loadDouble(Strided s, long start, int n, double[] dst) {
        Object a = array(s);
        Cursor c = new Cursor(s, start);
        int i = 0;
        while (i < n) {
            int run = (int) Math.min(n - i, c.rowRemaining());
            long st = c.innerStride();
            int o = (int) c.offset;
            int sti = (int) st;
            switch (s.dtype()) {
                case float32 -> { float[] x = (float[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti]; }
                case float64 -> { double[] x = (double[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti]; }
                case float16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) dst[i + j] = halfToFloat(x[o + j * sti]); }
                case bfloat16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) dst[i + j] = bfloat16ToFloat(x[o + j * sti]); }
                case int64 -> { long[] x = (long[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti]; }
                case int32 -> { int[] x = (int[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti]; }
                case int16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti]; }
                case int8 -> { byte[] x = (byte[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti]; }
                case uint8 -> { byte[] x = (byte[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti] & 0xff; }
                case bool -> { boolean[] x = (boolean[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti] ? 1 : 0; }
            }
            i += run;
            c.advance(run);
        }
    }

    static void loadLong(Strided s, long start, int n, long[] dst) {
        Object a = array(s);
        Cursor c = new Cursor(s, start);
        int i = 0;
        while (i < n) {
            int run = (int) Math.min(n - i, c.rowRemaining());
            int o = (int) c.offset;
            int sti = (int) c.innerStride();
            switch (s.dtype()) {
                case int64 -> { long[] x = (long[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti]; }
                case int32 -> { int[] x = (int[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti]; }
                case int16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti]; }
                case int8 -> { byte[] x = (byte[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti]; }
                case uint8 -> { byte[] x = (byte[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti] & 0xff; }
                case bool -> { boolean[] x = (boolean[]) a; for (int j = 0; j < run; j++) dst[i + j] = x[o + j * sti] ? 1 : 0; }
                // C++ casts truncate toward zero; Java's saturate outside the range, which only differs where C++ is undefined.
                case float32 -> { float[] x = (float[]) a; for (int j = 0; j < run; j++) dst[i + j] = (long) x[o + j * sti]; }
                case float64 -> { double[] x = (double[]) a; for (int j = 0; j < run; j++) dst[i + j] = (long) x[o + j * sti]; }
                case float16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) dst[i + j] = (long) halfToFloat(x[o + j * sti]); }
                case bfloat16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) dst[i + j] = (long) bfloat16ToFloat(x[o + j * sti]); }
            }
            i += run;
            c.advance(run);
        }
    }

    static void storeDouble(Strided s, long start, int n, double[] src) {
        Object a = array(s);
        Cursor c = new Cursor(s, start);
        int i = 0;
        while (i < n) {
            int run = (int) Math.min(n - i, c.rowRemaining());
            int o = (int) c.offset;
            int sti = (int) c.innerStride();
            switch (s.dtype()) {
                case float32 -> { float[] x = (float[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = (float) src[i + j]; }
                case float64 -> { double[] x = (double[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = src[i + j]; }
                case float16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = floatToHalf((float) src[i + j]); }
                case bfloat16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = floatToBfloat16((float) src[i + j]); }
                case int64 -> { long[] x = (long[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = (long) src[i + j]; }
                // Narrow integers wrap the way a C++ cast through int64 does.
                case int32 -> { int[] x = (int[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = (int) (long) src[i + j]; }
                case int16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = (short) (long) src[i + j]; }
                case int8, uint8 -> { byte[] x = (byte[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = (byte) (long) src[i + j]; }
                case bool -> { boolean[] x = (boolean[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = src[i + j] != 0; }
            }
            i += run;
            c.advance(run);
        }
    }

    static void storeLong(Strided s, long start, int n, long[] src) {
        Object a = array(s);
        Cursor c = new Cursor(s, start);
        int i = 0;
        while (i < n) {
            int run = (int) Math.min(n - i, c.rowRemaining());
            int o = (int) c.offset;
            int sti = (int) c.innerStride();
            switch (s.dtype()) {
                case int64 -> { long[] x = (long[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = src[i + j]; }
                case int32 -> { int[] x = (int[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = (int) src[i + j]; }
                case int16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = (short) src[i + j]; }
                case int8, uint8 -> { byte[] x = (byte[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = (byte) src[i + j]; }
                case bool -> { boolean[] x = (boolean[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = src[i + j] != 0; }
                case float32 -> { float[] x = (float[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = (float) src[i + j]; }
                case float64 -> { double[] x = (double[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = (double) src[i + j]; }
                case float16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = floatToHalf((float) src[i + j]); }
                case bfloat16 -> { short[] x = (short[]) a; for (int j = 0; j < run; j++) x[o + j * sti] = floatToBfloat16((float) src[i + j]); }
            }
            i += run;
            c.advance(run);
        }
    }
}
