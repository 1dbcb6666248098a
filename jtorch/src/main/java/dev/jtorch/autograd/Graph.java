package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import dev.jtorch.ops.Op;

/** Records primitive ops into the backward graph. jtorch internals: called by the dispatcher. */
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
        AutogradMeta m = t.autogradMeta();
        if (m.gradFn != null) return new Edge(m.gradFn, m.outputNr);
        if (m.requiresGrad) return new Edge(accumulator(t), 0);
        return new Edge(null, 0);
    }

    static synchronized AccumulateGrad accumulator(Tensor leaf) {
        AutogradMeta m = leaf.autogradMeta();
        if (m.accumulator == null) m.accumulator = new AccumulateGrad(leaf);
        return m.accumulator;
    }

    /** Makes {@code out} the output of a new node for {@code op}; {@code name} overrides the default {@code OpBackward0}. */
    public static void record(Op op, String name, Tensor out, Tensor[] inputs, Object... args) {
        Edge[] next = new Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) next[i] = edgeOf(inputs[i]);
        OpNode node = new OpNode(op, name != null ? name : defaultName(op), out, inputs, args, next);
        out.autogradMeta().setGradFn(node, 0);
    }

    /** PyTorch's node name for an op: {@code MUL} → {@code MulBackward0}. */
    public static String defaultName(Op op) {
        StringBuilder sb = new StringBuilder();
        for (String part : op.name().split("_")) sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        return sb.append("Backward0").toString();
    }
}
