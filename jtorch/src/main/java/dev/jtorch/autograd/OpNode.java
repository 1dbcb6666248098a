package dev.jtorch.autograd;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.ops.Op;

/**
 * The backward node of one primitive op: keeps the op's row of {@link Derivatives}, the overload it
 * was recorded as ({@link Variant}, which names it), its typed {@link SavedArgs}, only the tensors
 * that row says its formula reads, and the shape, dtype and device of inputs that need a gradient
 * where they differ from the output's, to reduce gradients back to them. Kept small: a long chain
 * of ops is a long chain of these.
 */
final class OpNode extends Node {
    final Op op;
    private Variant variant;
    private final Derivatives.Formula<?> formula;
    private SavedArgs args;
    private final SavedTensor[] inputs;
    private final SavedTensor output;
    private final long[] outputShape;
    /** Per input: its shape, dtype and device where they differ from the output's (null: the same, or no gradient needed). */
    private final long[][] inputShapes;
    private final DType[] inputDtypes;
    private final Device[] inputDevices;

    OpNode(Op op, Variant variant, Derivatives.Formula<?> formula, Tensor output, Tensor[] inputs, SavedArgs args, Edge[] next) {
        super(Variant.gradFnName(op, variant), next);
        this.op = op;
        this.variant = variant;
        this.formula = formula;
        this.args = args;
        int n = inputs.length;
        long[] outShape = output.shape().toArray();
        this.outputShape = outShape;
        long[][] shapes = null;
        DType[] dtypes = null;
        Device[] devices = null;
        boolean[] needs = new boolean[n];
        boolean anyNeeds = false;
        for (int i = 0; i < n; i++) {
            Tensor in = inputs[i];
            needs[i] = next[i].function() != null;
            anyNeeds |= needs[i];
            // shapes are kept for every input (reductions, views and joins read them); dtype and device only where a gradient goes
            if (!sameShape(in, outShape)) {
                if (shapes == null) shapes = new long[n][];
                shapes[i] = in.shape().toArray();
            }
            if (needs[i] && in.dtype() != output.dtype()) {
                if (dtypes == null) dtypes = new DType[n];
                dtypes[i] = in.dtype();
            }
            if (needs[i] && !in.device().equals(output.device())) {
                if (devices == null) devices = new Device[n];
                devices[i] = in.device();
            }
        }
        inputShapes = shapes;
        inputDtypes = dtypes;
        inputDevices = devices;
        long saveMask = anyNeeds ? formula.saves().mask(needs) : 0;
        SavedTensor[] saved = null;
        for (int i = 0; i < n; i++) {
            if ((saveMask & (1L << i)) == 0) continue;
            if (saved == null) saved = new SavedTensor[n];
            saved[i] = new SavedTensor(inputs[i], false);
            saved[i].setOwner(this);
        }
        this.inputs = saved;
        if ((saveMask & Derivatives.OUTPUT) != 0) {
            this.output = new SavedTensor(output, true);
            this.output.setOwner(this);
        } else {
            this.output = null;
        }
    }

    private static boolean sameShape(Tensor t, long[] shape) {
        if (t.dim() != shape.length) return false;
        for (int d = 0; d < shape.length; d++) if (t.size(d) != shape[d]) return false;
        return true;
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

    /** The shape input {@code i} had. */
    long[] inputShape(int i) { return inputShapes == null || inputShapes[i] == null ? outputShape : inputShapes[i]; }


    /** The arguments the op was recorded with. */
    SavedArgs args() {
        if (args == null) throw new IllegalStateException(SavedTensor.BACKWARD_TWICE);
        return args;
    }

    /** The overload the op was recorded as. */
    Variant variant() { return variant; }

    /** Records this node as another overload of its op (e.g. a MAXIMUM with 0 as {@code relu}), renaming it. */
    void setVariant(Variant v) {
        if (v.op() != op) throw new IllegalArgumentException("internal error: " + v + " is not an overload of " + op);
        variant = v;
        rename(Variant.gradFnName(op, v));
    }

    int numInputs() { return next.length; }

    boolean needsGrad(int i) { return next[i].function() != null; }

    @Override protected Tensor[] apply(Tensor g) {
        Tensor[] grads = formula.apply(this, g);
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null || !needsGrad(i)) {
                grads[i] = null;
                continue;
            }
            Tensor gi = grads[i];
            long[] shape = inputShape(i);
            if (!sameShape(gi, shape)) gi = gi.sumToSize(shape);
            DType dt = inputDtypes == null || inputDtypes[i] == null ? null : inputDtypes[i];
            Device dev = inputDevices == null || inputDevices[i] == null ? null : inputDevices[i];
            if ((dt != null && gi.dtype() != dt) || (dev != null && !gi.device().equals(dev)))
                gi = gi.to(dev != null ? dev : gi.device(), dt != null ? dt : gi.dtype());
            grads[i] = gi;
        }
        return grads;
    }

    @Override protected void release() {
        if (inputs != null) for (SavedTensor s : inputs) if (s != null) s.release();
        if (output != null) output.release();
        if (args != null && args.holdsTensors()) args = null;
    }

    /** True when this node holds no tensor any more (after a non-retaining backward): for tests. */
    boolean holdsNoTensors() {
        if (inputs != null) for (SavedTensor s : inputs) if (s != null && !s.isReleased()) return false;
        return (output == null || output.isReleased()) && (args == null || !args.holdsTensors());
    }
}
