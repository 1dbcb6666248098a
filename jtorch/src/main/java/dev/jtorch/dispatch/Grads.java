package dev.jtorch.dispatch;

import dev.jtorch.Python;
import dev.jtorch.Tensor;
import dev.jtorch.autograd.Engine;
import dev.jtorch.internal.TensorAccess;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/** The checks and messages behind Tensor's autograd methods (requires_grad_, grad, retain_grad, backward, ...); {@code Tensor}'s methods are one line into these. */
public final class Grads {
    private static final TensorAccess T = TensorAccess.get();

    private Grads() {}

    public static Tensor requiresGrad_(Tensor self, boolean on) {
        if (!self.isLeaf() && !on)
            throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to use a computed "
                    + "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
        if (on && !T.dtype(self).isFloatingPoint())
            throw new IllegalStateException("only Tensors of floating point and complex dtype can require gradients");
        self.autogradMeta().setRequiresGrad(on);
        return self;
    }

    /**
     * The accumulated gradient, like {@code x.grad}; null when there is none. As in PyTorch, reading it on a non-leaf
     * that does not retain its gradient warns (once): backward never fills it.
     */
    public static Tensor grad(Tensor self) {
        if (!self.isLeaf() && !self.autogradMeta().retainsGrad())
            Python.warn("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
                    + "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, "
                    + "use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access "
                    + "the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations.");
        return self.autogradMeta().grad();
    }

    /** Sets or clears the gradient, like {@code x.grad = g} ({@code null} for {@code x.grad = None}). */
    public static void setGrad(Tensor self, Tensor g) {
        if (g != null && !Arrays.equals(T.shape(g), T.shape(self)))
            throw new IllegalArgumentException("assigned grad has data of a different size");
        if (g != null && T.dtype(g) != T.dtype(self)) throw new IllegalArgumentException("assigned grad has data of a different type");
        if (g != null && !g.device().equals(self.device()))
            throw new IllegalArgumentException("assigned grad has data located on a different device");
        self.autogradMeta().setGrad(g);
    }

    /** Keeps the gradient of this non-leaf in {@code grad()} after backward, like {@code x.retain_grad()}. */
    public static Tensor retainGrad(Tensor self) {
        if (!self.requiresGrad()) throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        if (self.isLeaf() || self.autogradMeta().retainsGrad()) return self;
        self.autogradMeta().setRetainsGrad(true);
        dev.jtorch.autograd.Hooks.retainGrad(self);
        return self;
    }

    /**
     * Registers a hook called with this tensor's gradient; it may return a replacement (or null to keep it),
     * like {@code x.register_hook(fn)}; the handle's {@code remove()} unregisters it.
     */
    public static dev.jtorch.autograd.RemovableHandle registerHook(Tensor self, UnaryOperator<Tensor> hook) {
        return dev.jtorch.autograd.Hooks.register(self, hook);
    }

    public static void backward(Tensor self, Tensor gradient, boolean retainGraph, boolean createGraph) {
        if (!self.requiresGrad()) throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn");
        Engine.backward(List.of(self), Arrays.asList(gradient), retainGraph || createGraph, createGraph);
    }

    /** Cuts this tensor from the graph in place, like {@code x.detach_()}. */
    public static Tensor detach_(Tensor self) {
        self.autogradMeta().setGradFn(null, 0);
        self.autogradMeta().setRequiresGrad(false);
        return self;
    }

    /** Like {@code x.data = data}: self takes data's storage, dtype, shape, strides and offset, keeping its autograd identity. */
    public static void setData(Tensor self, Tensor data) {
        if (data == null) throw new IllegalArgumentException("Variable data has to be a tensor, but got NoneType");
        if (self.requiresGrad() && !T.dtype(data).isFloatingPoint())
            throw new IllegalStateException("data set to a tensor that requires gradients must be floating point or complex dtype");
        if (data == self) return;
        T.setMetadata(self, T.storage(data), T.dtype(data), T.shape(data).clone(), T.stride(data).clone(), T.offset(data));
    }
}
