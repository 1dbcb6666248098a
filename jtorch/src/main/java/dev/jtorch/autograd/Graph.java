package dev.jtorch.autograd;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.Op;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Locale;

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

    /** Makes {@code out} the output of a new node for {@code op}; {@code name} overrides the default {@code OpBackward0}. */
    public static void record(Op op, String name, Tensor out, Tensor[] inputs, Object... args) {
        OpNode node = new OpNode(op, name != null ? name : defaultName(op, inputs), out, inputs, args, edges(inputs));
        out.autogradMeta().setGradFn(node, 0);
    }

    /**
     * PyTorch's node name for a binary op whose operand is a Java number: PyTorch picks another
     * overload then ({@code x ** 2} is {@code PowBackward0}, {@code x ** y} {@code PowBackward1},
     * {@code 2 - x} {@code RsubBackward1}); otherwise {@link #defaultName(Op)}.
     */
    static String defaultName(Op op, Tensor[] inputs) {
        boolean scalarA = inputs.length == 2 && inputs[0].isWrappedNumber();
        boolean scalarB = inputs.length == 2 && inputs[1].isWrappedNumber();
        if (!(op instanceof BinaryOp binary)) return defaultName(op);
        return switch (binary) {
            case POW -> scalarB ? "PowBackward0" : scalarA ? "PowBackward2" : "PowBackward1";
            case SUB -> scalarA ? "RsubBackward1" : "SubBackward0";
            case REMAINDER -> scalarB ? "RemainderBackward0" : "RemainderBackward1";
            case FMOD -> scalarB ? "FmodBackward0" : "FmodBackward1";
            case COPYSIGN -> scalarB ? "CopysignBackward1" : "CopysignBackward0";
            case MAXIMUM -> scalarB ? "ClampMinBackward0" : "MaximumBackward0";
            case MINIMUM -> scalarB ? "ClampMaxBackward0" : "MinimumBackward0";
            case FLOOR_DIVIDE -> "NotImplemented";
            case ADD, MUL, DIV, ATAN2, HYPOT, BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT, EQ, NE,
                 LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> defaultName(op);
        };
    }

    /**
     * PyTorch's node name for an op: the op name in Python's {@code str.title()} without underscores, then
     * {@code Backward0}: {@code MUL} → {@code MulBackward0}, {@code LOG1P} → {@code Log1PBackward0}.
     */
    public static String defaultName(Op op) { return NAMES.get(op); }

    private static final java.util.Map<Op, String> NAMES = new java.util.HashMap<>();

    static {
        for (Op op : Op.values()) NAMES.put(op, titleName(op));
    }

    private static String titleName(Op op) {
        StringBuilder sb = new StringBuilder();
        boolean afterLetter = false;
        for (char c : op.name().toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') { afterLetter = false; continue; }
            sb.append(afterLetter ? c : Character.toUpperCase(c));
            afterLetter = Character.isLetter(c);
        }
        return sb.append("Backward0").toString();
    }

    /**
     * Gives the node that just made {@code out} PyTorch's name for the op the caller implements
     * with it (e.g. {@code 2 - x} is a SUB recorded as {@code RsubBackward1}); returns {@code out}.
     */
    public static Tensor rename(Tensor out, String name) {
        Node fn = out.gradFn();
        if (fn != null) fn.rename(name);
        return out;
    }

    /**
     * Records {@code out} as made by a composite op with its own backward formula: {@code backward}
     * gets the gradient of {@code out} and returns one gradient per input (null where none), written
     * with tensor ops so it is differentiable again. Tensors it needs are best captured as
     * {@link #save saved tensors}, which report in-place changes. Call only when
     * {@link #needsRecording} holds.
     */
    public static Tensor record(String name, Tensor out, Tensor[] inputs, java.util.function.Function<Tensor, Tensor[]> backward) {
        FunctionNode node = new FunctionNode(name, edges(inputs), inputs, 1, false, gs -> backward.apply(gs[0]), false, null);
        out.autogradMeta().setGradFn(node, 0);
        return out;
    }

    /** Keeps {@code t} for a backward formula, remembering its version (for {@link #record(String, Tensor, Tensor[], java.util.function.Function)}). */
    public static SavedTensor save(Tensor t) { return new SavedTensor(t, false); }

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
        Tensor[] flatIndex = {index};
        record("CopySlices", base, new Tensor[]{base, region}, g -> {
            Tensor flat = g.reshape(-1);
            Tensor zero = dev.jtorch.Torch.zeros(new long[0], g.dtype(), g.device());
            return new Tensor[]{flat.indexPut(flatIndex, zero, false).reshape(baseShape), flat.index(flatIndex).reshape(viewShape)};
        });
        record("AsStridedBackward0", view, new Tensor[]{base}, g -> {
            Tensor z = dev.jtorch.Torch.zeros(new long[]{numel}, g.dtype(), g.device());
            return new Tensor[]{z.indexPut(flatIndex, g.reshape(-1), true).reshape(baseShape)};
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
