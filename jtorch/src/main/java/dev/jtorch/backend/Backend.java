package dev.jtorch.backend;

import dev.jtorch.DType;
import dev.jtorch.Device;

/**
 * A device's implementation of the primitive ops. The dispatcher checks shapes and dtypes,
 * promotes, broadcasts and allocates before calling {@link #execute}, so a backend only computes.
 */
public interface Backend {
    Device device();

    /** A new zero-filled buffer. */
    Storage allocate(DType dtype, long numel);

    /**
     * Runs one typed kernel call. Its views are on this backend's device, except that a 0-dim CPU input
     * may stand for a scalar.
     */
    void execute(Kernel kernel);

    /** Copies a contiguous host storage's elements into {@code dst}, a view on this device. */
    void copyFromHost(ArrayStorage src, Strided dst);

    /** Copies {@code src}, a view on this device, into a new contiguous host storage. */
    ArrayStorage copyToHost(Strided src);

    /**
     * Page-locked host memory for {@code numel} elements of {@code dtype} (contents undefined) that this device's
     * copy engines reach directly: the storage of a pinned CPU tensor. A device without it throws.
     */
    default Storage allocatePinned(DType dtype, long numel) {
        throw new UnsupportedOperationException(device() + " has no pinned host memory");
    }

    /**
     * Copies {@code src}, a view of pinned host memory ({@link #allocatePinned}) of {@code dst}'s dtype and shape, into
     * {@code dst}, a view on this device. With {@code nonBlocking} the copy is only queued: the caller waits for the
     * device before writing {@code src} again.
     */
    default void copyFromPinned(Strided src, Strided dst, boolean nonBlocking) {
        throw new UnsupportedOperationException(device() + " has no pinned host memory");
    }

    /**
     * Copies {@code src}, a view on this device, into {@code dst}, a contiguous view of pinned host memory of the same
     * dtype and shape. With {@code nonBlocking} the copy is only queued: {@code dst} holds the values once the device
     * has passed this point.
     */
    default void copyToPinned(Strided src, Strided dst, boolean nonBlocking) {
        throw new UnsupportedOperationException(device() + " has no pinned host memory");
    }

    /**
     * The routines behind {@code torch.linalg} for tensors on this device, on float64 host copies; a device without
     * solvers of its own runs the host's (the CPU backend's).
     */
    default Linalg linalg() { return Backends.cpu().linalg(); }

    /** Waits for all queued work on this device. */
    default void synchronize() {}

    /** This device's default generator: {@code torch.default_generator} on the CPU, {@code torch.cuda.default_generators[i]}. */
    RandomEngine defaultGenerator();

    /** A new generator of this device's kind seeded with {@code seed}, like {@code torch.Generator(device)}. */
    default RandomEngine newGenerator(long seed) {
        throw new UnsupportedOperationException("no generators of their own for " + device() + " beyond its default one");
    }

    /**
     * Fills {@code out} (contiguous, on this device) with {@code s} drawn from {@code generator} (one of this
     * backend's), the way PyTorch's kernels for this device draw them.
     */
    void sample(Sample s, Strided out, RandomEngine generator);
}
