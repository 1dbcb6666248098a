package dev.jtorch.autograd;

import dev.jtorch.Tensor;

/**
 * A custom differentiable operation, like subclassing {@code torch.autograd.Function}:
 *
 * <pre>{@code
 * class Exp extends Function {
 *     public Tensor forward(FunctionCtx ctx, Tensor... in) {
 *         Tensor result = in[0].exp();
 *         ctx.saveForBackward(result);
 *         return result;
 *     }
 *     public Tensor[] backward(FunctionCtx ctx, Tensor... grad) {
 *         Tensor result = ctx.savedTensors()[0];
 *         return new Tensor[]{grad[0].mul(result)};
 *     }
 * }
 * Tensor y = new Exp().apply(x);   // y.gradFn().name() is "ExpBackward"
 * }</pre>
 *
 * <p>A function with several outputs (PyTorch's forward returning a tuple) overrides
 * {@link #forwardAll} instead and is called with {@link #applyAll}; its backward then gets one
 * gradient per output, zeros for outputs that got none unless {@link FunctionCtx#setMaterializeGrads}
 * turned that off, and every differentiable output has the same node as grad_fn, with its own index.
 *
 * <p>Forward runs with gradient recording off; apply then records one node named
 * {@code <ClassName>Backward}, whose backward calls {@link #backward} and expects one gradient per
 * input (null for inputs that need none). Backward runs with grad mode on when a graph of the
 * gradient is wanted ({@code createGraph}), so writing it with tensor ops makes it differentiable again.
 */
public abstract class Function {
    /** Computes the output from the inputs, like {@code forward(ctx, *inputs)}; may save tensors and state in {@code ctx}. */
    public Tensor forward(FunctionCtx ctx, Tensor... inputs) {
        throw new UnsupportedOperationException("You must implement the forward function for custom autograd.Function.");
    }

    /** Computes several outputs, like a {@code forward} that returns a tuple (null entries stand for non-tensor outputs). */
    public Tensor[] forwardAll(FunctionCtx ctx, Tensor... inputs) { return new Tensor[]{forward(ctx, inputs)}; }

    /** Gradients of the inputs given one gradient per output ({@code gradOutputs[i]} for output i), like {@code backward(ctx, *grads)}. */
    public abstract Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs);

    /** The node's name: PyTorch's is the class name followed by {@code Backward}. */
    protected String nodeName() {
        String n = getClass().getName();
        n = n.substring(n.lastIndexOf('.') + 1);
        n = n.substring(n.lastIndexOf('$') + 1);
        return n + "Backward";
    }

    /** Runs forward and records the backward node, like {@code MyFunction.apply(x, y)} for a single output. */
    public final Tensor apply(Tensor... inputs) {
        Tensor[] outs = applyAll(inputs);
        if (outs.length != 1)
            throw new IllegalStateException(getClass().getSimpleName() + ".forwardAll returned " + outs.length + " outputs; call applyAll");
        return outs[0];
    }

    /** Runs forward and records the backward node, like {@code y1, y2 = MyFunction.apply(x)}: one tensor per output. */
    public final Tensor[] applyAll(Tensor... inputs) {
        boolean record = Graph.needsRecording(inputs);
        boolean[] needs = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) needs[i] = record && inputs[i] != null && inputs[i].requiresGrad();
        FunctionCtx ctx = new FunctionCtx(needs);
        Tensor[] raw;
        try (var g = GradMode.set(false)) {
            raw = forwardAll(ctx, inputs);
        }
        if (raw == null) throw new IllegalStateException(nodeName() + ".forward returned null");
        Tensor[] outs = raw.clone();
        boolean[] differentiable = new boolean[outs.length];
        boolean any = false;
        for (int i = 0; i < outs.length; i++) {
            Tensor out = outs[i];
            if (out == null) continue;
            boolean isInput = false;
            for (Tensor in : inputs) if (in == out) isInput = true;
            if (!record || !out.dtype().isFloatingPoint() || ctx.nonDifferentiable.contains(out)) {
                // PyTorch hands back an input that requires grad as a detached alias rather than changing its requires_grad
                if (isInput && out.requiresGrad()) outs[i] = out.detach();
                continue;
            }
            if (isInput && ctx.dirty.contains(out)) {
                if (out.isLeaf() && out.requiresGrad())
                    throw new IllegalStateException("a leaf Variable that requires grad has been used in an in-place operation.");
            } else if (isInput) {
                outs[i] = out.detach();  // an input returned as is becomes a new tensor sharing its data
            }
            differentiable[i] = any = true;
        }
        if (!any) {
            ctx.pack(outs, null);
            return outs;
        }
        OutputMeta[] metas = new OutputMeta[outs.length];
        for (int i = 0; i < outs.length; i++) if (outs[i] != null) metas[i] = new OutputMeta(outs[i]);
        Node node = new FunctionNode(nodeName(), edges(inputs), inputs, outs.length, true,
                grads -> backward(ctx, materialize(ctx, grads, metas)), true, ctx::release);
        for (int i = 0; i < outs.length; i++) if (differentiable[i]) outs[i].autogradMeta().setGradFn(node, i);
        ctx.pack(outs, node);
        return outs;
    }

    /** What PyTorch keeps of each output to make zeros for a gradient that did not arrive. */
    private record OutputMeta(long[] shape, dev.jtorch.DType dtype, dev.jtorch.Device device) {
        OutputMeta(Tensor t) { this(t.shape().toArray(), t.dtype(), t.device()); }
    }

    private static Tensor[] materialize(FunctionCtx ctx, Tensor[] grads, OutputMeta[] metas) {
        if (!ctx.materializeGrads) return grads;
        Tensor[] out = grads.clone();
        for (int i = 0; i < out.length; i++)
            if (out[i] == null && metas[i] != null) out[i] = dev.jtorch.Torch.zeros(metas[i].shape(), metas[i].dtype(), metas[i].device());
        return out;
    }

    private static Edge[] edges(Tensor[] inputs) {
        Edge[] e = new Edge[inputs.length];
        for (int i = 0; i < e.length; i++) e[i] = Graph.edgeOf(inputs[i]);
        return e;
    }
}
