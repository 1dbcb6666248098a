package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The context a custom {@link Function} gets in {@code forward} and again in {@code backward}, like
 * PyTorch's {@code ctx}: tensors saved for backward, in-place outputs ({@link #markDirty}),
 * outputs without gradient, which inputs need a gradient, and any other state ({@link #set}/{@link #get}).
 */
public final class FunctionCtx {
    private final boolean[] needsInputGrad;
    private List<Tensor> toSave = List.of();
    private SavedTensor[] saved;
    private boolean released;
    final Set<Tensor> dirty = Collections.newSetFromMap(new IdentityHashMap<>());
    final Set<Tensor> nonDifferentiable = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Object> state = new HashMap<>();
    boolean materializeGrads = true;

    FunctionCtx(boolean[] needsInputGrad) { this.needsInputGrad = needsInputGrad; }

    /** Keeps tensors for backward, like {@code ctx.save_for_backward(a, b)}; call once, in forward. */
    public void saveForBackward(Tensor... tensors) {
        List<Tensor> l = new ArrayList<>();
        Collections.addAll(l, tensors);
        toSave = l;
    }

    /**
     * The tensors saved in forward, like {@code ctx.saved_tensors}; fails as PyTorch does when one was
     * modified in place since, or when the graph was already freed by a backward pass.
     */
    public Tensor[] savedTensors() {
        if (released) throw new IllegalStateException(SavedTensor.BACKWARD_TWICE);
        if (saved == null) return toSave.toArray(new Tensor[0]);
        Tensor[] out = new Tensor[saved.length];
        for (int i = 0; i < out.length; i++) out[i] = saved[i] == null ? null : saved[i].get();
        return out;
    }

    /** Says forward modified these inputs in place (and returns one of them), like {@code ctx.mark_dirty(x)}. */
    public void markDirty(Tensor... tensors) { Collections.addAll(dirty, tensors); }

    /** Says an output is not differentiable, like {@code ctx.mark_non_differentiable(y)}. */
    public void markNonDifferentiable(Tensor... tensors) { Collections.addAll(nonDifferentiable, tensors); }

    /** Whether input {@code i} needs a gradient, like {@code ctx.needs_input_grad[i]}. */
    public boolean needsInputGrad(int i) { return needsInputGrad[i]; }

    /**
     * Like {@code ctx.set_materialize_grads(value)}: with false, backward gets null instead of zeros for an output whose
     * gradient did not arrive (call it in forward).
     */
    public void setMaterializeGrads(boolean value) { materializeGrads = value; }

    /** Stores any other value for backward, like {@code ctx.k = k}. */
    public void set(String key, Object value) { state.put(key, value); }

    @SuppressWarnings("unchecked")
    public <T> T get(String key) { return (T) state.get(key); }

    /** Turns the tensors given to saveForBackward into version-checked saved tensors, once forward and its outputs are settled. */
    void pack(Tensor[] outputs, Node node) {
        saved = new SavedTensor[toSave.size()];
        for (int i = 0; i < saved.length; i++) {
            Tensor t = toSave.get(i);
            if (t == null) continue;
            boolean isOutput = false;
            for (Tensor o : outputs) if (o == t) isOutput = true;
            saved[i] = new SavedTensor(t, isOutput);
            saved[i].setOwner(node);
        }
        toSave = List.of();
    }

    void release() {
        if (saved == null || saved.length == 0) return;
        released = true;
        for (SavedTensor s : saved) if (s != null) s.release();
        saved = null;
    }
}
