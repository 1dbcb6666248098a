package dev.jtorch.backend;

import dev.jtorch.DType;
import dev.jtorch.Device;

/**
 * CPU storage over a Java array, managed by the GC. The array type follows the dtype:
 * boolean[] for bool, byte[] for uint8 and int8, short[] for int16, float16 and bfloat16
 * (raw bits for the half types), int[], long[], float[], double[].
 */
public record ArrayStorage(Object array, DType dtype) implements Storage {

    public ArrayStorage {
        Class<?> want = arrayClass(dtype);
        if (array.getClass() != want)
            throw new IllegalArgumentException("a " + dtype + " storage needs a " + want.getSimpleName() + ", got " + array.getClass().getSimpleName());
    }

    /** A zero-filled storage of {@code numel} elements. */
    public static ArrayStorage allocate(DType dtype, long numel) {
        if (numel > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("a Java array holds at most " + (Integer.MAX_VALUE - 8) + " elements, asked for " + numel
                    + " (a CPU tensor this large lives in native memory: read it in slices)");
        int n = (int) numel;
        Object a;
        try {
            a = switch (dtype) {
                case bool -> new boolean[n];
                case uint8, int8 -> new byte[n];
                case int16, float16, bfloat16 -> new short[n];
                case int32 -> new int[n];
                case int64 -> new long[n];
                case float32 -> new float[n];
                case float64 -> new double[n];
            };
        } catch (OutOfMemoryError e) {
            // The failed request left the heap as it was, so the program can go on; say what was asked for, as PyTorch does.
            throw CpuOutOfMemoryError.of(numel * dtype.itemSize(), heapDetail(), e);
        }
        return new ArrayStorage(a, dtype);
    }

    /** How much of the Java heap is free, for an allocation failure's message. */
    static String heapDetail() {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return "Java heap: " + (rt.maxMemory() - used) + " bytes free of " + rt.maxMemory() + " bytes max (-Xmx)";
    }

    /** The Java array class that backs a dtype. */
    public static Class<?> arrayClass(DType dtype) {
        return switch (dtype) {
            case bool -> boolean[].class;
            case uint8, int8 -> byte[].class;
            case int16, float16, bfloat16 -> short[].class;
            case int32 -> int[].class;
            case int64 -> long[].class;
            case float32 -> float[].class;
            case float64 -> double[].class;
        };
    }

    @Override public Device device() { return Device.CPU; }

    @Override public long numel() { return java.lang.reflect.Array.getLength(array); }
}
