package dev.jtorch.autograd;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.ops.Op;

/** The backward node of one primitive op: saves what {@link Derivatives} needs and reduces gradients back to each input's shape and dtype. */
final class OpNode extends Node {
    final Op op;
    final Object[] args;
    private Tensor[] inputs;
    private Tensor output;
    private final int[] savedVersions;
    final long[][] inputShapes;
    final DType[] inputDtypes;
    final Device[] inputDevices;
    private boolean released;

    OpNode(Op op, String name, Tensor output, Tensor[] inputs, Object[] args, Edge[] next) {
        super(name, next);
        this.op = op;
        this.args = args;
        this.inputs = inputs;
        this.output = output;
        int n = inputs.length;
        inputShapes = new long[n][];
        inputDtypes = new DType[n];
        inputDevices = new Device[n];
        savedVersions = new int[n + 1];
        for (int i = 0; i < n; i++) {
            inputShapes[i] = inputs[i].shape().toArray();
            inputDtypes[i] = inputs[i].dtype();
            inputDevices[i] = inputs[i].device();
            savedVersions[i] = inputs[i].version();
        }
        savedVersions[n] = output.version();
    }

    Tensor input(int i) {
        checkSaved();
        Tensor t = inputs[i];
        if (t.version() != savedVersions[i]) throw modified(t, savedVersions[i]);
        return t;
    }

    Tensor output() {
        checkSaved();
        if (output.version() != savedVersions[inputs.length]) throw modified(output, savedVersions[inputs.length]);
        return output;
    }

    boolean needsGrad(int i) { return next[i] != null && next[i].function() != null; }

    private void checkSaved() {
        if (released)
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access saved tensors after "
                    + "they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
                    + "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you "
                    + "need to access saved tensors after calling backward.");
    }

    private IllegalStateException modified(Tensor t, int expected) {
        return new IllegalStateException("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [" + t.type() + " " + java.util.Arrays.toString(t.shape().toArray()).replace(" ", "").replace(",", ", ") + "], which is output "
                + t.autogradMeta().outputNr() + " of " + (t.gradFn() == null ? "None" : t.gradFn().name()) + ", is at version "
                + t.version() + "; expected version " + expected + " instead. Hint: the backtrace further above can also show the "
                + "operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!");
    }

    @Override protected Tensor[] apply(Tensor g) {
        checkSaved();
        Tensor[] grads = Derivatives.backward(this, g);
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null || !needsGrad(i)) {
                grads[i] = null;
                continue;
            }
            Tensor gi = grads[i];
            if (!java.util.Arrays.equals(gi.shape().toArray(), inputShapes[i])) gi = gi.sumToSize(inputShapes[i]);
            if (gi.dtype() != inputDtypes[i] || !gi.device().equals(inputDevices[i])) gi = gi.to(inputDevices[i], inputDtypes[i]);
            grads[i] = gi;
        }
        return grads;
    }

    @Override protected void release() {
        released = true;
        inputs = null;
        output = null;
    }
}
