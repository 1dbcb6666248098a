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
            throw new IllegalArgumentException("CPU tensors are limited to " + (Integer.MAX_VALUE - 8) + " elements, asked for " + numel);
        int n = (int) numel;
        Object a = switch (dtype) {
            case bool -> new boolean[n];
            case uint8, int8 -> new byte[n];
            case int16, float16, bfloat16 -> new short[n];
            case int32 -> new int[n];
            case int64 -> new long[n];
            case float32 -> new float[n];
            case float64 -> new double[n];
        };
        return new ArrayStorage(a, dtype);
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
