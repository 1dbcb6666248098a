package dev.jtorch.autograd;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.Op;
import java.lang.ref.WeakReference;
import java.util.Arrays;

/** Records ops into the backward graph. jtorch internals: called by the dispatcher and by composite ops. */
public final class Graph {
    private Graph() {}

    /** True when an op on these inputs must be recorded. */
    public static boolean needsRecording(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /** The edge a gradient for {@code t} flows along: its grad_fn, or its AccumulateGrad if it is a leaf that requires grad. */
    public static Edge edgeOf(Tensor t) {
        if (t == null) return Edge.NONE;
        AutogradMeta m = t.autogradMeta();
        Node fn = m.gradFn;
        if (fn != null) return new Edge(fn, m.outputNr);
        if (m.requiresGrad) return new Edge(accumulator(t), 0);
        return Edge.NONE;
    }

    static AccumulateGrad accumulator(Tensor leaf) {
        AutogradMeta m = leaf.autogradMeta();
        synchronized (m) {
            AccumulateGrad acc = m.accumulator == null ? null : m.accumulator.get();
            if (acc == null) {
                acc = new AccumulateGrad(leaf);
                m.accumulator = new WeakReference<>(acc);
            }
            return acc;
        }
    }

    private static Edge[] edges(Tensor[] inputs) {
        Edge[] next = new Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) next[i] = edgeOf(inputs[i]);
        return next;
    }

    /**
     * Makes {@code out} the output of a new node for {@code op} recorded as {@code variant} (for a binary op,
     * {@link Variant#PRIMARY} picks the overload PyTorch records by which operand is a Java number), keeping
     * {@code args}, which must be the kind the op's formula reads.
     */
    public static void record(Op op, Variant variant, Tensor out, Tensor[] inputs, SavedArgs args) {
        Derivatives.Formula<?> formula = Derivatives.formulaOf(op);
        if (!formula.args().isInstance(args))
            throw new IllegalArgumentException("internal error: " + op + " recorded with " + args + ", its formula reads " + formula.args().getSimpleName());
        if (variant == Variant.PRIMARY && op instanceof BinaryOp binary)
            variant = Variant.ofOperands(binary, inputs[0].isWrappedNumber(), inputs[1].isWrappedNumber());
        else if (variant != Variant.PRIMARY && variant.op() != op)
            throw new IllegalArgumentException("internal error: " + variant + " is not an overload of " + op);
        OpNode node = new OpNode(op, variant, formula, out, inputs, args, edges(inputs));
        out.autogradMeta().setGradFn(node, 0);
    }

    /** {@link #record(Op, Variant, Tensor, Tensor[], SavedArgs)} for the op itself with no arguments. */
    public static void record(Op op, Tensor out, Tensor[] inputs) { record(op, Variant.PRIMARY, out, inputs, SavedArgs.NONE); }

    /**
     * Records the primitive that just made {@code out} as the overload the caller implements with it (a
     * MAXIMUM with 0 as {@link Variant#RELU}), which names its node and may change its formula; returns {@code out}.
     */
    public static Tensor recordAs(Tensor out, Variant variant) {
        Node fn = out.gradFn();
        if (fn == null) return out;
        if (!(fn instanceof OpNode node)) throw new IllegalArgumentException("internal error: " + fn.name() + " is not a primitive's node");
        node.setVariant(variant);
        return out;
    }

    /** A custom backward formula: one gradient per input (null where none) given the output's gradient and the saved tensors. */
    @FunctionalInterface
    public interface CustomBackward {
        /** {@code saved}: the tensors given to {@link #record(String, Tensor, Tensor[], Tensor[], CustomBackward)}, in that order. */
        Tensor[] apply(Tensor grad, Tensor[] saved);
    }

    /**
     * Records {@code out} as made by a composite op with its own backward formula (PyTorch's node
     * {@code name}): {@code backward} gets the gradient of {@code out} and the tensors of {@code saves},
     * and returns one gradient per input, written with tensor ops so it is differentiable again. The
     * formula reads tensors only through {@code saves}: each is kept as a {@link SavedTensor}
     * ({@code out} itself as the node's output), so modifying one in place before the backward raises
     * PyTorch's error instead of giving a wrong gradient, and a non-retaining backward frees them. Null
     * entries stay null. Call only when {@link #needsRecording} holds; returns {@code out}.
     */
    public static Tensor record(String name, Tensor out, Tensor[] inputs, Tensor[] saves, CustomBackward backward) {
        SavedTensor[] saved = new SavedTensor[saves.length];
        for (int i = 0; i < saves.length; i++) if (saves[i] != null) saved[i] = new SavedTensor(saves[i], saves[i] == out);
        FunctionNode node = new FunctionNode(name, edges(inputs), inputs, 1, false, gs -> backward.apply(gs[0], unpack(saved)), false,
                () -> { for (SavedTensor s : saved) if (s != null) s.release(); });
        for (SavedTensor s : saved) if (s != null) s.setOwner(node);
        out.autogradMeta().setGradFn(node, 0);
        return out;
    }

    private static Tensor[] unpack(SavedTensor[] saved) {
        Tensor[] values = new Tensor[saved.length];
        for (int i = 0; i < saved.length; i++) values[i] = saved[i] == null ? null : saved[i].get();
        return values;
    }

    /**
     * Runs a composite op and records it as one node named as PyTorch names it ({@code SoftmaxBackward0}),
     * with edges to its inputs; the gradient is that of the primitives {@code body} used, so
     * higher-order gradients work. {@code body} must use only its arguments (in order, as given).
     */
    public static Tensor composite(String name, java.util.function.Function<Tensor[], Tensor> body, Tensor... inputs) {
        if (!needsRecording(inputs)) return body.apply(inputs);
        int n = inputs.length;
        Tensor[] inner = inputs.clone();
        IdentityNode[] identities = new IdentityNode[n];
        for (int i = 0; i < n; i++) {
            Tensor in = inputs[i];
            if (in == null || !in.requiresGrad()) continue;
            identities[i] = new IdentityNode(edgeOf(in));
            Tensor alias = in.detach();
            alias.autogradMeta().setGradFn(identities[i], 0);
            inner[i] = alias;
        }
        Tensor out = body.apply(inner);
        Node innerRoot = out.gradFn();
        if (innerRoot == null) return out;
        CompositeNode node = new CompositeNode(name, edges(inputs), innerRoot, out.autogradMeta().outputNr(), identities);
        out.autogradMeta().setGradFn(node, 0);
        return out;
    }

    /**
     * After an in-place op wrote into {@code view} (whose new values, {@code region}, carry that op's node),
     * gives {@code base} the history PyTorch calls {@code CopySlices}: the old history outside the view,
     * the op's inside; and gives {@code view} an {@code AsStridedBackward0} from the base's new history.
     * {@code index}: each view element's row-major position in the (contiguous) base, int64.
     */
    public static void recordWriteIntoView(Tensor base, Tensor view, Tensor region, Tensor index) {
        long[] baseShape = base.shape().toArray(), viewShape = view.shape().toArray();
        long numel = base.numel();
        record("CopySlices", base, new Tensor[]{base, region}, new Tensor[]{index}, (g, saved) -> {
            Tensor[] flatIndex = {saved[0]};
            Tensor flat = g.reshape(-1);
            Tensor zero = dev.jtorch.Torch.zeros(new long[0], g.dtype(), g.device());
            return new Tensor[]{flat.indexPut(flatIndex, zero, false).reshape(baseShape), flat.index(flatIndex).reshape(viewShape)};
        });
        record("AsStridedBackward0", view, new Tensor[]{base}, new Tensor[]{index}, (g, saved) -> {
            Tensor z = dev.jtorch.Torch.zeros(new long[]{numel}, g.dtype(), g.device());
            return new Tensor[]{z.indexPut(new Tensor[]{saved[0]}, g.reshape(-1), true).reshape(baseShape)};
        });
    }

    /**
     * A gradient brought to its input's metadata as PyTorch's engine does: summed down when it has
     * the broadcast shape, converted to the input's dtype and device; anything else is an error.
     */
    static Tensor fitGradient(Node node, int i, Tensor g, long[] shape, DType dtype, Device device) {
        if (shape != null && !Arrays.equals(g.shape().toArray(), shape)) {
            if (!expandable(shape, g.shape().toArray()))
                throw new IllegalStateException("Function " + node.name() + " returned an invalid gradient at index " + i + " - got "
                        + Arrays.toString(g.shape().toArray()) + " but expected shape compatible with " + Arrays.toString(shape));
            g = g.sumToSize(shape);
        }
        if (dtype != null && (g.dtype() != dtype || !g.device().equals(device))) g = g.to(device, dtype);
        return g;
    }

    private static boolean expandable(long[] from, long[] to) {
        if (from.length > to.length) return false;
        for (int i = 1; i <= from.length; i++) {
            long f = from[from.length - i], t = to[to.length - i];
            if (f != t && f != 1) return false;
        }
        return true;
    }
}
