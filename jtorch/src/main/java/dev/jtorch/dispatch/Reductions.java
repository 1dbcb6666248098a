package dev.jtorch.dispatch;

import dev.jtorch.Autocast;
import dev.jtorch.DType;
import dev.jtorch.Python;
import dev.jtorch.ReturnTypes;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Formulas;
import dev.jtorch.autograd.Graph;
import dev.jtorch.autograd.Variant;
import dev.jtorch.internal.TensorAccess;
import dev.jtorch.ops.ReduceOp;
import java.util.Arrays;

/** Tensor's reductions written from primitives (mean, var, std, norms, max/min with indices, median, mode, ...) and their argument checks; {@code Tensor}'s methods are one line into these. */
public final class Reductions {
    private static final TensorAccess T = TensorAccess.get();

    private Reductions() {}

    /** Variance over dims with a correction ({@code 1} = unbiased), like {@code x.var(dim, correction=c, keepdim=k)}. */
    public static Tensor var(Tensor self, int[] dims, double correction, boolean keepdim) {
        return Formulas.var(self, dims == null ? null : Dispatch.normalizeDims(dims, self.dim()), correction, keepdim,
                () -> varImpl(self, dims, correction, keepdim));
    }

    static Tensor varImpl(Tensor self, int[] dims, double correction, boolean keepdim) {
        if (!T.dtype(self).isFloatingPoint())
            throw new IllegalArgumentException("std and var only support floating point and complex dtypes");
        int[] rd = Dispatch.normalizeDims(dims, self.dim());
        long n = 1;
        for (int d : rd) n *= T.shape(self)[d];
        if (self.dim() == 0) n = 1;
        Tensor centered = self.sub(self.mean(rd, true));
        return centered.mul(centered).sum(rd, keepdim).div(Math.max(0, n - correction));
    }

    /** Standard deviation over dims with a correction ({@code 1} = unbiased), like {@code x.std(dim, correction=c, keepdim=k)}. */
    public static Tensor std(Tensor self, int[] dims, double correction, boolean keepdim) {
        return Formulas.std(self, dims == null ? null : Dispatch.normalizeDims(dims, self.dim()), correction, keepdim,
                () -> varImpl(self, dims, correction, keepdim).sqrt());
    }

    public static ReturnTypes.Max max(Tensor self, int dim, boolean keepdim) {
        checkReductionDimNotEmpty(self, dim, "max()");
        Tensor idx = (T.dtype(self) == DType.bool ? self.to(DType.uint8) : self).argmax(dim, true);
        Tensor values = Graph.composite("MaxBackward0", xs -> keepdim ? xs[0].gather(dim, idx) : xs[0].gather(dim, idx).squeeze(dim), self);
        return new ReturnTypes.Max(values, keepdim ? idx : idx.squeeze(dim));
    }

    public static ReturnTypes.Min min(Tensor self, int dim, boolean keepdim) {
        checkReductionDimNotEmpty(self, dim, "min()");
        Tensor idx = (T.dtype(self) == DType.bool ? self.to(DType.uint8) : self).argmin(dim, true);
        Tensor values = Graph.composite("MinBackward0", xs -> keepdim ? xs[0].gather(dim, idx) : xs[0].gather(dim, idx).squeeze(dim), self);
        return new ReturnTypes.Min(values, keepdim ? idx : idx.squeeze(dim));
    }

    /** ATen's zero_numel_check_dims for an op that picks an element along {@code dim}. */
    static void checkReductionDimNotEmpty(Tensor self, int dim, String fn) {
        int d = Shapes.wrapDim(dim, self.dim());
        if (self.dim() > 0 && T.shape(self)[d] == 0)
            throw new IndexOutOfBoundsException(fn + ": Expected reduction dim " + d + " to have non-zero size.");
    }

    /** Index of the largest element of the flattened tensor, like {@code x.argmax()}. */
    public static Tensor argmax(Tensor self) {
        if (self.numel() == 0) return Dispatch.reduce(ReduceOp.ARGMAX, self, null, false, null, Variant.PRIMARY); // PyTorch's error for empty input
        return Dispatch.reduce(ReduceOp.ARGMAX, self.reshape(-1), new int[]{0}, false, null, Variant.PRIMARY);
    }

    public static Tensor argmax(Tensor self, int dim, boolean keepdim) {
        if (self.dim() == 0) { Shapes.wrapDim(dim, 0); return Dispatch.reduce(ReduceOp.ARGMAX, self, null, keepdim, null, Variant.PRIMARY); }
        return Dispatch.reduce(ReduceOp.ARGMAX, self, new int[]{dim}, keepdim, null, Variant.PRIMARY);
    }

    public static Tensor argmin(Tensor self) {
        if (self.numel() == 0) return Dispatch.reduce(ReduceOp.ARGMIN, self, null, false, null, Variant.PRIMARY); // PyTorch's error for empty input
        return Dispatch.reduce(ReduceOp.ARGMIN, self.reshape(-1), new int[]{0}, false, null, Variant.PRIMARY);
    }

    public static Tensor argmin(Tensor self, int dim, boolean keepdim) {
        if (self.dim() == 0) { Shapes.wrapDim(dim, 0); return Dispatch.reduce(ReduceOp.ARGMIN, self, null, keepdim, null, Variant.PRIMARY); }
        return Dispatch.reduce(ReduceOp.ARGMIN, self, new int[]{dim}, keepdim, null, Variant.PRIMARY);
    }

    public static Tensor norm(Tensor self, double p, int[] dims, boolean keepdim) {
        if (Autocast.active()) return Autocast.call("norm", xs -> xs[0].norm(p, dims, keepdim), self);
        if (self.numel() == 0 && T.dtype(self).isFloatingPoint() && (p < 0 || p == Double.POSITIVE_INFINITY)) {
            // 2.x's norm is linalg.vector_norm, whose meta refuses a max/min-like norm of nothing (LinearAlgebra.cpp)
            if (dims == null || dims.length == 0)
                throw new IllegalArgumentException("linalg.vector_norm cannot compute the " + Python.cpp(p)
                        + " norm on an empty tensor because the operation does not have an identity");
            for (int d : dims)
                if (self.size(d) == 0) // ATen's message has no space before "because"
                    throw new IllegalArgumentException("linalg.vector_norm cannot compute the " + Python.cpp(p) + " norm on the dimension " + d
                            + "because this dimension is empty and the operation does not have an identity");
        }
        return Formulas.vectorNorm(self, p, Dispatch.normalizeDims(dims, self.dim()), keepdim, () -> normImpl(self, p, dims, keepdim));
    }

    static Tensor normImpl(Tensor self, double p, int[] dims, boolean keepdim) {
        if (!T.dtype(self).isFloatingPoint())
            throw new IllegalArgumentException("linalg.vector_norm: Expected a floating point or complex tensor as input. Got " + T.dtype(self).scalarTypeName());
        Tensor a = self.abs();
        if (p == Double.POSITIVE_INFINITY) return dims == null ? a.amax() : a.amax(dims, keepdim);
        if (p == Double.NEGATIVE_INFINITY) return dims == null ? a.amin() : a.amin(dims, keepdim);
        if (p == 0) return a.ne(0).to(T.dtype(self)).sum(dims, keepdim);
        if (p == 1) return a.sum(dims, keepdim);
        if (p == 2) return self.mul(self).sum(dims, keepdim).sqrt();
        return a.pow(p).sum(dims, keepdim).pow(1 / p);
    }

    public static Tensor logsumexp(Tensor self, int[] dims, boolean keepdim) {
        if (Autocast.active()) return Autocast.call("logsumexp", xs -> xs[0].logsumexp(dims, keepdim), self);
        return Graph.composite("LogsumexpBackward0", xs -> logsumexpImpl(xs[0], dims, keepdim), self);
    }

    static Tensor logsumexpImpl(Tensor self, int[] dims, boolean keepdim) {
        Tensor x = T.dtype(self).isFloatingPoint() ? self : self.to(Torch.getDefaultDtype());
        if (x.numel() == 0) return x.exp().sum(dims, keepdim).log(); // ATen: no max of nothing; an empty sum is 0, its log -inf
        Tensor m = x.amax(dims, true).detach();
        m = Torch.where(m.isinf(), Torch.zerosLike(m), m);
        Tensor r = x.sub(m).exp().sum(dims, true).log().add(m);
        if (!keepdim) {
            int[] rd = Dispatch.normalizeDims(dims, self.dim()).clone();
            Arrays.sort(rd);
            for (int i = rd.length - 1; i >= 0; i--) r = r.squeeze(rd[i]);
        }
        return r;
    }

    /** Sorted values and their indices along a dim, like {@code x.sort(dim, descending)}. */
    public static ReturnTypes.Sort sort(Tensor self, int dim, boolean descending) {
        if (self.dim() == 0) {
            Shapes.wrapDim(dim, 0);
            return new ReturnTypes.Sort(self.clone(), Torch.zeros(new long[0], DType.int64));
        }
        Tensor idx = self.argsort(dim, descending);
        return new ReturnTypes.Sort(Graph.composite("SortBackward0", xs -> xs[0].gather(dim, idx), self), idx);
    }

    /** The k largest (or smallest) values along a dim, like {@code x.topk(k, dim, largest, sorted)}. */
    public static ReturnTypes.Topk topk(Tensor self, int k, int dim, boolean largest) {
        int d = Shapes.wrapDim(dim, self.dim());
        if (k < 0 || k > (self.dim() == 0 ? 1 : T.shape(self)[d])) throw new IllegalArgumentException("selected index k out of range");
        // ATen's CPU topk copies a one-element 0-dim input whatever k (0 or 1) is
        if (self.dim() == 0) return new ReturnTypes.Topk(self.clone(), Torch.zeros(new long[0], DType.int64));
        Tensor idx = self.argsort(d, largest).narrow(d, 0, k);
        return new ReturnTypes.Topk(Graph.composite("TopkBackward0", xs -> xs[0].gather(d, idx), self), idx);
    }

    /** Reverses the order along dims, like {@code x.flip(0)}. */
    public static Tensor flip(Tensor self, int... dims) {
        Dispatch.normalizeDims(dims, self.dim()); // each dim once, as ATen's dim_list_to_bitset checks
        return Graph.composite("FlipBackward0", xs -> flipImpl(xs[0], dims), self);
    }

    static Tensor flipImpl(Tensor self, int... dims) {
        int[] rd = Dispatch.normalizeDims(dims, self.dim()); // ATen's dim_list_to_bitset: wrapped (0 and -1 on a 0-dim tensor), no repeats
        Tensor r = self;
        if (rd.length == 0) return self.clone();
        for (int d : rd) {
            long n = T.shape(self)[d];
            Tensor idx = Torch.arange(n - 1, -1, -1);
            r = r.indexSelect(d, idx);
        }
        return r;
    }
}
