package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.UnaryOperator;

/**
 * Runs the backward graph like PyTorch's engine: counts each node's dependencies, then runs the
 * nodes whose incoming gradients are all in (leaf accumulators first, then the latest-created),
 * summing gradients that meet. Everything is iterative: a chain of a million ops is fine. Unless
 * the graph is retained, each node frees its saved tensors as soon as it has run.
 */
public final class Engine {
    private Engine() {}

    /** The retain_graph of the pass running on this thread, for composite nodes that run their inner graph. */
    private static final ThreadLocal<boolean[]> retaining = ThreadLocal.withInitial(() -> new boolean[1]);

    private static final Comparator<Node> ORDER = (a, b) -> {
        boolean la = a instanceof AccumulateGrad, lb = b instanceof AccumulateGrad;
        if (la != lb) return la ? -1 : 1;
        return Long.compare(b.sequenceNr, a.sequenceNr);
    };

    /** Like {@code torch.autograd.backward}: accumulates into the leaves' {@code .grad}. */
    public static void backward(List<Tensor> roots, List<Tensor> grads, boolean retainGraph, boolean createGraph) {
        RootSet r = roots(roots, grads);
        execute(r.edges, r.grads, retainGraph, createGraph, null, false);
    }

    /** Like {@code torch.autograd.grad}: returns the gradients of {@code outputs} with respect to {@code inputs}. */
    public static Tensor[] grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                boolean retainGraph, boolean createGraph, boolean allowUnused) {
        Edge[] targets = new Edge[inputs.size()];
        for (int i = 0; i < targets.length; i++) {
            Tensor in = inputs.get(i);
            if (!in.requiresGrad()) throw new IllegalArgumentException("One of the differentiated Tensors does not require grad");
            targets[i] = Graph.edgeOf(in);
        }
        RootSet r = roots(outputs, gradOutputs);
        Tensor[] out = execute(r.edges, r.grads, retainGraph, createGraph, targets, false);
        for (int i = 0; i < out.length; i++)
            if (out[i] == null && !allowUnused)
                throw new IllegalArgumentException("One of the differentiated Tensors appears to not have been used in the graph. "
                        + "Set allow_unused=True if this is the desired behavior.");
        return out;
    }

    /** A composite node's backward: runs its inner graph from {@code root}, stopping at the identities that stand for its inputs. */
    static Tensor[] runInner(Edge root, Tensor g, IdentityNode[] identities, boolean createGraph) {
        Edge[] stops = new Edge[identities.length];
        for (int i = 0; i < stops.length; i++) stops[i] = identities[i] == null ? Edge.NONE : new Edge(identities[i], 0);
        return execute(new Edge[]{root}, new Tensor[]{g}, retaining.get()[0], createGraph, stops, true);
    }

    private record RootSet(Edge[] edges, Tensor[] grads) {}

    private static RootSet roots(List<Tensor> roots, List<Tensor> grads) {
        if (grads != null && grads.size() != roots.size())
            throw new IllegalArgumentException("got " + roots.size() + " tensors and " + Math.min(grads.size(), roots.size()) + " gradients");
        Edge[] edges = new Edge[roots.size()];
        Tensor[] gs = new Tensor[roots.size()];
        for (int i = 0; i < edges.length; i++) {
            Tensor root = roots.get(i);
            if (!root.requiresGrad())
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a grad_fn");
            Tensor g = grads == null ? null : grads.get(i);
            if (g == null) {
                if (root.numel() != 1) throw new IllegalStateException("grad can be implicitly created only for scalar outputs");
                g = dev.jtorch.Torch.onesLike(root);
            } else if (!Arrays.equals(g.shape().toArray(), root.shape().toArray())) {
                throw new IllegalArgumentException("Mismatch in shape: grad_output[" + i + "] has a shape of " + g.shape()
                        + " and output[" + i + "] has a shape of " + root.shape() + ".");
            } else if (g.dtype() != root.dtype() || !g.device().equals(root.device())) {
                // the engine's validate_outputs (engine.cpp) converts a root gradient to its output's dtype and device
                g = g.to(root.device(), root.dtype());
            }
            edges[i] = Graph.edgeOf(root);
            gs[i] = g;
        }
        return new RootSet(edges, gs);
    }

    /** Adds {@code g} into the gradient buffer of {@code node}'s output {@code nr} (one slot per output). */
    private static void accumulate(IdentityHashMap<Node, Tensor[]> buffer, Node node, int nr, Tensor g) {
        Tensor[] slots = buffer.get(node);
        if (slots == null) buffer.put(node, slots = new Tensor[node.numOutputs()]);
        slots[nr] = slots[nr] == null ? g : slots[nr].add(g);
    }

    /**
     * The engine. With {@code captures}, runs only what leads to them, returns the gradient arriving
     * at each (after tensor hooks) and accumulates into no leaf; with {@code stopAtCaptures} it does
     * not even look past them.
     */
    private static Tensor[] execute(Edge[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph,
                                    Edge[] captures, boolean stopAtCaptures) {
        IdentityHashMap<Node, Tensor[]> buffer = new IdentityHashMap<>();
        for (int i = 0; i < roots.length; i++) {
            if (roots[i].function() == null) continue;
            accumulate(buffer, roots[i].function(), roots[i].inputNr(), rootGrads[i]);
        }
        IdentityHashMap<Node, int[]> captureIdx = null;
        Tensor[] captured = null;
        if (captures != null) {
            captureIdx = new IdentityHashMap<>();
            captured = new Tensor[captures.length];
            for (int i = 0; i < captures.length; i++) {
                Node c = captures[i].function();
                if (c == null) continue;
                int[] prev = captureIdx.get(c);
                int[] now = prev == null ? new int[]{i} : Arrays.copyOf(prev, prev.length + 1);
                now[now.length - 1] = i;
                captureIdx.put(c, now);
            }
        }
        final IdentityHashMap<Node, int[]> cap = captureIdx;

        // dependencies: how many edges of the graph reachable from the roots point at each node
        IdentityHashMap<Node, int[]> deps = new IdentityHashMap<>();
        List<Node> discovered = new ArrayList<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Node r : buffer.keySet()) {
            if (deps.containsKey(r)) continue;
            deps.put(r, new int[1]);
            discovered.add(r);
            stack.push(r);
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (stopAtCaptures && cap.containsKey(n)) continue;
            for (Edge e : n.next) {
                Node f = e.function();
                if (f == null) continue;
                int[] d = deps.get(f);
                if (d == null) {
                    deps.put(f, d = new int[1]);
                    discovered.add(f);
                    stack.push(f);
                }
                d[0]++;
            }
        }

        // with captures: which nodes lead to one (everything else is left alone)
        IdentityHashMap<Node, Boolean> reaches = cap == null ? null : reaching(discovered, deps, cap, stopAtCaptures);

        PriorityQueue<Node> ready = new PriorityQueue<>(ORDER);
        for (Node r : buffer.keySet()) if (deps.get(r)[0] == 0) ready.add(r);
        boolean[] retain = retaining.get();
        boolean previousRetain = retain[0];
        retain[0] = retainGraph;
        try (var mode = GradMode.set(createGraph)) {
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor[] gs = buffer.remove(node);
                boolean isCapture = cap != null && cap.containsKey(node);
                Tensor[] out = null;
                boolean anyGrad = gs != null && anyDefined(gs);
                if ((anyGrad || node.runsWithoutGradient()) && (reaches == null || reaches.getOrDefault(node, false))) {
                    if (gs == null) gs = new Tensor[node.numOutputs()];
                    runTensorHooks(node, gs);
                    if (isCapture) for (int i : cap.get(node)) captured[i] = gs[captures[i].inputNr()];
                    boolean execute = !(cap != null && node instanceof AccumulateGrad) && !(stopAtCaptures && isCapture)
                            && (reaches == null || leadsOn(node, reaches));
                    if (execute) {
                        out = node.applyAll(gs);
                        if (!retainGraph) node.release();
                    }
                }
                if (stopAtCaptures && isCapture) continue;
                Edge[] next = node.next;
                for (int i = 0; i < next.length; i++) {
                    Node child = next[i].function();
                    if (child == null) continue;
                    if (out != null && i < out.length && out[i] != null && (reaches == null || reaches.getOrDefault(child, false)))
                        accumulate(buffer, child, next[i].inputNr(), out[i]);
                    int[] d = deps.get(child);
                    if (--d[0] == 0) ready.add(child);
                }
            }
        } finally {
            retain[0] = previousRetain;
        }
        return captured;
    }

    private static boolean anyDefined(Tensor[] gs) {
        for (Tensor g : gs) if (g != null) return true;
        return false;
    }

    /** Whether any child of {@code node} leads to a capture (so running it is worth it). */
    private static boolean leadsOn(Node node, IdentityHashMap<Node, Boolean> reaches) {
        for (Edge e : node.next) if (e.function() != null && reaches.getOrDefault(e.function(), false)) return true;
        return false;
    }

    /** For each discovered node, whether it is a capture or leads to one: children before parents, by Kahn's order. */
    private static IdentityHashMap<Node, Boolean> reaching(List<Node> discovered, IdentityHashMap<Node, int[]> deps,
                                                          Map<Node, int[]> cap, boolean stopAtCaptures) {
        IdentityHashMap<Node, int[]> indegree = new IdentityHashMap<>();
        for (Node n : discovered) indegree.put(n, new int[]{deps.get(n)[0]});
        ArrayDeque<Node> queue = new ArrayDeque<>();
        for (Node n : discovered) if (indegree.get(n)[0] == 0) queue.add(n);
        List<Node> topo = new ArrayList<>(discovered.size());
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            topo.add(n);
            if (stopAtCaptures && cap.containsKey(n)) continue;
            for (Edge e : n.next) {
                Node f = e.function();
                if (f != null && --indegree.get(f)[0] == 0) queue.add(f);
            }
        }
        IdentityHashMap<Node, Boolean> reaches = new IdentityHashMap<>();
        for (int k = topo.size() - 1; k >= 0; k--) {
            Node n = topo.get(k);
            boolean r = cap.containsKey(n);
            if (!r && !(stopAtCaptures && cap.containsKey(n)))
                for (Edge e : n.next) if (e.function() != null && reaches.getOrDefault(e.function(), false)) { r = true; break; }
            reaches.put(n, r);
        }
        return reaches;
    }

    /**
     * Runs the tensor hooks on the gradients in place (a leaf's own hooks for its accumulator), then retain_grad's;
     * like PyTorch, a hook on an output that got no gradient sees null, retain_grad skips it.
     */
    private static void runTensorHooks(Node node, Tensor[] gs) {
        if (node instanceof AccumulateGrad acc) {
            for (UnaryOperator<Tensor> h : acc.variable.autogradMeta().hooks()) {
                Tensor r = h.apply(gs[0]);
                if (r != null) gs[0] = r;
            }
            return;
        }
        for (Node.PreHook h : node.preHooks()) {
            Tensor r = h.hook().apply(gs[h.outputNr()]);
            if (r != null) gs[h.outputNr()] = r;
        }
        for (Node.PreHook h : node.retainGradHooks()) if (gs[h.outputNr()] != null) h.hook().apply(gs[h.outputNr()]);
    }
}
