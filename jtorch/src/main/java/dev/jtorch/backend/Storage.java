package dev.jtorch.backend;

import dev.jtorch.DType;
import dev.jtorch.Device;

/** A flat buffer of elements of one dtype on one device; tensors are strided views over it. */
public interface Storage {
    Device device();

    DType dtype();

    /** How many elements the buffer holds. */
    long numel();

    /**
     * Gives the buffer back now instead of when it becomes unreachable (a closing {@code TensorScope});
     * any later use fails with an {@link IllegalStateException}. A no-op for heap storages.
     */
    default void release() {}

    /** True for page-locked host memory that an accelerator copies to and from directly ({@code x.pinMemory()}). */
    default boolean isPinned() { return false; }

    /** True once {@link #release()} gave the buffer back. */
    default boolean isReleased() { return false; }
}
