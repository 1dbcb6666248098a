package dev.jtorch.dispatch;

import dev.jtorch.Tensor;

import java.util.Arrays;

/** Shape arithmetic shared by the dispatcher and the view ops, with PyTorch's error texts. */
public final class Shapes {
    private Shapes() {}

    /**
     * The element count, checked as c10's {@code TensorImpl::safe_compute_numel}: the product of the sizes taken as
     * unsigned 64-bit numbers, left to right, must neither overflow nor exceed {@code Long.MAX_VALUE}.
     */
    public static long numel(long[] shape) {
        long n = unsignedProduct(shape, 1);
        if (n < 0) throw new IllegalArgumentException("numel: integer multiplication overflow");
        return n;
    }

    /**
     * Checks the sizes of a new tensor of {@code itemSize}-byte elements as ATen's {@code empty} does: no negative
     * size, then c10's {@code computeStorageNbytesContiguous} (the unsigned product of the sizes and the item size must
     * neither overflow nor exceed {@code Long.MAX_VALUE} bytes).
     */
    public static void checkNewTensor(long[] shape, int itemSize) {
        for (long s : shape)
            if (s < 0) throw new IllegalArgumentException("Trying to create tensor with negative dimension " + s + ": " + str(shape));
        if (unsignedProduct(shape, itemSize) < 0)
            throw new IllegalArgumentException("Storage size calculation overflowed with sizes=" + str(shape));
    }

    /**
     * {@code factor} times the product of the sizes, multiplied as c10's {@code safe_multiplies_u64} does (left to right,
     * unsigned); negative when a step overflowed or the result passes {@code Long.MAX_VALUE}.
     */
    private static long unsignedProduct(long[] shape, long factor) {
        long n = 1;
        boolean overflow = false;
        for (long s : shape) {
            overflow |= Math.unsignedMultiplyHigh(n, s) != 0;
            n *= s;
        }
        overflow |= Math.unsignedMultiplyHigh(n, factor) != 0;
        n *= factor;
        return overflow ? -1 : n;
    }

    /**
     * The length of a Java array holding {@code numel} elements of a tensor whose sizes {@link #checkNewTensor} passed;
     * CPU storage is limited as {@link dev.jtorch.backend.ArrayStorage#allocate} limits it, with its message.
     */
    public static int hostLength(long numel) {
        if (numel > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("CPU tensors are limited to " + (Integer.MAX_VALUE - 8) + " elements, asked for " + numel);
        return (int) numel;
    }

    public static String str(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(']').toString();
    }

    /**
     * Wraps a dim of a tensor that must have dims, like c10's {@code maybe_wrap_dim(dim, ndim, wrap_scalar=false)}
     * ({@code x.size(0)} and {@code x.unbind(0)} of a 0-dim tensor are errors).
     */
    public static int wrapDimNoScalar(long dim, int ndim) {
        if (ndim == 0) throw new IndexOutOfBoundsException("Dimension specified as " + dim + " but tensor has no dimensions");
        return wrapDim(dim, ndim);
    }

    /** Wraps a possibly negative dim, like c10's maybe_wrap_dim: a 0-dim tensor takes dim 0 and -1. */
    public static int wrapDim(long dim, int ndim) {
        int n = Math.max(ndim, 1);
        if (dim < -n || dim >= n)
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + -n + ", " + (n - 1) + "], but got " + dim + ")");
        return (int) (dim < 0 ? dim + n : dim);
    }

    public static long[] broadcast(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        long[] out = new long[n];
        for (int i = n - 1; i >= 0; i--) { // from the last dim, so the error names the trailing mismatch as PyTorch does
            int ia = a.length - n + i, ib = b.length - n + i;
            long sa = ia >= 0 ? a[ia] : 1, sb = ib >= 0 ? b[ib] : 1;
            if (sa != sb && sa != 1 && sb != 1)
                throw new IllegalArgumentException("The size of tensor a (" + sa + ") must match the size of tensor b (" + sb
                        + ") at non-singleton dimension " + i);
            out[i] = sa == 1 ? sb : sa;
        }
        return out;
    }

    /** Strides that view a tensor of {@code shape}/{@code stride} as {@code target} by broadcasting (stride 0 on new dims). */
    public static long[] expandStrides(long[] shape, long[] stride, long[] target) {
        int n = target.length, k = shape.length;
        if (k > n)
            throw new IllegalArgumentException("expand(torch.FloatTensor{" + str(shape) + "}, size=" + str(target)
                    + "): the number of sizes provided (" + n + ") must be greater or equal to the number of dimensions in the tensor (" + k + ")");
        long[] out = new long[n];
        for (int i = n - 1; i >= 0; i--) {
            int j = i - (n - k);
            if (j < 0) {
                if (target[i] < 0) throw new IllegalArgumentException("The expanded size of the tensor (" + target[i] + ") isn't allowed in a leading, non-existing dimension " + i);
                out[i] = 0;
            } else if (shape[j] == target[i]) {
                out[i] = stride[j];
            } else if (shape[j] == 1) {
                out[i] = 0;
            } else {
                throw new IllegalArgumentException("The expanded size of the tensor (" + target[i] + ") must match the existing size ("
                        + shape[j] + ") at non-singleton dimension " + i + ".  Target sizes: " + str(target) + ".  Tensor sizes: " + str(shape));
            }
        }
        return out;
    }

    /**
     * Resolves one -1 in a view/reshape shape, as ATen's {@code infer_size_impl} does (its product wraps like the C++
     * one; sizes that only matched by wrapping then fail {@link #numel}'s overflow check, as in PyTorch).
     */
    public static long[] inferSize(long[] shape, long numel) {
        long newSize = 1;
        int infer = -1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one dimension can be inferred");
                infer = i;
            } else if (shape[i] >= 0) {
                newSize *= shape[i];
            } else {
                throw new IllegalArgumentException("invalid shape dimension " + shape[i]);
            }
        }
        if (numel == newSize || (infer >= 0 && newSize > 0 && numel % newSize == 0)) {
            long[] out = shape.clone();
            if (infer >= 0) {
                if (newSize == 0)
                    throw new IllegalArgumentException("cannot reshape tensor of 0 elements into shape " + str(shape)
                            + " because the unspecified dimension size -1 can be any value and is ambiguous");
                out[infer] = numel / newSize;
            }
            numel(out);
            return out;
        }
        throw new IllegalArgumentException("shape '" + str(shape) + "' is invalid for input of size " + numel);
    }

    /**
     * Strides for viewing (shape, stride) as newShape without copying, or null when impossible;
     * the algorithm of ATen's computeStride.
     */
    public static long[] viewStrides(long[] shape, long[] stride, long[] newShape) {
        if (shape.length == 0) {
            long[] r = new long[newShape.length];
            Arrays.fill(r, 1);
            return r;
        }
        long numel = numel(shape);
        if (numel == 0) {
            return dev.jtorch.backend.Strided.contiguousStrides(newShape);
        }
        long[] newStride = new long[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBaseStride = stride[stride.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int tensorD = shape.length - 1; tensorD >= 0; tensorD--) {
            tensorNumel *= shape[tensorD];
            if (tensorD == 0 || (shape[tensorD - 1] != 1 && stride[tensorD - 1] != tensorNumel * chunkBaseStride)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStride[viewD] = viewNumel * chunkBaseStride;
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (tensorD > 0) {
                    chunkBaseStride = stride[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return newStride;
    }
}
