package dev.jtorch.backend;

/**
 * A generator's state as its device's kernels draw from it: a CPU generator's Mersenne Twister with its cached
 * normals, a CUDA device's Philox seed and offset. {@code dev.jtorch.Generator} holds one and hands it to
 * {@link Backend#sample}. Thread-safe: draws and state changes hold the engine's lock, like PyTorch's generator mutex.
 */
public interface RandomEngine {
    /** Like {@code Generator.manual_seed(seed)}: reseeds and forgets any cached draw. */
    RandomEngine manualSeed(long seed);

    /** Like {@code Generator.initial_seed()}: the last seed (an unsigned 64-bit value held in a long). */
    long initialSeed();

    /** Like {@code Generator.seed()}: reseeds from a non-deterministic source and returns that seed. */
    long seed();

    /** Like {@code Generator.get_state()}: the bytes of PyTorch's own state layout for this device. */
    byte[] getState();

    /** Like {@code Generator.set_state(state)}: accepts what {@link #getState()} (or PyTorch) produced. */
    RandomEngine setState(byte[] state);

    /**
     * Which PyTorch release and which CPU kernels to reproduce where their draws differ (the CPU's
     * {@code Generator.compat} and {@code cpuCapability} settings); engines whose draws do not depend on them ignore it.
     */
    default void reproduce(boolean pytorch113, boolean avxKernels) {}
}
