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
 * <p>{@link #forward} runs with gradient recording off; {@link #apply} then records one node named
 * {@code <ClassName>Backward}, whose backward calls {@link #backward} with the output's gradient
 * and expects one gradient per input (null for inputs that need none). Backward runs with grad
 * mode on when a graph of the gradient is wanted ({@code createGraph}), so writing it with tensor
 * ops makes it differentiable again.
 */
public abstract class Function {
    /** Computes the output from the inputs; may save tensors and state in {@code ctx}. */
    public abstract Tensor forward(FunctionCtx ctx, Tensor... inputs);

    /** Gradients of the inputs given the output's gradient ({@code gradOutputs[0]}). */
    public abstract Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs);

    /** The node's name: PyTorch's is the class name followed by {@code Backward}. */
    protected String nodeName() {
        String n = getClass().getName();
        n = n.substring(n.lastIndexOf('.') + 1);
        n = n.substring(n.lastIndexOf('$') + 1);
        return n + "Backward";
    }

    /** Runs forward and records the backward node, like {@code MyFunction.apply(x, y)}. */
    public final Tensor apply(Tensor... inputs) {
        boolean record = Graph.needsRecording(inputs);
        boolean[] needs = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) needs[i] = record && inputs[i] != null && inputs[i].requiresGrad();
        FunctionCtx ctx = new FunctionCtx(needs);
        Tensor out;
        try (var g = GradMode.set(false)) {
            out = forward(ctx, inputs);
        }
        if (out == null) throw new IllegalStateException(nodeName() + ".forward returned null");
        if (!record || !out.dtype().isFloatingPoint() || ctx.nonDifferentiable.contains(out)) {
            ctx.pack(out, null);
            return out;
        }
        boolean isInput = false;
        for (Tensor in : inputs) if (in == out) isInput = true;
        if (isInput && ctx.dirty.contains(out)) {
            if (out.isLeaf() && out.requiresGrad())
                throw new IllegalStateException("a leaf Variable that requires grad has been used in an in-place operation.");
        } else if (isInput) {
            out = out.detach();  // an input returned as is becomes a new tensor sharing its data
        }
        Node node = new FunctionNode(nodeName(), edges(inputs), inputs, grad -> backward(ctx, grad), true, ctx::release);
        out.autogradMeta().setGradFn(node, 0);
        ctx.pack(out, node);
        return out;
    }

    private static Edge[] edges(Tensor[] inputs) {
        Edge[] e = new Edge[inputs.length];
        for (int i = 0; i < e.length; i++) e[i] = Graph.edgeOf(inputs[i]);
        return e;
    }
}
