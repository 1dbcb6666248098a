package dev.jtorch;

import dev.jtorch.backend.Storage;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Frees device memory deterministically: GPU storages allocated on this thread while the scope is open
 * are given back to the allocator when it closes, instead of when the GC notices they are unreachable.
 * Use it as try-with-resources around a unit of work, a training step for instance:
 *
 * <pre>{@code
 * for (var batch : loader) {
 *     try (var scope = Torch.scope()) {
 *         Tensor loss = model.forward(batch.x().cuda()).sub(batch.y().cuda()).pow(2).mean();
 *         loss.backward();
 *         step(params);
 *         losses.add(scope.keep(loss.detach()));   // survives the scope
 *     }
 * }
 * }</pre>
 *
 * <ul>
 * <li>{@link #keep(Tensor)} takes a tensor's storage out of the scope that holds it and hands it to the
 *     enclosing scope, or to the GC when there is none. Views share their base's storage, so keeping
 *     one keeps the other. {@link #escape(Tensor)} takes a tensor out of every scope (the GC frees it);
 *     gradients accumulated into leaves ({@code x.grad()}) escape automatically.</li>
 * <li>Using a tensor whose storage was freed throws an {@link IllegalStateException} that says so; no
 *     kernel ever runs on freed memory. State that outlives the scope (parameters, optimizer state,
 *     running statistics) must be made outside it or kept.</li>
 * <li>CPU tensors in Java arrays are not affected (the GC manages heap arrays); CPU tensors too large for an array
 *     live in native memory and are freed like GPU ones. Scopes are per thread; tensors made on
 *     other threads are not recorded. Close scopes in reverse order of opening, on the thread that
 *     opened them (try-with-resources does).</li>
 * <li>Without scopes nothing changes: storages are freed when unreachable, and the allocator asks for a
 *     collection every so often, so a long loop does not grow device memory.</li>
 * </ul>
 *
 * The scope holds its storages weakly: a tensor that becomes unreachable inside a long scope is still
 * freed by the GC before the scope closes.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();
    /** Open scopes on all threads: allocation skips the thread-local lookup while there are none. */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final TensorScope parent;
    private final Thread owner;
    /** Storages recorded here, held weakly (identity: storages do not override equals). */
    private final Map<Storage, Boolean> storages = new WeakHashMap<>();
    private boolean closed;

    TensorScope() {
        owner = Thread.currentThread();
        parent = CURRENT.get();
        CURRENT.set(this);
        OPEN.incrementAndGet();
    }

    /** The innermost open scope of the calling thread, or null. */
    public static TensorScope current() { return OPEN.get() == 0 ? null : CURRENT.get(); }

    /** Records a freshly allocated device storage in the calling thread's innermost scope (the dispatcher calls this). */
    static void record(Storage s) {
        if (OPEN.get() == 0) return;
        TensorScope scope = CURRENT.get();
        if (scope != null) scope.storages.put(s, Boolean.TRUE);
    }

    /**
     * Keeps {@code t} alive past the scope that holds its storage (the one it was made in, or the one a
     * keep handed it to): the enclosing scope takes it over, or the GC when there is none. Returns
     * {@code t}, so {@code return TensorScope.keep(result);} hands a result to the caller. Acts on the
     * calling thread's scopes; a tensor no scope holds (CPU tensors among them) is returned as is.
     */
    public static Tensor keep(Tensor t) {
        if (t == null || OPEN.get() == 0) return t;
        Storage s = t.storage;
        for (TensorScope sc = CURRENT.get(); sc != null; sc = sc.parent) {
            if (sc.storages.remove(s) != null) {
                if (sc.parent != null) sc.parent.storages.put(s, Boolean.TRUE);
                break;
            }
        }
        return t;
    }

    /**
     * Takes {@code t} out of every open scope of the calling thread: only the GC frees it. For state that
     * lives across iterations (gradients accumulated into leaves escape this way); returns {@code t}.
     */
    public static Tensor escape(Tensor t) {
        if (t == null || OPEN.get() == 0) return t;
        for (TensorScope sc = CURRENT.get(); sc != null; sc = sc.parent) sc.storages.remove(t.storage);
        return t;
    }

    /** {@link #keep(Tensor)} for each tensor; returns the list. */
    public static List<Tensor> keep(List<Tensor> ts) {
        for (Tensor t : ts) keep(t);
        return ts;
    }

    /** How many storages this scope would free if it closed now. */
    public int size() { return storages.size(); }

    public boolean isOpen() { return !closed; }

    /** Frees the storages this scope holds; tensors on them refuse any later use. */
    @Override public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) throw new IllegalStateException("a TensorScope must be closed on the thread that opened it");
        if (CURRENT.get() != this) throw new IllegalStateException("TensorScopes must be closed in the reverse order of opening");
        closed = true;
        CURRENT.set(parent);
        OPEN.decrementAndGet();
        Storage[] held = storages.keySet().toArray(new Storage[0]);
        storages.clear();
        for (Storage s : held) s.release();
    }

    @Override public String toString() { return "TensorScope(" + (closed ? "closed" : storages.size() + " device storages") + ")"; }
}
