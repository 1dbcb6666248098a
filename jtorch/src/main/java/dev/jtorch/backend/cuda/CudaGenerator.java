package dev.jtorch.backend.cuda;

import dev.jtorch.backend.RandomEngine;
import java.security.SecureRandom;

/**
 * The default random number generator of one CUDA device, like {@code torch.cuda.default_generators[i]}:
 * a 64-bit seed and a Philox offset (see {@link Philox}). Every kernel that draws takes the current
 * offset and moves it on by what it uses, so consecutive draws differ and a seed replays them all.
 * The state is plain Java and exists without a GPU, so seeding never initialises CUDA.
 *
 * <p>Thread-safe (synchronized, like PyTorch's generator mutex).
 */
public final class CudaGenerator implements RandomEngine {
    /** The seed a generator starts with: PyTorch's {@code default_rng_seed_val}. */
    public static final long DEFAULT_SEED = 67280421310721L;

    /** Bytes of {@link #getState()}: the seed then the offset, little-endian, like PyTorch's CUDA generator state. */
    public static final int STATE_SIZE = 16;

    private final int device;
    private long seed, offset;

    CudaGenerator(int device, long seed) {
        this.device = device;
        this.seed = seed;
    }

    /** The device index this generator draws for. */
    public int device() { return device; }

    /** Like {@code Generator.manual_seed(seed)}: sets the seed and rewinds the offset to 0. */
    @Override public synchronized CudaGenerator manualSeed(long seed) {
        this.seed = seed;
        this.offset = 0;
        return this;
    }

    /** Like {@code Generator.initial_seed()}: the seed (unsigned 64 bits held in a long). */
    @Override public synchronized long initialSeed() { return seed; }

    /** Like {@code Generator.seed()}: seeds from a non-deterministic source and returns the seed. */
    @Override public synchronized long seed() {
        manualSeed(new SecureRandom().nextLong());
        return seed;
    }

    /** The Philox offset the next kernel will start from, like {@code Generator.get_offset()}. */
    public synchronized long offset() { return offset; }

    /** Like {@code Generator.set_offset(offset)}; a multiple of 4. */
    public synchronized CudaGenerator setOffset(long offset) {
        if (offset % 4 != 0) throw new IllegalArgumentException("offset must be a multiple of 4");
        this.offset = offset;
        return this;
    }

    /** Like {@code Generator.get_state()}: 16 bytes, the seed then the offset (little-endian). */
    @Override public synchronized byte[] getState() {
        byte[] s = new byte[STATE_SIZE];
        for (int i = 0; i < 8; i++) {
            s[i] = (byte) (seed >>> (8 * i));
            s[8 + i] = (byte) (offset >>> (8 * i));
        }
        return s;
    }

    /** Like {@code Generator.set_state(state)}. */
    @Override public synchronized CudaGenerator setState(byte[] state) {
        if (state.length != STATE_SIZE) throw new IllegalArgumentException("RNG state is wrong size");
        long s = 0, o = 0;
        for (int i = 0; i < 8; i++) {
            s |= (state[i] & 0xffL) << (8 * i);
            o |= (state[8 + i] & 0xffL) << (8 * i);
        }
        if (o % 4 != 0) throw new IllegalArgumentException("offset must be a multiple of 4");
        seed = s;
        offset = o;
        return this;
    }

    /**
     * Reserves {@code increment} words per thread (rounded up to a multiple of 4) for one kernel: returns
     * {seed, the offset that kernel starts at} and moves the offset on, like PyTorch's
     * {@code philox_cuda_state(increment)}.
     */
    synchronized long[] reserve(long increment) {
        long inc = (increment + 3) / 4 * 4;
        long start = offset;
        offset += inc;
        return new long[]{seed, start};
    }

    @Override public synchronized String toString() { return "CudaGenerator(cuda:" + device + ", seed=" + Long.toUnsignedString(seed) + ", offset=" + offset + ")"; }
}
