package dev.jtorch.autograd;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.ops.Op;
import java.util.Arrays;

/**
 * The backward node of one primitive op: saves only what {@link Derivatives} reads for it and
 * reduces gradients back to each input's shape and dtype.
 */
final class OpNode extends Node {
    final Op op;
    private Object[] args;
    private final SavedTensor[] inputs;
    private final SavedTensor output;
    final long[][] inputShapes;
    private final DType[] inputDtypes;
    private final Device[] inputDevices;
    /** Which inputs were Java numbers taking part as scalars. */
    private final boolean[] wrapped;
    private final boolean argsHoldTensors;
    private boolean released;

    OpNode(Op op, String name, Tensor output, Tensor[] inputs, Object[] args, Edge[] next) {
        super(name, next);
        this.op = op;
        this.args = args;
        int n = inputs.length;
        inputShapes = new long[n][];
        inputDtypes = new DType[n];
        inputDevices = new Device[n];
        wrapped = new boolean[n];
        boolean[] needs = new boolean[n];
        for (int i = 0; i < n; i++) {
            inputShapes[i] = inputs[i].shape().toArray();
            inputDtypes[i] = inputs[i].dtype();
            inputDevices[i] = inputs[i].device();
            wrapped[i] = inputs[i].isWrappedNumber();
            needs[i] = next[i].function() != null;
        }
        long saveMask = Derivatives.savedInputs(op, needs);
        SavedTensor[] saved = null;
        for (int i = 0; i < n; i++) {
            if ((saveMask & (1L << i)) == 0) continue;
            if (saved == null) saved = new SavedTensor[n];
            saved[i] = new SavedTensor(inputs[i], false);
            saved[i].setOwner(this);
        }
        this.inputs = saved;
        if (Derivatives.savesOutput(op, needs)) {
            this.output = new SavedTensor(output, true);
            this.output.setOwner(this);
        } else {
            this.output = null;
        }
        boolean tensors = false;
        for (Object a : args) if (a instanceof Tensor || a instanceof Tensor[]) tensors = true;
        argsHoldTensors = tensors;
    }

    /** Input {@code i} as saved at record time (version-checked). */
    Tensor input(int i) {
        if (inputs == null || inputs[i] == null) throw new IllegalStateException("internal error: " + name() + " did not save input " + i);
        return inputs[i].get();
    }

    Tensor output() {
        if (output == null) throw new IllegalStateException("internal error: " + name() + " did not save its output");
        return output.get();
    }

    /** Whether input {@code i} was a Java number (a wrapped scalar). */
    boolean wrapped(int i) { return wrapped[i]; }

    Object arg(int i) {
        if (released && argsHoldTensors) throw new IllegalStateException(SavedTensor.BACKWARD_TWICE);
        return args[i];
    }

    int numInputs() { return inputShapes.length; }

    boolean needsGrad(int i) { return next[i].function() != null; }

    @Override protected Tensor[] apply(Tensor g) {
        Tensor[] grads = Derivatives.backward(this, g);
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null || !needsGrad(i)) {
                grads[i] = null;
                continue;
            }
            Tensor gi = grads[i];
            if (!Arrays.equals(gi.shape().toArray(), inputShapes[i])) gi = gi.sumToSize(inputShapes[i]);
            if (gi.dtype() != inputDtypes[i] || !gi.device().equals(inputDevices[i])) gi = gi.to(inputDevices[i], inputDtypes[i]);
            grads[i] = gi;
        }
        return grads;
    }

    @Override protected void release() {
        released = true;
        if (inputs != null) for (SavedTensor s : inputs) if (s != null) s.release();
        if (output != null) output.release();
        if (argsHoldTensors) args = null;
    }

    /** True when this node holds no tensor any more (after a non-retaining backward): for tests. */
    boolean holdsNoTensors() {
        if (inputs != null) for (SavedTensor s : inputs) if (s != null && !s.isReleased()) return false;
        return (output == null || output.isReleased()) && (!argsHoldTensors || args == null);
    }
}
