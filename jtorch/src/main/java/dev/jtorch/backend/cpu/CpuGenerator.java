package dev.jtorch.backend.cpu;

import dev.jtorch.backend.RandomEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * The state of one PyTorch CPU generator ({@code at::CPUGeneratorImpl}): the {@link MT19937} twister, the cached
 * second value of a small double normal, and which PyTorch release and kernels {@link CpuRandom} reproduces when it
 * draws from it. {@code dev.jtorch.Generator} holds one; {@link CpuBackend#sample} draws from it.
 *
 * <p>Thread-safe: every method, and every draw of {@link CpuRandom}, holds this object's lock.
 */
final class CpuGenerator implements RandomEngine {
    /** Size in bytes of the state from {@link #getState()}: PyTorch's {@code CPUGeneratorImplState}. */
    static final int STATE_SIZE = 5056;

    private final MT19937 engine;
    boolean hasNextDoubleNormal;
    double nextDoubleNormal;
    private boolean hasNextFloatNormal;
    private float nextFloatNormal;
    /** Reproduce PyTorch 1.13 where it differs from 2.11 (see {@code Generator.Compat}). */
    boolean torch113;
    /** Reproduce the AVX2/AVX512 kernels (FMA contraction, vectorised float normals) instead of DEFAULT's. */
    boolean avx = true;

    CpuGenerator(long seed) {
        engine = new MT19937(seed);
    }

    @Override public synchronized void reproduce(boolean pytorch113, boolean avxKernels) {
        torch113 = pytorch113;
        avx = avxKernels;
    }

    /**
     * {@code torch.Generator.manual_seed}: reseeds and forgets the cached normal. Seeds are 64-bit
     * (negative values stand for their two's-complement, as in PyTorch); only the low 32 bits feed
     * the twister.
     */
    @Override public synchronized CpuGenerator manualSeed(long seed) {
        engine.reseed(seed);
        hasNextDoubleNormal = false;
        hasNextFloatNormal = false;
        return this;
    }

    @Override public synchronized long initialSeed() {
        return engine.seed;
    }

    /** {@code seed()}: reseeds from a non-deterministic 53-bit source and returns that seed. */
    @Override public synchronized long seed() {
        long s = nonDeterministicSeed();
        manualSeed(s);
        return s;
    }

    static long nonDeterministicSeed() {
        // c10::detail::getNonDeterministicRandom: 64 random bits cut to 53 (a double holds them).
        return new SecureRandom().nextLong() & 0x1FFFFFFFFFFFFFL;
    }

    /**
     * The state in PyTorch's own layout ({@code torch.Generator.get_state()}, 5056 little-endian
     * bytes): seed, twister bookkeeping, the 624 words widened to 64 bits, and the cached normals.
     * Bytes taken from PyTorch can be given to {@link #setState(byte[])} and vice versa.
     */
    @Override public synchronized byte[] getState() {
        ByteBuffer b = ByteBuffer.allocate(STATE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, engine.seed);
        b.putInt(8, engine.left);
        b.putInt(12, engine.seeded ? 1 : 0);
        b.putLong(16, engine.next);
        for (int i = 0; i < MT19937.N; i++) {
            b.putLong(24 + 8 * i, Integer.toUnsignedLong(engine.state[i]));
        }
        b.putDouble(5024, hasNextDoubleNormal ? nextDoubleNormal : 0.0);
        b.putInt(5040, hasNextDoubleNormal ? 1 : 0);
        b.putFloat(5048, hasNextFloatNormal ? nextFloatNormal : 0.0f);
        b.put(5052, (byte) (hasNextFloatNormal ? 1 : 0));
        return b.array();
    }

    /** {@code torch.Generator.set_state}: accepts what {@link #getState()} (or PyTorch) produced. */
    @Override public synchronized CpuGenerator setState(byte[] s) {
        if (s == null || s.length != STATE_SIZE) {
            throw new IllegalArgumentException("Expected a CPUGeneratorImplState of size " + STATE_SIZE
                    + " but found the input RNG state size to be " + (s == null ? 0 : s.length));
        }
        ByteBuffer b = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
        MT19937 e = new MT19937(0);
        e.seed = b.getLong(0);
        e.left = b.getInt(8);
        e.seeded = b.getInt(12) != 0;
        long next = b.getLong(16);
        e.next = (next < 0 || next > MT19937.N) ? -1 : (int) next;
        for (int i = 0; i < MT19937.N; i++) {
            e.state[i] = (int) b.getLong(24 + 8 * i);
        }
        if (!e.isValid()) {
            throw new IllegalArgumentException("Invalid mt19937 state");
        }
        System.arraycopy(e.state, 0, engine.state, 0, MT19937.N);
        engine.seed = e.seed;
        engine.left = e.left;
        engine.next = e.next;
        engine.seeded = true;
        hasNextDoubleNormal = b.getInt(5040) != 0;
        nextDoubleNormal = hasNextDoubleNormal ? b.getDouble(5024) : 0.0;
        hasNextFloatNormal = b.get(5052) != 0;
        nextFloatNormal = hasNextFloatNormal ? b.getFloat(5048) : 0.0f;
        return this;
    }

    // ------------------------------------------------------------------ raw draws (callers hold the lock)

    /** {@code random()}: 32 random bits (an unsigned value held in an int). */
    int nextInt() {
        return engine.nextInt();
    }

    /** {@code random64()}: two words, the first one in the high half. */
    long draw64() {
        long hi = Integer.toUnsignedLong(engine.nextInt());
        long lo = Integer.toUnsignedLong(engine.nextInt());
        return (hi << 32) | lo;
    }

    float uniformFloat01() {
        return (engine.nextInt() & 0xFFFFFF) * 0x1p-24f;
    }

    double uniformDouble01() {
        return (draw64() & 0x1FFFFFFFFFFFFFL) * 0x1p-53;
    }

    @Override public synchronized String toString() {
        return "CpuGenerator(seed=" + Long.toUnsignedString(engine.seed) + ")";
    }
}
