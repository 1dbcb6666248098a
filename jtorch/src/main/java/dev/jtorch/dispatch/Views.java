package dev.jtorch.dispatch;

import dev.jtorch.Slice;
import dev.jtorch.Tensor;
import dev.jtorch.autograd.Graph;
import dev.jtorch.autograd.SavedArgs;
import dev.jtorch.autograd.Variant;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.Strided;
import dev.jtorch.internal.TensorAccess;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.ViewOp;
import java.util.ArrayList;
import java.util.List;

/** Tensor's view ops (view, reshape, permute, expand, narrow, select, as_strided...): the view's strides and offset, checks and graph recording; {@code Tensor}'s methods are one line into these. */
public final class Views {
    private static final TensorAccess T = TensorAccess.get();

    private Views() {}

    static Tensor makeView(Tensor self, long[] newShape, long[] newStride, long newOffset, Op op, Variant variant, SavedArgs args) {
        Tensor v = T.view(self, newShape, newStride, newOffset);
        if (Graph.needsRecording(self)) Graph.record(op, variant, v, new Tensor[]{self}, args);
        return v;
    }

    public static Tensor viewNoGrad(Tensor self, long[] newShape) {
        long[] st = Shapes.viewStrides(T.shape(self), T.stride(self), newShape);
        if (st == null) return viewNoGrad(T.contiguousNoGrad(self), newShape);
        Tensor v = T.view(self, newShape, st, T.offset(self));
        return v;
    }

    /** The same data with another shape (one dim may be -1), like {@code x.view(-1, 2)}; never copies. */
    public static Tensor view(Tensor self, long... newShape) {
        long[] target = Shapes.inferSize(newShape, self.numel());
        long[] st = Shapes.viewStrides(T.shape(self), T.stride(self), target);
        if (st == null)
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at least one dimension "
                    + "spans across two contiguous subspaces). Use .reshape(...) instead.");
        return makeView(self, target, st, T.offset(self), ViewOp.VIEW, Variant.PRIMARY, SavedArgs.NONE);
    }

    /** A view when possible, else a copy, like {@code x.reshape(...)}. */
    public static Tensor reshape(Tensor self, long... newShape) {
        long[] target = Shapes.inferSize(newShape, self.numel());
        long[] st = Shapes.viewStrides(T.shape(self), T.stride(self), target);
        if (st != null) return makeView(self, target, st, T.offset(self), ViewOp.VIEW, Variant.PRIMARY, SavedArgs.NONE);
        Tensor c = self.contiguous();
        Tensor v = T.view(c, target, Strided.contiguousStrides(target), T.offset(c));
        if (Graph.needsRecording(c)) Graph.record(ViewOp.VIEW, Variant.UNSAFE_VIEW, v, new Tensor[]{c}, SavedArgs.NONE);
        return v;
    }

    /** Swaps two dims, like {@code x.transpose(0, 1)}. */
    public static Tensor transpose(Tensor self, int dim0, int dim1) {
        int n = self.dim();
        int a = Shapes.wrapDim(dim0, n), b = Shapes.wrapDim(dim1, n);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        if (n > 0) { perm[a] = b; perm[b] = a; }
        return permuteImpl(self, perm, Variant.TRANSPOSE);
    }

    /** Reorders dims, like {@code x.permute(2, 0, 1)}. */
    public static Tensor permute(Tensor self, int... dims) {
        int n = self.dim();
        if (dims.length != n)
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = "
                    + n + " is not equal to len(dims) = " + dims.length);
        int[] perm = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            perm[i] = Shapes.wrapDim(dims[i], n);
            if (seen[perm[i]]) throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            seen[perm[i]] = true;
        }
        return permuteImpl(self, perm, Variant.PRIMARY);
    }

    static Tensor permuteImpl(Tensor self, int[] perm, Variant variant) {
        long[] s = new long[perm.length], st = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            s[i] = T.shape(self)[perm[i]];
            st[i] = T.stride(self)[perm[i]];
        }
        return makeView(self, s, st, T.offset(self), ViewOp.PERMUTE, variant, new SavedArgs.Permutation(perm));
    }

    /** Transposes a matrix (≤ 2-D), like {@code x.t()}. */
    public static Tensor t(Tensor self) {
        if (self.dim() > 2) throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + self.dim() + "D");
        if (self.dim() < 2) return makeView(self, T.shape(self).clone(), T.stride(self).clone(), T.offset(self), ViewOp.PERMUTE, Variant.T, new SavedArgs.Permutation(identity(self.dim())));
        return permuteImpl(self, new int[]{1, 0}, Variant.T);
    }

    /** Reverses all dims, like {@code x.T}. */
    public static Tensor T(Tensor self) {
        int n = self.dim();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = n - 1 - i;
        return permuteImpl(self, perm, Variant.PRIMARY);
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    /** Removes all size-1 dims, like {@code x.squeeze()}. */
    public static Tensor squeeze(Tensor self) {
        List<Long> s = new ArrayList<>();
        for (long d : T.shape(self)) if (d != 1) s.add(d);
        return viewAsShape(self, s.stream().mapToLong(Long::longValue).toArray(), Variant.SQUEEZE);
    }

    /** Removes one dim if it has size 1, like {@code x.squeeze(0)}. */
    public static Tensor squeeze(Tensor self, int dim) {
        int d = Shapes.wrapDim(dim, self.dim());
        if (self.dim() == 0 || T.shape(self)[d] != 1) return viewAsShape(self, T.shape(self).clone(), Variant.SQUEEZE_DIM);
        long[] s = new long[T.shape(self).length - 1];
        for (int i = 0, k = 0; i < T.shape(self).length; i++) if (i != d) s[k++] = T.shape(self)[i];
        return viewAsShape(self, s, Variant.SQUEEZE_DIM);
    }

    /** Inserts a size-1 dim, like {@code x.unsqueeze(0)}. */
    public static Tensor unsqueeze(Tensor self, int dim) {
        int d = Shapes.wrapDim(dim, self.dim() + 1);
        long[] s = new long[T.shape(self).length + 1];
        for (int i = 0, k = 0; i < s.length; i++) s[i] = i == d ? 1 : T.shape(self)[k++];
        return viewAsShape(self, s, Variant.UNSQUEEZE);
    }

    static Tensor viewAsShape(Tensor self, long[] s, Variant variant) {
        long[] st = Shapes.viewStrides(T.shape(self), T.stride(self), s);
        return makeView(self, s, st, T.offset(self), ViewOp.VIEW, variant, SavedArgs.NONE);
    }

    public static Tensor flatten(Tensor self, int startDim, int endDim) {
        int a = Shapes.wrapDim(startDim, self.dim()), b = Shapes.wrapDim(endDim, self.dim());
        if (self.dim() == 0) return self.reshape(1);
        if (a > b) throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (a == b) return self;
        long[] s = new long[self.dim() - (b - a)];
        long merged = 1;
        for (int i = a; i <= b; i++) merged *= T.shape(self)[i];
        for (int i = 0, k = 0; i < self.dim(); i++) {
            if (i < a || i > b) s[k++] = T.shape(self)[i];
            else if (i == a) s[k++] = merged;
        }
        return self.reshape(s);
    }

    /** Splits one dim into several, like {@code x.unflatten(1, (2, 3))}. */
    public static Tensor unflatten(Tensor self, int dim, long... sizes) {
        int d = Shapes.wrapDim(dim, self.dim());
        if (sizes.length == 0) throw new IllegalArgumentException("unflatten: sizes must be non-empty");
        long size = T.shape(self)[Shapes.wrapDimNoScalar(d, self.dim())];
        long[] inner;
        try {
            inner = Shapes.inferSize(sizes, size);
        } catch (IllegalArgumentException e) { // ATen's handle_unflatten_exception rewords infer_size's two plain errors
            String m = e.getMessage();
            if (m.contains("is invalid for input of size"))
                throw new IllegalArgumentException("unflatten: Provided sizes " + Shapes.str(sizes) + " don't multiply up to the size of dim "
                        + d + " (" + size + ") in the input tensor");
            if (m.equals("only one dimension can be inferred")) throw new IllegalArgumentException("unflatten got an unexpected error:\n" + m);
            throw e;
        }
        long[] s = new long[self.dim() - 1 + inner.length];
        int k = 0;
        for (int i = 0; i < self.dim(); i++) {
            if (i == d) for (long x : inner) s[k++] = x;
            else s[k++] = T.shape(self)[i];
        }
        return self.view(s);
    }

    /** Broadcasts to a larger shape without copying (-1 keeps a dim), like {@code x.expand(3, 4)}. */
    public static Tensor expand(Tensor self, long... sizes) {
        long[] target = sizes.clone();
        int off = target.length - T.shape(self).length;
        for (int i = 0; i < target.length; i++) if (target[i] == -1 && i >= off) target[i] = T.shape(self)[i - off];
        long[] st = Shapes.expandStrides(T.shape(self), T.stride(self), target);
        Shapes.numel(target); // the new sizes' overflow check, as TensorImpl's
        return makeView(self, target, st, T.offset(self), ViewOp.EXPAND, Variant.PRIMARY, SavedArgs.NONE);
    }

    /** A slice of one dim, like {@code x.narrow(dim, start, length)}. */
    public static Tensor narrow(Tensor self, int dim, long start, long length) {
        // ATen's narrow_symint, checks in its order (TensorShape.cpp)
        if (self.dim() == 0) throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        if (length < 0) throw new IllegalArgumentException("narrow(): length must be non-negative.");
        int d = Shapes.wrapDim(dim, self.dim());
        long size = T.shape(self)[d];
        if (start < -size || start > size)
            throw new IndexOutOfBoundsException("start out of range (expected to be in range of [" + -size + ", " + size + "], but got " + start + ")");
        if (start < 0) start += size;
        if (start > size - length) // not start + length > size, which overflows
            throw new IllegalArgumentException("start (" + start + ") + length (" + length + ") exceeds dimension size (" + size + ").");
        return self.slice(d, start, start + length, 1);
    }

    /** {@code x[..., start:end:step, ...]} along one dim, with Python's clamping of start and end. */
    public static Tensor slice(Tensor self, int dim, long start, long end, long step) {
        int d = Shapes.wrapDim(dim, self.dim());
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive");
        long size = T.shape(self)[d];
        if (start < 0) start += size;
        if (end < 0) end += size;
        start = Math.min(Math.max(start, 0), size);
        end = Math.min(Math.max(end, start), size);
        long[] s = T.shape(self).clone(), st = T.stride(self).clone();
        s[d] = end == start ? 0 : (end - start - 1) / step + 1; // self.ceil((end - start) / step) without overflow for a huge step
        st[d] = T.stride(self)[d] * step;
        return makeView(self, s, st, T.offset(self) + start * T.stride(self)[d], ViewOp.SLICE, Variant.PRIMARY, new SavedArgs.Slice(d, start, end, step));
    }

    /** Picks one index of a dim, removing it, like {@code x.select(0, i)} or {@code x[i]}. */
    public static Tensor select(Tensor self, int dim, long index) {
        if (self.dim() == 0) throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.");
        int d = Shapes.wrapDim(dim, self.dim());
        long size = T.shape(self)[d];
        if (index < -size || index >= size)
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size " + Shapes.str(T.shape(self)) + " at dimension " + d);
        if (index < 0) index += size;
        long[] s = new long[self.dim() - 1], st = new long[self.dim() - 1];
        for (int i = 0, k = 0; i < self.dim(); i++) if (i != d) { s[k] = T.shape(self)[i]; st[k++] = T.stride(self)[i]; }
        return makeView(self, s, st, T.offset(self) + index * T.stride(self)[d], ViewOp.SELECT, Variant.PRIMARY, new SavedArgs.Select(d, index));
    }

    /** Removes a dim, returning all slices along it, like {@code x.unbind(0)}. */
    public static List<Tensor> unbind(Tensor self, int dim) {
        int d = Shapes.wrapDimNoScalar(Shapes.wrapDim(dim, self.dim()), self.dim()); // ATen wraps, then reads self.size(dim)
        List<Tensor> out = new ArrayList<>();
        for (long i = 0; i < T.shape(self)[d]; i++) {
            long index = i;
            out.add(Graph.composite("UnbindBackward0", xs -> xs[0].select(d, index), self));
        }
        return out;
    }

    /** Splits into {@code chunks} nearly equal pieces along a dim, like {@code x.chunk(3, 1)}. */
    public static List<Tensor> chunk(Tensor self, int chunks, int dim) {
        // ATen's chunk (TensorShape.cpp): an empty dim still gives `chunks` (empty) pieces
        if (self.dim() == 0) throw new IllegalArgumentException("chunk expects at least a 1-dimensional tensor");
        if (chunks <= 0) throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        int d = Shapes.wrapDim(dim, self.dim());
        long size = T.shape(self)[d];
        long each = (size + chunks - 1) / chunks;
        if (each == 0 && size == 0) return self.split(new long[chunks], d);
        return self.split(each, d);
    }

    /** Splits into pieces of {@code splitSize} along a dim (the last may be smaller), like {@code x.split(2, 1)}. */
    public static List<Tensor> split(Tensor self, long splitSize, int dim) {
        // ATen's get_num_splits: every bound is checked before the loop
        if (self.dim() == 0) throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
        if (splitSize < 0) throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size=" + splitSize);
        int d = Shapes.wrapDim(dim, self.dim());
        long size = T.shape(self)[d];
        if (splitSize == 0 && size != 0)
            throw new IllegalArgumentException("split_size can only be 0 if dimension size is 0, but got dimension size of " + size);
        List<Tensor> out = new ArrayList<>();
        if (size == 0) { out.add(self); return out; }
        for (long at = 0; at < size; at += Math.min(splitSize, size - at)) {
            long start = at, length = Math.min(splitSize, size - at);
            out.add(Graph.composite("SplitBackward0", xs -> xs[0].narrow(d, start, length), self));
        }
        return out;
    }

    /** Splits into pieces of the given sizes along a dim, like {@code x.split([1, 2], 1)}. */
    public static List<Tensor> split(Tensor self, long[] sizes, int dim) {
        // ATen's split_with_sizes: its sum wraps as the C++ one does, and its pieces are slices (clamped), not narrows
        if (self.dim() == 0) throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
        int d = Shapes.wrapDim(dim, self.dim());
        long total = 0;
        for (long s : sizes) {
            if (s < 0)
                throw new IllegalArgumentException("split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes="
                        + Shapes.str(sizes));
            total += s;
        }
        if (total != T.shape(self)[d])
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + T.shape(self)[d]
                    + " (input tensor's size at dimension " + dim + "), but got split_sizes=" + Shapes.str(sizes)); // the dim as given
        List<Tensor> out = new ArrayList<>();
        long at = 0;
        for (long s : sizes) {
            long start = at, end = at + s;
            out.add(Graph.composite("SplitWithSizesBackward0", xs -> xs[0].slice(d, start, end, 1), self));
            at = end;
        }
        return out;
    }

    /** Transposes in place, like {@code x.t_()}: only the metadata changes. */
    public static Tensor t_(Tensor self) {
        if (self.dim() > 2) throw new IllegalArgumentException("t_() expects a tensor with <= 2 dimensions, but self is " + self.dim() + "D");
        if (self.dim() == 2) {
            long[] shape = T.shape(self), stride = T.stride(self);
            T.setMetadata(self, T.storage(self), T.dtype(self), new long[]{shape[1], shape[0]}, new long[]{stride[1], stride[0]}, T.offset(self));
        }
        return self;
    }

    /** Like {@code x.resize_(...)}: new contiguous strides, and new storage when the old one is too small or not contiguous. */
    public static Tensor resize_(Tensor self, long... newShape) {
        long n = Shapes.numel(newShape); // a negative size is a huge unsigned one here, as in c10: an overflow
        Storage storage = T.storage(self);
        long offset = T.offset(self);
        if (n > storage.numel() - offset || !self.isContiguous()) {
            storage = T.storage(Dispatch.empty(newShape, T.dtype(self), self.device()));
            offset = 0;
        }
        T.setMetadata(self, storage, T.dtype(self), newShape.clone(), Strided.contiguousStrides(newShape), offset);
        return self;
    }
}
