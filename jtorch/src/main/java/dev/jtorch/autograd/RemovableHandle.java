package dev.jtorch.autograd;

/** What registering a hook returns, like PyTorch's {@code RemovableHandle}: {@code remove()} unregisters it. */
@FunctionalInterface
public interface RemovableHandle extends AutoCloseable {
    void remove();

    /** Same as {@link #remove()}, so a handle can scope a hook in try-with-resources. */
    @Override default void close() { remove(); }
}
