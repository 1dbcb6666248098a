package dev.jtorch.dispatch;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.autograd.Graph;
import dev.jtorch.autograd.SavedArgs;
import dev.jtorch.autograd.Variant;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Strided;
import dev.jtorch.internal.TensorAccess;
import dev.jtorch.ops.MemoryOp;
import java.util.ArrayList;
import java.util.List;

/** Tensor's conversions and data access (item, array, toList, to, clone, contiguous): host copies, device moves and their checks; {@code Tensor}'s methods are one line into these. */
public final class Conversions {
    private static final TensorAccess T = TensorAccess.get();

    private Conversions() {}

    /** The value of a one-element tensor, like {@code x.item()}. */
    public static double item(Tensor self) {
        checkOneElement(self);
        return self.toDoubleArray()[0];
    }

    /** The value of a one-element integral tensor as a long. */
    public static long itemLong(Tensor self) {
        checkOneElement(self);
        return self.toLongArray()[0];
    }

    /** The value of a one-element bool tensor. */
    public static boolean itemBoolean(Tensor self) {
        checkOneElement(self);
        return self.toBooleanArray()[0];
    }

    static void checkOneElement(Tensor self) {
        if (self.numel() != 1)
            throw new IllegalArgumentException("a Tensor with " + self.numel() + " elements cannot be converted to Scalar");
    }

    /** The elements in a new contiguous host storage. */
    public static ArrayStorage hostCopy(Tensor self) {
        return Dispatch.backend(self.device()).copyToHost(Dispatch.strided(self));
    }

    public static Object hostArray(Tensor self, DType as) {
        Tensor t = self.device().isCuda() ? Dispatch.toDevice(self, Device.CPU) : self;
        // always a Java array, also for a size the CPU backend would put in native memory (it refuses beyond an array's limit)
        ArrayStorage a = ArrayStorage.allocate(as, self.numel());
        Dispatch.copyInto(T.make(a, as, T.shape(self).clone(), Strided.contiguousStrides(T.shape(self)), 0), t);
        return a.array();
    }

    /**
     * The backing Java array when this is a dense CPU tensor over a whole array (like
     * {@code x.numpy()}, it shares memory); otherwise an error.
     */
    public static Object array(Tensor self) {
        if (self.device().isCuda())
            throw new IllegalStateException("can't convert " + self.device() + " device type tensor to a Java array. Use Tensor.cpu() to copy the tensor to host memory first.");
        if (self.requiresGrad())
            throw new IllegalStateException("Can't call array() on Tensor that requires grad. Use tensor.detach().array() instead.");
        if (!(T.storage(self) instanceof ArrayStorage as))
            throw new IllegalStateException("array(): this tensor's storage is native memory (pinned, or too large for a Java array), not a Java array; "
                    + "clone() gives a tensor over a Java array, toFloatArray() etc. a copy");
        if (!self.isContiguous() || T.offset(self) != 0 || T.storage(self).numel() != self.numel())
            throw new IllegalStateException("array() needs a contiguous tensor that spans its whole storage; use contiguous().clone() or toFloatArray() etc. for a copy");
        return as.array();
    }

    /** The elements as nested lists of Double, Long or Boolean, like {@code x.tolist()}. */
    public static List<?> toList(Tensor self) {
        if (self.dim() == 0) throw new IllegalStateException("toList() of a 0-dim tensor: use item()");
        Object flat = T.dtype(self).isFloatingPoint() ? self.toDoubleArray() : T.dtype(self) == DType.bool ? self.toBooleanArray() : self.toLongArray();
        return nested(self, flat, 0, 0);
    }

    static List<Object> nested(Tensor self, Object flat, int d, int start) {
        List<Object> out = new ArrayList<>();
        long inner = 1;
        for (int k = d + 1; k < T.shape(self).length; k++) inner *= T.shape(self)[k];
        for (int i = 0; i < T.shape(self)[d]; i++) {
            int at = (int) (start + i * inner);
            if (d == T.shape(self).length - 1) out.add(java.lang.reflect.Array.get(flat, at));
            else out.add(nested(self, flat, d + 1, at));
        }
        return out;
    }

    /**
     * Like {@code x.to(device, dtype, non_blocking=...)}. With {@code nonBlocking}, a copy from pinned memory
     * ({@link #pinMemory()}) to a GPU is queued on the current stream and returns at once, and a copy from a GPU
     * to the CPU lands in a new pinned tensor, queued too: synchronize the stream (or wait for an event) before
     * reading the result or writing the pinned source. From pageable memory the copy waits, as in PyTorch.
     */
    public static Tensor to(Tensor self, Device device, DType dtype, boolean nonBlocking) {
        if (device.equals(self.device()) || (device.isCuda() && self.device().isCuda() && device.index() < 0)) {
            if (dtype == T.dtype(self)) return self;
        }
        Tensor out = nonBlocking && self.isCuda() && !device.isCuda() ? PinnedMemory.empty(T.shape(self), dtype) : Dispatch.empty(T.shape(self), dtype, device);
        Dispatch.copyInto(out, self, nonBlocking);
        if (dtype.isFloatingPoint() && Graph.needsRecording(self)) Graph.record(MemoryOp.COPY, Variant.TO_COPY, out, new Tensor[]{self}, SavedArgs.NONE);
        return out;
    }

    public static Tensor clone(Tensor self) {
        Tensor out = cloneNoGrad(self);
        if (T.dtype(self).isFloatingPoint() && Graph.needsRecording(self)) Graph.record(MemoryOp.COPY, Variant.CLONE, out, new Tensor[]{self}, SavedArgs.NONE);
        return out;
    }

    public static Tensor cloneNoGrad(Tensor self) {
        Tensor out = Dispatch.empty(T.shape(self), T.dtype(self), self.device());
        Dispatch.copy(out, Dispatch.strided(self));
        return out;
    }

    /** This tensor when contiguous, else a contiguous copy, like {@code x.contiguous()}. */
    public static Tensor contiguous(Tensor self) {
        if (self.isContiguous()) return self;
        Tensor out = cloneNoGrad(self);
        if (T.dtype(self).isFloatingPoint() && Graph.needsRecording(self)) Graph.record(MemoryOp.COPY, Variant.CLONE, out, new Tensor[]{self}, SavedArgs.NONE);
        return out;
    }
}
