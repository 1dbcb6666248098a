package dev.jtorch.internal;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Storage;
import dev.jtorch.ops.Op;
import java.util.List;

/**
 * Tensor's internals for the layers below the facade (dispatcher, indexing, views, in-place bookkeeping), as the
 * JDK's SharedSecrets hands {@code java.lang} internals to {@code java.util}: {@code Tensor} registers its one
 * implementation in its static initializer, so users see no extra public method on {@code Tensor}, and callers keep
 * it in a static final field that the JIT folds (one implementation, so each call inlines to a field read).
 */
public interface TensorAccess {
    /** The registered implementation; initializes {@code Tensor} first, which registers it. */
    static TensorAccess get() {
        if (Holder.access == null) {
            try {
                Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return Holder.access;
    }

    /** Called once, by {@code Tensor}'s static initializer. */
    static void register(TensorAccess access) {
        if (Holder.access != null) throw new IllegalStateException("TensorAccess is registered once, by Tensor");
        Holder.access = access;
    }

    Storage storage(Tensor t);

    DType dtype(Tensor t);

    /** The shape array itself (not a copy): callers do not modify it. */
    long[] shape(Tensor t);

    /** The stride array itself (not a copy): callers do not modify it. */
    long[] stride(Tensor t);

    long offset(Tensor t);

    /** The tensor t is a view of, or null. */
    Tensor base(Tensor t);

    /** True for a Java number taking part in an op, which promotes like a Python scalar. */
    boolean wrappedNumber(Tensor t);

    /** A new tensor over storage with its own version counter and no base. */
    Tensor make(Storage storage, DType dtype, long[] shape, long[] stride, long offset);

    /** A view of viewOf (sharing its version counter; its base is viewOf's base or viewOf). */
    Tensor view(Tensor viewOf, long[] shape, long[] stride, long offset);

    /** A Java number as a 0-dim wrapped-number tensor (float64, int64 or bool). */
    Tensor wrap(double v);

    Tensor wrap(long v);

    Tensor wrap(boolean v);

    /** Marks an in-place write: bumps the version counter shared by all views of t's storage. */
    void bumpVersion(Tensor t);

    /** A contiguous copy made without recording autograd history. */
    Tensor cloneNoGrad(Tensor t);

    /** t when contiguous, else {@link #cloneNoGrad}. */
    Tensor contiguousNoGrad(Tensor t);

    /** A view of t's data with another shape, copying first only when t's strides cannot express it; records no history. */
    Tensor viewNoGrad(Tensor t, long[] shape);

    /** Rewrites t's own metadata in place, as {@code resize_}, {@code t_} and {@code x.data = y} do; views made before keep theirs. */
    void setMetadata(Tensor t, Storage storage, DType dtype, long[] shape, long[] stride, long offset);

    /** t's elements in a new contiguous host storage. */
    ArrayStorage hostCopy(Tensor t);

    // the facade's other internals that the dispatcher uses

    /** Registers device or native storage with the innermost open {@code TensorScope}. */
    void recordInScope(Storage storage);

    /** The operands as autocast's per-op policy casts them (unchanged outside an autocast region). */
    Tensor[] autocast(Op op, Tensor... args);

    List<Tensor> autocast(Op op, List<Tensor> args);

    /** The dtype a reduction or scan runs in under autocast's policy, given the requested one (may be null). */
    DType autocastDtype(Op op, Tensor x, DType dtype);

    /** The C++ scalar type name in PyTorch's messages, e.g. {@code Float}. */
    String cppTypeName(DType dtype);

    /** The caffe2 TypeMeta name in PyTorch's messages, e.g. {@code float}. */
    String typeMetaName(DType dtype);

    /** Where the registered implementation lives until {@code Tensor} is initialized. */
    final class Holder {
        private Holder() {}

        private static TensorAccess access;
    }
}
