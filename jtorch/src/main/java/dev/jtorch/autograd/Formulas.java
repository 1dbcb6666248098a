package dev.jtorch.autograd;

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
        if (!Graph.needsRecording(x, min, max)) return r;
        SavedTensor sx = Graph.save(x), smin = min == null ? null : Graph.save(min), smax = max == null ? null : Graph.save(max);
        return Graph.record("ClampBackward0", r, new Tensor[]{x, min, max}, grad -> {
            Tensor self = sx.get(), lo = smin == null ? null : smin.get(), hi = smax == null ? null : smax.get();
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
        SavedTensor sy = new SavedTensor(y, true);
        Graph.record("SoftmaxBackward0", y, new Tensor[]{x}, grad -> {
            Tensor out = sy.get();
            return new Tensor[]{out.mul(grad.sub(grad.mul(out).sum(new int[]{dim}, true)))};
        });
        sy.setOwner(y.gradFn());
        return y;
    }

    /** Log-softmax along a dim as PyTorch records it ({@code LogSoftmaxBackward0}): grad = g - exp(y) sum(g). */
    public static Tensor logSoftmax(Tensor x, int dim, java.util.function.Supplier<Tensor> forward) {
        if (!Graph.needsRecording(x)) return forward.get();
        Tensor y;
        try (var g = GradMode.set(false)) {
            y = forward.get();
        }
        SavedTensor sy = new SavedTensor(y, true);
        Graph.record("LogSoftmaxBackward0", y, new Tensor[]{x}, grad -> {
            Tensor out = sy.get();
            return new Tensor[]{grad.sub(out.exp().mul(grad.sum(new int[]{dim}, true)))};
        });
        sy.setOwner(y.gradFn());
        return y;
    }
}
