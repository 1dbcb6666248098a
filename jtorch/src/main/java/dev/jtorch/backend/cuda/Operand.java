package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.SegmentStorage;
import dev.jtorch.backend.Strided;

/**
 * One kernel operand: a view of device memory (checked against its allocation), or a scalar read
 * on the host from a 0-dim CPU tensor (which the dispatcher lets stand for a Python number).
 */
final class Operand {
    final DType dtype;
    final Strided view;
    final CudaStorage storage;
    final boolean scalar;
    final double doubleValue;
    final long longValue;

    private Operand(DType dtype, Strided view, CudaStorage storage, boolean scalar, double d, long l) {
        this.dtype = dtype;
        this.view = view;
        this.storage = storage;
        this.scalar = scalar;
        this.doubleValue = d;
        this.longValue = l;
    }

    static Operand of(Strided s, CudaDevice device) {
        if (s.storage() instanceof CudaStorage cs) {
            cs.checkLive();
            if (cs.device != device)
                throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two devices, "
                        + device.device + " and " + cs.device.device + "!");
            checkBounds(s, cs);
            return new Operand(s.dtype(), s, cs, false, 0, 0);
        }
        if (s.storage() instanceof SegmentStorage seg && (Layout.allZero(s.stride()) || s.numel() <= 1)) {
            if (s.offset() < 0 || s.offset() >= seg.numel())
                throw new IllegalStateException("scalar offset " + s.offset() + " outside its storage of " + seg.numel());
            s = new Strided(seg.read(s.offset(), 1), s.dtype(), s.shape(), s.stride(), 0); // a pinned scalar: its element, read now
        }
        if (s.storage() instanceof ArrayStorage as) {
            if (Layout.allZero(s.stride()) || s.numel() <= 1) {
                if (s.offset() < 0 || s.offset() >= as.numel())
                    throw new IllegalStateException("scalar offset " + s.offset() + " outside its storage of " + as.numel());
                int i = (int) s.offset();
                DType t = s.dtype();
                if (t.isFloatingPoint()) return new Operand(t, s, null, true, hostDouble(as, i), 0);
                return new Operand(t, s, null, true, 0, hostLong(as, i));
            }
            throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two devices, "
                    + device.device + " and cpu!");
        }
        if (s.storage() instanceof SegmentStorage)
            throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two devices, "
                    + device.device + " and cpu!");
        throw new IllegalArgumentException("unsupported storage " + s.storage().getClass().getName() + " for a CUDA kernel");
    }

    /** Fails unless every element the view reaches lies inside its allocation. */
    static void checkBounds(Strided s, CudaStorage cs) {
        long[] shape = s.shape(), stride = s.stride();
        if (shape.length != stride.length) throw new IllegalStateException("shape and stride ranks differ");
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) throw new IllegalStateException("negative size in " + java.util.Arrays.toString(shape));
            if (stride[d] < 0 && shape[d] > 1) throw new IllegalStateException("negative stride in " + java.util.Arrays.toString(stride));
        }
        long max = Layout.maxOffset(shape, stride);
        if (max < 0) return; // empty
        if (s.offset() < 0 || s.offset() + max >= cs.numel() || s.dtype() != cs.dtype)
            throw new IllegalStateException("view (offset " + s.offset() + ", shape " + java.util.Arrays.toString(shape) + ", stride "
                    + java.util.Arrays.toString(stride) + ", " + s.dtype() + ") reaches outside its CUDA storage of " + cs.numel() + " " + cs.dtype);
    }

    /** Device address of the view's first element. */
    long address() { return storage.ptr + view.offset() * dtype.itemSize(); }

    static double hostDouble(ArrayStorage as, int i) {
        Object a = as.array();
        return switch (as.dtype()) {
            case float32 -> ((float[]) a)[i];
            case float64 -> ((double[]) a)[i];
            case float16 -> Float.float16ToFloat(((short[]) a)[i]);
            case bfloat16 -> Float.intBitsToFloat((((short[]) a)[i] & 0xffff) << 16);
            default -> hostLong(as, i);
        };
    }

    static long hostLong(ArrayStorage as, int i) {
        Object a = as.array();
        return switch (as.dtype()) {
            case bool -> ((boolean[]) a)[i] ? 1 : 0;
            case uint8 -> ((byte[]) a)[i] & 0xff;
            case int8 -> ((byte[]) a)[i];
            case int16 -> ((short[]) a)[i];
            case int32 -> ((int[]) a)[i];
            case int64 -> ((long[]) a)[i];
            case float32 -> (long) ((float[]) a)[i];
            case float64 -> (long) ((double[]) a)[i];
            case float16 -> (long) Float.float16ToFloat(((short[]) a)[i]);
            case bfloat16 -> (long) Float.intBitsToFloat((((short[]) a)[i] & 0xffff) << 16);
        };
    }
}
