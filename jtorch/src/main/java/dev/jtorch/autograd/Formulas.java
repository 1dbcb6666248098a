package dev.jtorch.autograd;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

/**
 * Composite ops whose gradient PyTorch defines differently from that of the primitives they are
 * computed with (a tie between the input and a bound, say): the value comes from the primitives,
 * the backward from PyTorch's formula. jtorch internals: called by {@code Tensor}.
 */
public final class Formulas {
    private Formulas() {}

    /**
     * {@code clamp(x, min, max)} with tensor bounds (either may be null), PyTorch's {@code ClampBackward0}:
     * x gets the gradient where it lies within the bounds (ties included), a bound where it is the
     * one that applies.
     */
    public static Tensor clamp(Tensor x, Tensor min, Tensor max) {
        Tensor r;
        try (var g = GradMode.set(false)) {
            r = x;
            if (min != null) r = r.maximum(min);
            if (max != null) r = r.minimum(max);
            if (r == x) r = x.clone();
        }
        if (min != null && max != null && r.dtype() == DType.bool) // ATen's clamp_stub (both bounds) dispatches without bool
            throw new UnsupportedOperationException("\"clamp_cpu\" not implemented for 'Bool'");
        if (!Graph.needsRecording(x, min, max)) return r;
        Tensor[] inputs = {x, min, max};
        return Graph.record("ClampBackward0", r, inputs, inputs, (grad, saved) -> {
            Tensor self = saved[0], lo = saved[1], hi = saved[2];
            Tensor zero = Torch.zeros(new long[0], grad.dtype(), grad.device());
            Tensor gx, gmin = null, gmax = null;
            if (lo != null && hi != null) {
                gx = Torch.where(self.ge(lo).logicalAnd(self.le(hi)), grad, zero);
                gmin = Torch.where(self.lt(lo).logicalAnd(lo.lt(hi)), grad, zero);
                gmax = Torch.where(self.gt(hi).logicalOr(hi.lt(lo)), grad, zero);
            } else if (lo != null) {
                gx = Torch.where(self.ge(lo), grad, zero);
                gmin = Torch.where(self.lt(lo), grad, zero);
            } else if (hi != null) {
                gx = Torch.where(self.le(hi), grad, zero);
                gmax = Torch.where(self.gt(hi), grad, zero);
            } else {
                gx = grad;
            }
            return new Tensor[]{gx, gmin, gmax};
        });
    }

    /** Softmax along a dim as PyTorch records it ({@code SoftmaxBackward0}): keeps only the result y; grad = y (g - sum(g y)). */
    public static Tensor softmax(Tensor x, int dim, java.util.function.Supplier<Tensor> forward) {
        if (!Graph.needsRecording(x)) return forward.get();
        Tensor y;
        try (var g = GradMode.set(false)) {
            y = forward.get();
        }
        return Graph.record("SoftmaxBackward0", y, new Tensor[]{x}, new Tensor[]{y}, (grad, saved) -> {
            Tensor out = saved[0];
            return new Tensor[]{out.mul(grad.sub(grad.mul(out).sum(new int[]{dim}, true)))};
        });
    }

    /** Log-softmax along a dim as PyTorch records it ({@code LogSoftmaxBackward0}): grad = g - exp(y) sum(g). */
    public static Tensor logSoftmax(Tensor x, int dim, java.util.function.Supplier<Tensor> forward) {
        if (!Graph.needsRecording(x)) return forward.get();
        Tensor y;
        try (var g = GradMode.set(false)) {
            y = forward.get();
        }
        return Graph.record("LogSoftmaxBackward0", y, new Tensor[]{x}, new Tensor[]{y}, (grad, saved) -> {
            Tensor out = saved[0];
            return new Tensor[]{grad.sub(out.exp().mul(grad.sum(new int[]{dim}, true)))};
        });
    }

    /**
     * {@code linalg.vector_norm(x, p, dims, keepdim)} as PyTorch records it ({@code LinalgVectorNormBackward0}, its
     * {@code norm_backward}): the gradient is zero where the norm is zero, and none at all for p = 0.
     * {@code dims}: the reduced dims, normalized and non-empty unless x is 0-dim.
     */
    public static Tensor vectorNorm(Tensor x, double p, int[] dims, boolean keepdim, java.util.function.Supplier<Tensor> forward) {
        if (!Graph.needsRecording(x)) return forward.get();
        Tensor y;
        try (var g = GradMode.set(false)) {
            y = forward.get();
        }
        return Graph.record("LinalgVectorNormBackward0", y, new Tensor[]{x}, new Tensor[]{x, y},
                (grad, saved) -> new Tensor[]{normBackward(grad, saved[0], p, saved[1], dims, keepdim)});
    }

    private static Tensor normBackward(Tensor grad, Tensor self, double p, Tensor norm, int[] dims, boolean keepdim) {
        if (p == 0) return null;
        if (!keepdim && self.dim() != 0) {
            grad = unsqueezeAll(grad, dims);
            norm = unsqueezeAll(norm, dims);
        }
        if (p == 1) return self.sgn().mul(grad);
        if (p == 2) return grad.mul(self.div(norm).maskedFill(norm.eq(0), 0));
        if (Double.isInfinite(p)) {
            // the gradient of amax/amin of |x|, shared among ties; a NaN element takes part like a tie
            Tensor abs = self.abs();
            Tensor mask = abs.eq(norm).logicalOr(abs.isnan());
            return self.sgn().mul(grad.div(mask.sum(dims, true)).mul(mask));
        }
        if (p < 1) {
            Tensor scaled = self.sgn().mul(self.abs().pow(p - 1).maskedFill(self.eq(0), 0));
            return scaled.mul(grad).mul(norm.pow(1 - p));
        }
        Tensor scaled = p < 2 ? self.sgn().mul(self.abs().pow(p - 1)) : self.mul(self.abs().pow(p - 2));
        return scaled.mul(grad.div(norm.pow(p - 1)).maskedFill(norm.eq(0), 0));
    }

    /**
     * {@code var(x, dims, correction, keepdim)} as PyTorch records it ({@code VarBackward0}); {@code dims} null
     * for a reduction over everything, else normalized.
     */
    public static Tensor var(Tensor x, int[] dims, double correction, boolean keepdim, java.util.function.Supplier<Tensor> forward) {
        if (!Graph.needsRecording(x)) return forward.get();
        Tensor y;
        try (var g = GradMode.set(false)) {
            y = forward.get();
        }
        return Graph.record("VarBackward0", y, new Tensor[]{x}, new Tensor[]{x},
                (grad, saved) -> new Tensor[]{varBackward(grad, saved[0], dims, correction, keepdim)});
    }

    /**
     * {@code std(x, dims, correction, keepdim)} as PyTorch records it ({@code StdBackward0}): the variance's gradient
     * scaled by 1 / (2 std), zero where the std is zero.
     */
    public static Tensor std(Tensor x, int[] dims, double correction, boolean keepdim, java.util.function.Supplier<Tensor> forward) {
        if (!Graph.needsRecording(x)) return forward.get();
        Tensor y;
        try (var g = GradMode.set(false)) {
            y = forward.get();
        }
        return Graph.record("StdBackward0", y, new Tensor[]{x}, new Tensor[]{x, y}, (grad, saved) -> {
            Tensor result = saved[1];
            Tensor gradVar = grad.div(result.mul(2)).maskedFill(result.eq(0), 0);
            return new Tensor[]{varBackward(gradVar, saved[0], dims, correction, keepdim)};
        });
    }

    private static Tensor varBackward(Tensor grad, Tensor self, int[] dims, double correction, boolean keepdim) {
        if (self.dim() == 0 || dims == null) {
            double dof = self.numel() - correction;
            if (dof <= 0) {
                // 2 / dof is infinite: NaN where x equals its mean (inf * 0), +inf elsewhere, as PyTorch defines it
                Tensor nan = Torch.full(new long[0], Double.NaN, grad.dtype(), grad.device());
                Tensor inf = Torch.full(new long[0], Double.POSITIVE_INFINITY, grad.dtype(), grad.device());
                return grad.mul(Torch.where(self.eq(self.mean()), nan, inf));
            }
            return grad.mul(2.0 / dof).mul(self.sub(self.mean()));
        }
        if (!keepdim && self.dim() > 1) grad = unsqueezeAll(grad, dims);
        long n = 1;
        for (int d : dims) n *= self.size(d);
        return grad.mul(2.0 / (n - correction)).mul(self.sub(self.mean(dims, true)));
    }

    /** Puts back the reduced dims (normalized) as size-1 dims, lowest first, as PyTorch's {@code unsqueeze_multiple}. */
    private static Tensor unsqueezeAll(Tensor t, int[] dims) {
        int[] sorted = dims.clone();
        java.util.Arrays.sort(sorted);
        for (int d : sorted) t = t.unsqueeze(d);
        return t;
    }
}
