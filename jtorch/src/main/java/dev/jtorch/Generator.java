package dev.jtorch;

import dev.jtorch.backend.Backends;
import dev.jtorch.backend.RandomEngine;
import dev.jtorch.backend.Sample;
import java.util.Locale;

/**
 * A random number generator that reproduces PyTorch's CPU generator bit for bit: the same seed
 * gives the same {@code rand}, {@code randn}, {@code randint}, {@code randperm}, {@code uniform_},
 * {@code normal_} and {@code bernoulli} numbers as {@code torch.Generator()} on the CPU.
 *
 * <p>This class is the user's handle: seed, state and the release/machine settings below. The engine state it
 * holds is the CPU backend's ({@link Backends#cpu()}), whose kernels draw the numbers (how they draw is described
 * in {@code backend/cpu/CpuRandom.java}).
 *
 * <h2>Versions and machines</h2>
 * The reference is PyTorch 2.11 on x86-64 Linux ({@link Compat#TORCH_2_11}, the default);
 * {@link Compat#TORCH_1_13} reproduces 1.13. Some results also depend on the kernels PyTorch picked
 * for the CPU ({@link CpuCapability}): with AVX2/AVX512 kernels the compiler fuses {@code a*b+c}
 * into FMAs and float32 normals use the vectorised Cephes math; the {@code DEFAULT} kernels do
 * neither. The capability comes from {@code ATEN_CPU_CAPABILITY} (as in PyTorch), else the system
 * property {@code jtorch.cpu.capability}, else AVX2 on x86-64 and DEFAULT elsewhere.
 *
 * <p>Differences between PyTorch 1.13 and 2.11 that matter here:
 * <ul>
 * <li>randint: 1.13 draws a {@code random64()} only when the range is at least 2^32 and the dtype
 *     is int64/float32/float64/bfloat16; 2.11 draws one whenever the range is at least 2^28, for
 *     every dtype (a 2025 change against modulo bias), so ranges in [2^28, 2^32) give different
 *     numbers. Both narrow the bounds of float dtypes first so that they survive the cast.</li>
 * <li>small normals: 1.13 computes {@code log(1 - u)}, 2.11 {@code log1p(-u)}; the math is the same
 *     but the libm results differ in the last bit now and then (visible in float64).</li>
 * <li>float16 normals of 16+ elements: 2.11 rounds every intermediate ({@code log}, {@code sqrt},
 *     {@code cos}, products) to float16, 1.13 kept them in float; bfloat16 rounds in both.</li>
 * <li>bernoulli on float16 tensors exists only in 2.x.</li>
 * <li>randperm: for n &gt;= 2^32/20 2.x switches to an inside-out shuffle with {@code random64()};
 *     1.13 always used {@code random() % (n - i)}. Smaller n are identical.</li>
 * </ul>
 * Not reproduced: builds that take {@code bernoulli_(p)} from MKL (Meta's internal builds; 1.x
 * wheels on Intel CPUs), and the float16/bfloat16 changes after 2.11 (PyTorch 2.13 computes
 * {@code uniform_} and {@code normal_} for them in float and rounds once). Non-x86 machines
 * (aarch64 with its own FMA contraction, macOS's libm) are unverified.
 *
 * <p>All methods are thread-safe (draws and state changes hold the engine's lock, like PyTorch's generator mutex).
 */
public final class Generator {

    /** The seed of a new {@code torch.Generator()}: {@code default_rng_seed_val}. */
    public static final long DEFAULT_SEED = 67280421310721L;

    /** Size in bytes of the state from {@link #getState()}: PyTorch's {@code CPUGeneratorImplState}. */
    public static final int STATE_SIZE = 5056;

    /** Which PyTorch release to reproduce where releases differ (see the class comment). */
    public enum Compat { TORCH_1_13, TORCH_2_11 }

    /**
     * The kernel flavour PyTorch dispatched to ({@code torch.backends.cpu.get_cpu_capability()}).
     * For the random kernels AVX512 behaves exactly like AVX2: FMA contraction and the vectorised float normals.
     */
    public enum CpuCapability { DEFAULT, AVX2, AVX512 }

    private static volatile CpuCapability defaultCapability = detectCapability();
    private static final Generator DEFAULT_GENERATOR = new Generator(Backends.cpu().defaultGenerator());

    private final RandomEngine engine;
    private Compat compat = Compat.TORCH_2_11;
    private CpuCapability capability = defaultCapability;

    /** A generator seeded like {@code torch.Generator()}: with {@link #DEFAULT_SEED}. */
    public Generator() {
        this(Backends.cpu().newGenerator(DEFAULT_SEED));
    }

    private Generator(RandomEngine engine) {
        this.engine = engine;
        engine.reproduce(compat == Compat.TORCH_1_13, capability != CpuCapability.DEFAULT);
    }

    /** The process-wide default CPU generator ({@code torch.default_generator}). */
    public static Generator defaultGenerator() {
        return DEFAULT_GENERATOR;
    }

    /** The state the CPU backend draws from. */
    RandomEngine engine() {
        return engine;
    }

    // ------------------------------------------------------------------ seeding and state

    /**
     * {@code torch.Generator.manual_seed}: reseeds and forgets the cached normal. Seeds are 64-bit
     * (negative values stand for their two's-complement, as in PyTorch); only the low 32 bits feed
     * the twister.
     */
    public Generator manualSeed(long seed) {
        engine.manualSeed(seed);
        return this;
    }

    /** {@code initial_seed()}: the last seed (an unsigned 64-bit value held in a long). */
    public long initialSeed() {
        return engine.initialSeed();
    }

    /** {@code seed()}: reseeds from a non-deterministic 53-bit source and returns that seed. */
    public long seed() {
        return engine.seed();
    }

    /**
     * The state in PyTorch's own layout ({@code torch.Generator.get_state()}, 5056 little-endian
     * bytes): seed, twister bookkeeping, the 624 words widened to 64 bits, and the cached normals.
     * Bytes taken from PyTorch can be given to {@link #setState(byte[])} and vice versa.
     */
    public byte[] getState() {
        return engine.getState();
    }

    /** {@code torch.Generator.set_state}: accepts what {@link #getState()} (or PyTorch) produced. */
    public Generator setState(byte[] s) {
        engine.setState(s);
        return this;
    }

    // ------------------------------------------------------------------ version / machine profile

    /** Reproduce the given PyTorch release where releases differ; returns this. */
    public synchronized Generator compat(Compat c) {
        compat = java.util.Objects.requireNonNull(c);
        engine.reproduce(compat == Compat.TORCH_1_13, capability != CpuCapability.DEFAULT);
        return this;
    }

    public synchronized Compat compat() {
        return compat;
    }

    /** Reproduce the kernels PyTorch uses on a CPU of this capability; returns this. */
    public synchronized Generator cpuCapability(CpuCapability c) {
        capability = java.util.Objects.requireNonNull(c);
        engine.reproduce(compat == Compat.TORCH_1_13, capability != CpuCapability.DEFAULT);
        return this;
    }

    public synchronized CpuCapability cpuCapability() {
        return capability;
    }

    /** The capability new generators start with. */
    public static CpuCapability defaultCpuCapability() {
        return defaultCapability;
    }

    /** Sets the capability new generators (not existing ones) start with. */
    public static void setDefaultCpuCapability(CpuCapability c) {
        defaultCapability = java.util.Objects.requireNonNull(c);
    }

    /** Parses PyTorch's capability names ("default", "avx2", "avx512", "NO AVX", ...). */
    public static CpuCapability parseCpuCapability(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (t.startsWith("avx512")) {
            return CpuCapability.AVX512;
        }
        if (t.startsWith("avx2")) {
            return CpuCapability.AVX2;
        }
        if (t.equals("default") || t.equals("noavx") || t.equals("no")) {
            return CpuCapability.DEFAULT;
        }
        throw new IllegalArgumentException("unknown CPU capability: " + s);
    }

    private static CpuCapability detectCapability() {
        try {
            String env = System.getenv("ATEN_CPU_CAPABILITY");
            if (env != null && !env.isBlank()) {
                return parseCpuCapability(env);
            }
            String prop = System.getProperty("jtorch.cpu.capability");
            if (prop != null && !prop.isBlank()) {
                return parseCpuCapability(prop);
            }
        } catch (RuntimeException ignored) {
            // fall through to the architecture default
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86-64");
        return x86 ? CpuCapability.AVX2 : CpuCapability.DEFAULT;
    }

    // ------------------------------------------------------------------ draws into Java arrays

    /**
     * {@code torch.rand} / {@code Tensor.uniform_(from, to)}: fills {@code out} with what a
     * contiguous tensor of this dtype would hold, each value rounded to the dtype.
     */
    public void uniform(double[] out, DType dtype, double from, double to) {
        Sample s = Sampling.uniform(from, to, dtype);
        System.arraycopy(Sampling.draw(out.length, dtype, this, s).toDoubleArray(), 0, out, 0, out.length);
    }

    /**
     * {@code torch.randn} / {@code Tensor.normal_(mean, std)} for a contiguous tensor of
     * {@code out.length} elements; values rounded to the dtype.
     */
    public void normal(double[] out, DType dtype, double mean, double std) {
        Sample s = Sampling.normal(mean, std, dtype);
        System.arraycopy(Sampling.draw(out.length, dtype, this, s).toDoubleArray(), 0, out, 0, out.length);
    }

    /**
     * {@code torch.randint(from, toExclusive, ..., dtype=dtype)} ({@code random_(from, to)}): each
     * value is {@code from + word % (to - from)}, converted to the dtype (float dtypes round; bool
     * is 0/1; narrower ints wrap like a C cast) and returned as a long.
     */
    public void randomFromTo(long[] out, DType dtype, long from, long toExclusive) {
        Sample s = Sampling.randomFromTo(from, toExclusive, dtype);
        System.arraycopy(Sampling.draw(out.length, dtype, this, s).toLongArray(), 0, out, 0, out.length);
    }

    /** {@code torch.randperm(n, dtype=dtype)}. */
    public long[] randperm(long n, DType dtype) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, got" + n);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("randperm: n too large for a Java array: " + n);
        }
        return Sampling.draw(n, dtype, this, new Sample.Randperm()).toLongArray();
    }

    /**
     * {@code torch.bernoulli(p)} with elementwise probabilities {@code p} of dtype {@code dtype}
     * (the output has that dtype): 1.0 where a uniform draw is below {@code p[i]}, else 0.0.
     */
    public void bernoulli(double[] out, double[] p, DType dtype) {
        if (out.length != p.length) {
            throw new IllegalArgumentException("bernoulli: out has " + out.length + " elements, p has " + p.length);
        }
        Sample s = Sampling.bernoulliTensor(Torch.fromValues(p, new long[]{p.length}, dtype));
        System.arraycopy(Sampling.draw(out.length, dtype, this, s).toDoubleArray(), 0, out, 0, out.length);
    }

    /** {@code Tensor.bernoulli_(p)} with one probability; {@code dtype} is the tensor's dtype. */
    public void bernoulliScalar(double[] out, double p, DType dtype) {
        Sample s = Sampling.bernoulli(p);
        System.arraycopy(Sampling.draw(out.length, dtype, this, s).toDoubleArray(), 0, out, 0, out.length);
    }

    @Override
    public synchronized String toString() {
        return "Generator(seed=" + Long.toUnsignedString(engine.initialSeed()) + ", " + compat + ", " + capability + ")";
    }
}
