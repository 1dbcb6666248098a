package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs the backward graph: counts each node's dependencies, then processes nodes whose inputs
 * are all in, latest-created first, without recursion (a chain of a million ops is fine).
 */
public final class Engine {
    private Engine() {}

    /** Like {@code torch.autograd.backward}: accumulates into the leaves' {@code .grad}. */
    public static void backward(List<Tensor> roots, List<Tensor> grads, boolean retainGraph, boolean createGraph) {
        run(roots, grads, retainGraph, createGraph, null);
    }

    /** Like {@code torch.autograd.grad}: returns the gradients of {@code outputs} with respect to {@code inputs}. */
    public static Tensor[] grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                boolean retainGraph, boolean createGraph, boolean allowUnused) {
        Map<Node, Tensor> captured = new IdentityHashMap<>();
        Node[] targets = new Node[inputs.size()];
        for (int i = 0; i < targets.length; i++) {
            Tensor in = inputs.get(i);
            if (!in.requiresGrad()) throw new IllegalArgumentException("One of the differentiated Tensors does not require grad");
            targets[i] = Graph.edgeOf(in).function();
            captured.put(targets[i], null);
        }
        run(outputs, gradOutputs, retainGraph, createGraph, captured);
        Tensor[] out = new Tensor[targets.length];
        for (int i = 0; i < targets.length; i++) {
            out[i] = captured.get(targets[i]);
            if (out[i] == null && !allowUnused)
                throw new IllegalArgumentException("One of the differentiated Tensors appears to not have been used in the graph. "
                        + "Set allow_unused=True if this is the desired behavior.");
        }
        return out;
    }

    private static void run(List<Tensor> roots, List<Tensor> grads, boolean retainGraph, boolean createGraph,
                            Map<Node, Tensor> capture) {
        Map<Node, Tensor> buffer = new HashMap<>();
        for (int i = 0; i < roots.size(); i++) {
            Tensor root = roots.get(i);
            if (!root.requiresGrad())
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a grad_fn");
            Tensor g = grads == null || grads.get(i) == null ? implicitGrad(root) : grads.get(i);
            if (!java.util.Arrays.equals(g.shape().toArray(), root.shape().toArray()))
                throw new IllegalArgumentException("Mismatch in shape: grad_output[" + i + "] has a shape of " + g.shape()
                        + " and output[" + i + "] has a shape of " + root.shape() + ".");
            Node fn = Graph.edgeOf(root).function();
            buffer.merge(fn, g, Tensor::add);
        }
        Map<Node, Integer> deps = countDependencies(buffer.keySet());
        PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> Long.compare(b.sequenceNr, a.sequenceNr));
        for (Node n : buffer.keySet()) if (deps.getOrDefault(n, 0) == 0) ready.add(n);
        try (var mode = GradMode.set(createGraph)) {
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor g = buffer.remove(node);
                for (var hook : node.preHooks) {
                    Tensor r = hook.apply(g);
                    if (r != null) g = r;
                }
                if (capture != null && capture.containsKey(node)) {
                    capture.put(node, g);
                    if (node instanceof AccumulateGrad) continue;
                }
                if (capture != null && node instanceof AccumulateGrad) continue;
                Tensor[] out = node.apply(g);
                if (!retainGraph) node.release();
                for (int i = 0; i < out.length; i++) {
                    Edge e = node.next[i];
                    if (e == null || e.function() == null) continue;
                    Node nextFn = e.function();
                    if (out[i] != null) buffer.merge(nextFn, out[i], Tensor::add);
                    int left = deps.merge(nextFn, -1, Integer::sum);
                    if (left == 0) {
                        if (buffer.containsKey(nextFn)) ready.add(nextFn);
                        else propagateNothing(nextFn, deps, buffer, ready);
                    }
                }
            }
        }
    }

    /** A node all of whose incoming gradients were undefined runs nothing but still releases its dependants. */
    private static void propagateNothing(Node start, Map<Node, Integer> deps, Map<Node, Tensor> buffer, PriorityQueue<Node> ready) {
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(start);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Edge e : n.next) {
                if (e == null || e.function() == null) continue;
                int left = deps.merge(e.function(), -1, Integer::sum);
                if (left == 0) {
                    if (buffer.containsKey(e.function())) ready.add(e.function());
                    else stack.push(e.function());
                }
            }
        }
    }

    private static Tensor implicitGrad(Tensor root) {
        if (root.numel() != 1) throw new IllegalStateException("grad can be implicitly created only for scalar outputs");
        return dev.jtorch.Torch.onesLike(root);
    }

    private static Map<Node, Integer> countDependencies(Iterable<Node> roots) {
        Map<Node, Integer> deps = new HashMap<>();
        java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Node r : roots) if (seen.add(r)) stack.push(r);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Edge e : n.next) {
                if (e == null || e.function() == null) continue;
                deps.merge(e.function(), 1, Integer::sum);
                if (seen.add(e.function())) stack.push(e.function());
            }
        }
        return deps;
    }
}
