package dev.jtorch.autograd;

/** Whether operations record a graph, per thread, like {@code torch.is_grad_enabled()}. */
public final class GradMode {
    private static final ThreadLocal<boolean[]> enabled = ThreadLocal.withInitial(() -> new boolean[]{true});
    private static final ThreadLocal<boolean[]> inference = ThreadLocal.withInitial(() -> new boolean[]{false});

    private GradMode() {}

    public static boolean isEnabled() { return enabled.get()[0]; }

    public static void setEnabled(boolean on) { enabled.get()[0] = on; }

    public static boolean isInferenceMode() { return inference.get()[0]; }

    /** A scope that restores the previous mode on close; used as try-with-resources. */
    public static final class Guard implements AutoCloseable {
        private final boolean previous, previousInference;
        private boolean closed;

        Guard(boolean on, boolean inferenceOn) {
            previous = isEnabled();
            previousInference = isInferenceMode();
            setEnabled(on);
            inference.get()[0] = inferenceOn;
        }

        @Override public void close() {
            if (closed) return;
            closed = true;
            setEnabled(previous);
            inference.get()[0] = previousInference;
        }
    }

    /** Sets grad mode for a scope, like {@code torch.set_grad_enabled(mode)} used as a context manager. */
    public static Guard set(boolean on) { return new Guard(on, isInferenceMode()); }

    /** Disables grad recording and marks tensors made in the scope as inference tensors. */
    public static Guard inference(boolean on) { return new Guard(on ? false : isEnabled(), on); }
}
