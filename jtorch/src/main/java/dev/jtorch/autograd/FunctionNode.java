package dev.jtorch.autograd;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;

/**
 * A node whose backward is a function: composite ops with their own formula (written with tensor
 * ops, so differentiable again) and custom {@link Function}s. Checks what the function returns as
 * PyTorch's engine does: the count, and each gradient's shape (summed down when it broadcasts).
 */
final class FunctionNode extends Node {
    /** The backward formula: gradients per input (null where none) given one gradient per output (null where none). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor[] grads);
    }

    private Backward backward;
    private final int numOutputs;
    private final boolean runsWithoutGradient;
    private final boolean keepAfterRelease;
    private Runnable onRelease;
    private final long[][] inputShapes;
    private final DType[] inputDtypes;
    private final Device[] inputDevices;

    FunctionNode(String name, Edge[] next, Tensor[] inputs, int numOutputs, boolean runsWithoutGradient, Backward backward,
                 boolean keepAfterRelease, Runnable onRelease) {
        super(name, next);
        this.numOutputs = numOutputs;
        this.runsWithoutGradient = runsWithoutGradient;
        this.backward = backward;
        this.keepAfterRelease = keepAfterRelease;
        this.onRelease = onRelease;
        int n = inputs.length;
        inputShapes = new long[n][];
        inputDtypes = new DType[n];
        inputDevices = new Device[n];
        for (int i = 0; i < n; i++) {
            if (inputs[i] == null) continue;
            inputShapes[i] = inputs[i].shape().toArray();
            inputDtypes[i] = inputs[i].dtype();
            inputDevices[i] = inputs[i].device();
        }
    }

    @Override int numOutputs() { return numOutputs; }

    @Override boolean runsWithoutGradient() { return runsWithoutGradient; }

    @Override protected Tensor[] apply(Tensor g) {
        Tensor[] gs = new Tensor[numOutputs];
        gs[0] = g;
        return applyAll(gs);
    }

    @Override Tensor[] applyAll(Tensor[] gradOutputs) {
        Backward b = backward;
        if (b == null) throw new IllegalStateException(SavedTensor.BACKWARD_TWICE);
        Tensor[] grads = b.apply(gradOutputs);
        if (grads == null) grads = new Tensor[0];
        if (grads.length != next.length)
            throw new IllegalStateException("function " + name() + " returned an incorrect number of gradients (expected "
                    + next.length + ", got " + grads.length + ")");
        Tensor[] out = new Tensor[grads.length];
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null || next[i].function() == null) continue;
            out[i] = Graph.fitGradient(this, i, grads[i], inputShapes[i], inputDtypes[i], inputDevices[i]);
        }
        return out;
    }

    @Override protected void release() {
        if (!keepAfterRelease) backward = null;
        Runnable r = onRelease;
        onRelease = null;
        if (r != null) r.run();
    }

    boolean holdsNoTensors() { return backward == null || keepAfterRelease; }
}
