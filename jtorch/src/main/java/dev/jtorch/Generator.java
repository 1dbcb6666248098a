package dev.jtorch;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * A random number generator that reproduces PyTorch's CPU generator bit for bit: the same seed
 * gives the same {@code rand}, {@code randn}, {@code randint}, {@code randperm}, {@code uniform_},
 * {@code normal_} and {@code bernoulli} numbers as {@code torch.Generator()} on the CPU.
 *
 * <h2>How PyTorch draws (and so how this class draws)</h2>
 * <ul>
 * <li>Engine: a 32-bit Mersenne Twister ({@link MT19937}); {@code random()} is one 32-bit word,
 *     {@code random64()} is two words, the first one the high half.</li>
 * <li>Uniform reals: float32 keeps the low 24 bits of one word ({@code (w & 0xFFFFFF) * 2^-24}),
 *     float64 the low 53 bits of a {@code random64()}, float16 the low 11 bits and bfloat16 the
 *     low 8 bits of one word; then {@code x * (to - from) + from} in float (double for float64),
 *     rounded to the dtype.</li>
 * <li>Normals, tensors of at least 16 contiguous elements ({@code normal_fill}): first one
 *     uniform per element, then Box-Muller on blocks of 16 where element {@code j} pairs with
 *     {@code j + 8}: {@code radius = sqrt(-2 log(1 - u[j]))}, {@code theta = 2 pi u[j + 8]},
 *     {@code out[j] = radius cos(theta) std + mean}, {@code out[j + 8] = radius sin(theta) std
 *     + mean}. When the size is not a multiple of 16 the last 16 elements are drawn again and
 *     recomputed. float32 on AVX2/AVX512 machines goes through PyTorch's vectorised
 *     {@code log256_ps}/{@code sincos256_ps} (Cephes polynomials in float), reproduced here step
 *     by step; float16/bfloat16 keep every intermediate in the reduced type.</li>
 * <li>Normals, fewer than 16 elements: one double Box-Muller pair per two values from two
 *     {@code random64()} uniforms, the second value cached in the generator (and consumed by the
 *     next small normal of any dtype); {@code manualSeed} clears the cache.</li>
 * <li>{@code randint(low, high)}: {@code (word % range) + low} with a 32-bit word, or a
 *     {@code random64()} for large ranges (see {@link Compat}).</li>
 * <li>{@code randperm(n)}: Fisher-Yates, swapping {@code i} with {@code i + random() % (n - i)}.</li>
 * <li>{@code bernoulli(p)}: {@code uniform < p}, a float uniform for float/half/bfloat16 {@code p},
 *     a double uniform for double {@code p} and for {@code bernoulli_(scalar p)}.</li>
 * </ul>
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
 * <p>Transcendental functions: PyTorch takes {@code log}, {@code log1p}, {@code sin}, {@code cos},
 * {@code logf}, {@code sinf} and {@code cosf} from glibc, whose results are not correctly rounded
 * (about 0.1% of the doubles and 1% of the floats are an ulp away from the correctly rounded
 * value). {@link GlibcDouble} and {@link GlibcFloat} evaluate them the way glibc's x86-64 FMA
 * builds do, so the normals match to the bit; they agree with glibc 2.36 and 2.39 on 1.3 million
 * sampled arguments (and {@link Math}/{@link StrictMath} would not).
 *
 * <p>All methods are thread-safe (synchronized on the generator, like PyTorch's generator mutex).
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
     * For the random kernels AVX512 behaves exactly like AVX2.
     */
    public enum CpuCapability {
        DEFAULT, AVX2, AVX512;

        boolean fusedMultiplyAdd() { return this != DEFAULT; }

        boolean vectorMathFloatNormal() { return this != DEFAULT; }
    }

    private static volatile CpuCapability defaultCapability = detectCapability();
    private static final Generator DEFAULT_GENERATOR = new Generator(nonDeterministicSeed());

    private final MT19937 engine;
    private boolean hasNextDoubleNormal;
    private double nextDoubleNormal;
    private boolean hasNextFloatNormal;
    private float nextFloatNormal;
    private Compat compat = Compat.TORCH_2_11;
    private CpuCapability capability = defaultCapability;

    /** A generator seeded like {@code torch.Generator()}: with {@link #DEFAULT_SEED}. */
    public Generator() {
        this(DEFAULT_SEED);
    }

    private Generator(long seed) {
        engine = new MT19937(seed);
    }

    /** The process-wide default CPU generator ({@code torch.default_generator}). */
    public static Generator defaultGenerator() {
        return DEFAULT_GENERATOR;
    }

    // ------------------------------------------------------------------ seeding and state

    /**
     * {@code torch.Generator.manual_seed}: reseeds and forgets the cached normal. Seeds are 64-bit
     * (negative values stand for their two's-complement, as in PyTorch); only the low 32 bits feed
     * the twister.
     */
    public synchronized Generator manualSeed(long seed) {
        engine.reseed(seed);
        hasNextDoubleNormal = false;
        hasNextFloatNormal = false;
        return this;
    }

    /** {@code initial_seed()}: the last seed (an unsigned 64-bit value held in a long). */
    public synchronized long initialSeed() {
        return engine.seed;
    }

    /** {@code seed()}: reseeds from a non-deterministic 53-bit source and returns that seed. */
    public synchronized long seed() {
        long s = nonDeterministicSeed();
        manualSeed(s);
        return s;
    }

    /**
     * The state in PyTorch's own layout ({@code torch.Generator.get_state()}, 5056 little-endian
     * bytes): seed, twister bookkeeping, the 624 words widened to 64 bits, and the cached normals.
     * Bytes taken from PyTorch can be given to {@link #setState(byte[])} and vice versa.
     */
    public synchronized byte[] getState() {
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
    public synchronized Generator setState(byte[] s) {
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

    // ------------------------------------------------------------------ version / machine profile

    /** Reproduce the given PyTorch release where releases differ; returns this. */
    public synchronized Generator compat(Compat c) {
        compat = java.util.Objects.requireNonNull(c);
        return this;
    }

    public synchronized Compat compat() {
        return compat;
    }

    /** Reproduce the kernels PyTorch uses on a CPU of this capability; returns this. */
    public synchronized Generator cpuCapability(CpuCapability c) {
        capability = java.util.Objects.requireNonNull(c);
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

    private static long nonDeterministicSeed() {
        // c10::detail::getNonDeterministicRandom: 64 random bits cut to 53 (a double holds them).
        return new SecureRandom().nextLong() & 0x1FFFFFFFFFFFFFL;
    }

    // ------------------------------------------------------------------ raw draws

    /** {@code random()}: 32 random bits, unsigned, in the low half of the long. */
    synchronized long random() {
        return Integer.toUnsignedLong(engine.nextInt());
    }

    /** {@code random64()}: two words, the first one in the high half. */
    synchronized long random64() {
        return draw64();
    }

    private long draw64() {
        long hi = Integer.toUnsignedLong(engine.nextInt());
        long lo = Integer.toUnsignedLong(engine.nextInt());
        return (hi << 32) | lo;
    }

    private float uniformFloat01() {
        return (engine.nextInt() & 0xFFFFFF) * 0x1p-24f;
    }

    private double uniformDouble01() {
        return (draw64() & 0x1FFFFFFFFFFFFFL) * 0x1p-53;
    }

    // ------------------------------------------------------------------ rand / uniform_

    /**
     * {@code torch.rand} / {@code Tensor.uniform_(from, to)}: fills {@code out} with what a
     * contiguous tensor of this dtype would hold, each value rounded to the dtype.
     */
    public synchronized void uniform(double[] out, DType dtype, double from, double to) {
        if (!(from <= to)) {
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from="
                    + from + " > to=" + to);
        }
        boolean fma = capability.fusedMultiplyAdd();
        switch (dtype) {
            case float64 -> {
                double range = to - from;
                for (int i = 0; i < out.length; i++) {
                    out[i] = madd(uniformDouble01(), range, from, fma);
                }
            }
            case float32 -> {
                float f = (float) from;
                float range = (float) to - f;
                for (int i = 0; i < out.length; i++) {
                    out[i] = madd(uniformFloat01(), range, f, fma);
                }
            }
            case float16, bfloat16 -> {
                boolean half = dtype == DType.float16;
                int mask = half ? 0x7FF : 0xFF;
                float divisor = half ? 0x1p-11f : 0x1p-8f;
                float f = reduce((float) from, half);
                float range = reduce(reduce((float) to, half) - f, half);
                for (int i = 0; i < out.length; i++) {
                    float x = (engine.nextInt() & mask) * divisor;
                    out[i] = reduce(madd(x, range, f, fma), half);
                }
            }
            default -> throw new IllegalArgumentException("uniform_ is only for floating dtypes, got " + dtype);
        }
    }

    // ------------------------------------------------------------------ randn / normal_

    /**
     * {@code torch.randn} / {@code Tensor.normal_(mean, std)} for a contiguous tensor of
     * {@code out.length} elements; values rounded to the dtype.
     */
    public synchronized void normal(double[] out, DType dtype, double mean, double std) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("normal_ is only for floating dtypes, got " + dtype);
        }
        if (!(std >= 0.0)) {
            throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        }
        int n = out.length;
        if (n < 16) {
            for (int i = 0; i < n; i++) {
                out[i] = roundTo(dtype, scalarNormal(mean, std));
            }
            return;
        }
        switch (dtype) {
            case float64 -> normalFillDouble(out, mean, std);
            case float32 -> {
                float[] buf = new float[n];
                if (capability.vectorMathFloatNormal()) {
                    normalFillFloatVectorised(buf, (float) mean, (float) std);
                } else {
                    normalFillFloat(buf, (float) mean, (float) std);
                }
                for (int i = 0; i < n; i++) {
                    out[i] = buf[i];
                }
            }
            default -> normalFillReduced(out, dtype == DType.float16, mean, std);
        }
    }

    /** {@code at::normal_distribution<double>}: Box-Muller with the second value cached. */
    private double scalarNormal(double mean, double std) {
        double ret;
        if (hasNextDoubleNormal) {
            hasNextDoubleNormal = false;
            ret = nextDoubleNormal;
        } else {
            double u1 = uniformDouble01();
            double u2 = uniformDouble01();
            double lg = compat == Compat.TORCH_1_13 ? GlibcDouble.log(1.0 - u2) : GlibcDouble.log1p(-u2, true);
            double r = Math.sqrt(-2.0 * lg);
            double theta = 2.0 * Math.PI * u1;
            nextDoubleNormal = r * GlibcDouble.sin(theta);
            hasNextDoubleNormal = true;
            ret = r * GlibcDouble.cos(theta);
        }
        return madd(ret, std, mean, capability.fusedMultiplyAdd());
    }

    private static final double TWO_PI = 2.0 * Math.PI; // 2.0f * c10::pi<double>, a double

    private void normalFillDouble(double[] d, double mean, double std) {
        boolean fma = capability.fusedMultiplyAdd();
        int n = d.length;
        for (int i = 0; i < n; i++) {
            d[i] = uniformDouble01();
        }
        for (int i = 0; i + 16 <= n; i += 16) {
            boxMuller16(d, i, mean, std, fma);
        }
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) {
                d[i] = uniformDouble01();
            }
            boxMuller16(d, n - 16, mean, std, fma);
        }
    }

    private static void boxMuller16(double[] d, int o, double mean, double std, boolean fma) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1 - d[o + j];
            double u2 = d[o + j + 8];
            double radius = Math.sqrt(-2 * GlibcDouble.log(u1));
            double theta = TWO_PI * u2;
            d[o + j] = madd(radius * GlibcDouble.cos(theta), std, mean, fma);
            d[o + j + 8] = madd(radius * GlibcDouble.sin(theta), std, mean, fma);
        }
    }

    /** The scalar float {@code normal_fill} of the DEFAULT kernels (glibc logf/cosf/sinf). */
    private void normalFillFloat(float[] d, float mean, float std) {
        boolean fma = capability.fusedMultiplyAdd();
        int n = d.length;
        for (int i = 0; i < n; i++) {
            d[i] = uniformFloat01();
        }
        for (int i = 0; i + 16 <= n; i += 16) {
            boxMuller16(d, i, mean, std, fma);
        }
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) {
                d[i] = uniformFloat01();
            }
            boxMuller16(d, n - 16, mean, std, fma);
        }
    }

    private static void boxMuller16(float[] d, int o, float mean, float std, boolean fma) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1 - d[o + j];
            float u2 = d[o + j + 8];
            float radius = (float) Math.sqrt(-2 * GlibcFloat.logf(u1));
            float theta = (float) (TWO_PI * u2);
            d[o + j] = madd(radius * GlibcFloat.cosf(theta), std, mean, fma);
            d[o + j + 8] = madd(radius * GlibcFloat.sinf(theta), std, mean, fma);
        }
    }

    /** float32 {@code normal_fill} of the AVX2 kernels: {@code normal_fill_16_AVX2}. */
    private void normalFillFloatVectorised(float[] d, float mean, float std) {
        int n = d.length;
        for (int i = 0; i < n; i++) {
            d[i] = uniformFloat01();
        }
        for (int i = 0; i + 16 <= n; i += 16) {
            CephesAvx.boxMuller16(d, i, mean, std);
        }
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) {
                d[i] = uniformFloat01();
            }
            CephesAvx.boxMuller16(d, n - 16, mean, std);
        }
    }

    /**
     * {@code normal_fill} for float16/bfloat16: uniforms of 11/8 bits stored in the dtype, then
     * Box-Muller with the dtype's arithmetic.
     */
    private void normalFillReduced(double[] out, boolean half, double mean, double std) {
        boolean fma = capability.fusedMultiplyAdd();
        // PyTorch 1.13 float16: c10::Half mixes with float, so the math runs in float. Elsewhere the
        // std::log/sqrt/cos overloads for reduced types and the type's own operators round each step.
        boolean roundEachStep = !half || compat != Compat.TORCH_1_13;
        int n = out.length;
        float[] d = new float[n];
        int mask = half ? 0x7FF : 0xFF;
        float divisor = half ? 0x1p-11f : 0x1p-8f;
        for (int i = 0; i < n; i++) {
            d[i] = (engine.nextInt() & mask) * divisor; // exact in the dtype
        }
        float m = reduce((float) mean, half);
        float s = reduce((float) std, half);
        for (int i = 0; i + 16 <= n; i += 16) {
            boxMuller16Reduced(d, i, m, s, half, roundEachStep, fma);
        }
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) {
                d[i] = (engine.nextInt() & mask) * divisor;
            }
            boxMuller16Reduced(d, n - 16, m, s, half, roundEachStep, fma);
        }
        for (int i = 0; i < n; i++) {
            out[i] = d[i];
        }
    }

    private static void boxMuller16Reduced(float[] d, int o, float mean, float std, boolean half,
                                           boolean roundEachStep, boolean fma) {
        for (int j = 0; j < 8; j++) {
            float u1 = reduce(1 - d[o + j], half);
            float u2 = d[o + j + 8];
            float theta = reduce((float) (TWO_PI * u2), half);
            if (roundEachStep) {
                float lg = reduce(GlibcFloat.logf(u1), half);
                float radius = reduce((float) Math.sqrt(reduce(-2 * lg, half)), half);
                float c = reduce(GlibcFloat.cosf(theta), half);
                float sn = reduce(GlibcFloat.sinf(theta), half);
                d[o + j] = reduce(reduce(reduce(radius * c, half) * std, half) + mean, half);
                d[o + j + 8] = reduce(reduce(reduce(radius * sn, half) * std, half) + mean, half);
            } else {
                float radius = reduce((float) Math.sqrt(-2 * GlibcFloat.logf(u1)), half);
                d[o + j] = reduce(madd(radius * GlibcFloat.cosf(theta), std, mean, fma), half);
                d[o + j + 8] = reduce(madd(radius * GlibcFloat.sinf(theta), std, mean, fma), half);
            }
        }
    }

    // ------------------------------------------------------------------ randint

    /**
     * {@code torch.randint(from, toExclusive, ..., dtype=dtype)} ({@code random_(from, to)}): each
     * value is {@code from + word % (to - from)}, converted to the dtype (float dtypes round; bool
     * is 0/1; narrower ints wrap like a C cast) and returned as a long.
     */
    public synchronized void randomFromTo(long[] out, DType dtype, long from, long toExclusive) {
        if (from >= toExclusive) {
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from="
                    + from + " >= to=" + toExclusive);
        }
        if (dtype.isFloatingPoint()) {
            // PyTorch narrows [from, to) so that both ends survive the cast to the float dtype
            int digits = mantissaDigits(dtype);
            from = narrowFrom(from, dtype, digits);
            toExclusive = narrowTo(toExclusive, dtype, digits);
            if (from >= toExclusive) {
                throw new IllegalArgumentException("random_ expects 'from' casted to dtype to be less than 'to'"
                        + " casted to dtype, but got from=" + from + " >= to=" + toExclusive);
            }
        }
        long range = toExclusive - from; // unsigned
        boolean wide;
        if (compat == Compat.TORCH_1_13) {
            boolean wideType = dtype == DType.int64 || dtype == DType.float32 || dtype == DType.float64
                    || dtype == DType.bfloat16;
            wide = wideType && Long.compareUnsigned(range, 1L << 32) >= 0;
        } else {
            wide = Long.compareUnsigned(range, 1L << 28) >= 0;
        }
        for (int i = 0; i < out.length; i++) {
            long word = wide ? draw64() : Integer.toUnsignedLong(engine.nextInt());
            out[i] = castFromInt64(Long.remainderUnsigned(word, range) + from, dtype);
        }
    }

    private static int mantissaDigits(DType dtype) {
        return switch (dtype) {
            case float64 -> 53;
            case float32 -> 24;
            case float16 -> 11;
            case bfloat16 -> 8;
            default -> throw new IllegalArgumentException(dtype.toString());
        };
    }

    /** Moves {@code from} up when {@code from + 1} does not survive the cast to the dtype. */
    private static long narrowFrom(long from, DType dtype, int digits) {
        long fromPlus1 = castFromInt64(from + 1, dtype);
        if (fromPlus1 < from) {
            int n = 63 - Long.numberOfLeadingZeros(Math.abs(from + 1));
            from = fromPlus1 + (1L << (n - digits + 1));
        }
        return from;
    }

    /** Moves {@code to} down when {@code to - 1} would round up to {@code to} or beyond. */
    private static long narrowTo(long to, DType dtype, int digits) {
        long toMinus1 = castFromInt64(to - 1, dtype);
        if (toMinus1 >= to) {
            int n = 63 - Long.numberOfLeadingZeros(Math.abs(to - 1));
            to = toMinus1 - (1L << (n - digits + 1));
        }
        return to;
    }

    private static long castFromInt64(long v, DType dtype) {
        return switch (dtype) {
            case bool -> v != 0 ? 1 : 0;
            case uint8 -> v & 0xFF;
            case int8 -> (byte) v;
            case int16 -> (short) v;
            case int32 -> (int) v;
            case int64 -> v;
            case float64 -> (long) (double) v;
            case float32 -> (long) (float) v;
            case float16 -> (long) reduce((float) v, true);
            case bfloat16 -> (long) reduce((float) v, false);
        };
    }

    // ------------------------------------------------------------------ randperm

    /** {@code torch.randperm(n, dtype=dtype)}. */
    public synchronized long[] randperm(long n, DType dtype) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, got" + n);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("randperm: n too large for a Java array: " + n);
        }
        int len = (int) n;
        long[] r = new long[len];
        if (compat == Compat.TORCH_1_13 || n < 0xFFFFFFFFL / 20) {
            for (int i = 0; i < len; i++) {
                r[i] = i;
            }
            for (int i = 0; i < len - 1; i++) {
                int z = (int) (Integer.toUnsignedLong(engine.nextInt()) % (len - i));
                long t = r[i];
                r[i] = r[z + i];
                r[z + i] = t;
            }
        } else {
            // PyTorch 2.x for huge n: inside-out Fisher-Yates with 64-bit draws
            for (int i = 0; i < len; i++) {
                int z = (int) Long.remainderUnsigned(draw64(), i + 1L);
                r[i] = r[z];
                r[z] = i;
            }
        }
        if (dtype != DType.int64) {
            for (int i = 0; i < len; i++) {
                r[i] = castFromInt64(r[i], dtype);
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ bernoulli

    /**
     * {@code torch.bernoulli(p)} with elementwise probabilities {@code p} of dtype {@code dtype}
     * (the output has that dtype): 1.0 where a uniform draw is below {@code p[i]}, else 0.0.
     */
    public synchronized void bernoulli(double[] out, double[] p, DType dtype) {
        if (out.length != p.length) {
            throw new IllegalArgumentException("bernoulli: out has " + out.length + " elements, p has " + p.length);
        }
        if (dtype == DType.float64) {
            for (int i = 0; i < out.length; i++) {
                out[i] = uniformDouble01() < p[i] ? 1.0 : 0.0;
            }
        } else if (dtype.isFloatingPoint()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = uniformFloat01() < (float) p[i] ? 1.0 : 0.0;
            }
        } else {
            throw new IllegalArgumentException("bernoulli expects floating probabilities, got " + dtype);
        }
    }

    /** {@code Tensor.bernoulli_(p)} with one probability; {@code dtype} is the tensor's dtype. */
    public synchronized void bernoulliScalar(double[] out, double p, DType dtype) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + p);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = uniformDouble01() < p ? 1.0 : 0.0;
        }
    }

    // ------------------------------------------------------------------ rounding helpers

    /** a * b + c the way the PyTorch kernel computes it: one rounding when the compiler fused it. */
    private static double madd(double a, double b, double c, boolean fused) {
        return fused ? Math.fma(a, b, c) : a * b + c;
    }

    private static float madd(float a, float b, float c, boolean fused) {
        return fused ? Math.fma(a, b, c) : a * b + c;
    }

    /** Rounds a float to float16 (half) or bfloat16, round-to-nearest-even, back as a float. */
    static float reduce(float f, boolean half) {
        return half ? Float.float16ToFloat(Float.floatToFloat16(f)) : toBFloat16(f);
    }

    static float toBFloat16(float f) {
        if (Float.isNaN(f)) {
            return Float.intBitsToFloat(0x7FC00000);
        }
        int bits = Float.floatToRawIntBits(f);
        int bias = 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat((bits + bias) & 0xFFFF0000);
    }

    /** A double rounded to the dtype the way C++ casts it (to float first for half/bfloat16). */
    static double roundTo(DType dtype, double v) {
        return switch (dtype) {
            case float64 -> v;
            case float32 -> (float) v;
            case float16 -> reduce((float) v, true);
            case bfloat16 -> reduce((float) v, false);
            default -> throw new IllegalArgumentException("not a floating dtype: " + dtype);
        };
    }

    @Override
    public synchronized String toString() {
        return "Generator(seed=" + Long.toUnsignedString(engine.seed) + ", " + compat + ", " + capability + ")";
    }

    // ================================================================== vectorised Cephes (AVX2)

    /**
     * PyTorch's {@code normal_fill_16_AVX2}: Box-Muller in float with the Cephes-style
     * {@code log256_ps} and {@code sincos256_ps} of {@code avx_mathfun.h}, one lane at a time.
     * GCC contracts the multiply-then-add steps of those routines into FMAs (the kernels are built
     * with {@code -mfma}); the {@code Math.fma} calls below sit exactly where it does.
     */
    private static final class CephesAvx {
        private static final float TWO_PI_F = (float) TWO_PI;
        private static final float SQRTHF = 0.707106781186547524f;
        private static final float[] LOG_P = {
            7.0376836292E-2f, -1.1514610310E-1f, 1.1676998740E-1f, -1.2420140846E-1f,
            1.4249322787E-1f, -1.6668057665E-1f, 2.0000714765E-1f, -2.4999993993E-1f,
            3.3333331174E-1f,
        };
        private static final float LOG_Q1 = -2.12194440e-4f;
        private static final float LOG_Q2 = 0.693359375f;
        private static final float MINUS_DP1 = -0.78515625f;
        private static final float MINUS_DP2 = -2.4187564849853515625e-4f;
        private static final float MINUS_DP3 = -3.77489497744594108e-8f;
        private static final float SIN_P0 = -1.9515295891E-4f;
        private static final float SIN_P1 = 8.3321608736E-3f;
        private static final float SIN_P2 = -1.6666654611E-1f;
        private static final float COS_P0 = 2.443315711809948E-005f;
        private static final float COS_P1 = -1.388731625493765E-003f;
        private static final float COS_P2 = 4.166664568298827E-002f;
        private static final float FOPI = 1.27323954473516f;

        static void boxMuller16(float[] d, int o, float mean, float std) {
            for (int j = 0; j < 8; j++) {
                float u1 = 1.0f - d[o + j];
                float u2 = d[o + j + 8];
                float radius = (float) Math.sqrt(-2.0f * log(u1));
                float theta = TWO_PI_F * u2;
                long sc = sincos(theta);
                float sin = Float.intBitsToFloat((int) (sc >>> 32));
                float cos = Float.intBitsToFloat((int) sc);
                d[o + j] = Math.fma(radius * cos, std, mean);
                d[o + j + 8] = Math.fma(radius * sin, std, mean);
            }
        }

        /** {@code log256_ps} for one positive lane. */
        static float log(float x) {
            x = Math.max(x, Float.MIN_NORMAL);
            int bits = Float.floatToRawIntBits(x);
            float e = (float) ((bits >>> 23) - 0x7f) + 1.0f;
            x = Float.intBitsToFloat((bits & ~0x7f800000) | 0x3f000000); // mantissa in [0.5, 1)
            boolean small = x < SQRTHF;
            float tmp = small ? x : 0.0f;
            x = x - 1.0f;
            e = e - (small ? 1.0f : 0.0f);
            x = x + tmp;
            float z = x * x;
            float y = LOG_P[0];
            for (int k = 1; k < LOG_P.length; k++) {
                y = Math.fma(y, x, LOG_P[k]);
            }
            y = y * x;
            y = Math.fma(y, z, e * LOG_Q1);
            y = Math.fma(-z, 0.5f, y);
            x = x + y;
            return Math.fma(e, LOG_Q2, x);
        }

        /** {@code sincos256_ps} for one lane; sin in the high 32 bits, cos in the low 32 bits. */
        static long sincos(float x) {
            int signSin = Float.floatToRawIntBits(x) & 0x80000000;
            x = Math.abs(x);
            float y = x * FOPI;
            int j = (int) y;               // truncation, like cvttps
            j = (j + 1) & ~1;
            y = (float) j;
            int swapSignSin = (j & 4) << 29;
            boolean polyMask = (j & 2) == 0;
            x = Math.fma(y, MINUS_DP1, x);
            x = Math.fma(y, MINUS_DP2, x);
            x = Math.fma(y, MINUS_DP3, x);
            int signCos = (~(j - 2) & 4) << 29;
            signSin ^= swapSignSin;
            float z = x * x;
            float c = Math.fma(COS_P0, z, COS_P1);
            c = Math.fma(c, z, COS_P2);
            c = c * z;
            c = Math.fma(c, z, -(z * 0.5f));
            c = c + 1.0f;
            float s = Math.fma(SIN_P0, z, SIN_P1);
            s = Math.fma(s, z, SIN_P2);
            s = s * z;
            s = Math.fma(s, x, x);
            // lane selection by masking and adding, exactly as the vector code does it
            float sinFromS = polyMask ? s : 0.0f;
            float sinFromC = polyMask ? 0.0f : c;
            float sinV = sinFromC + sinFromS;
            float cosV = (c - sinFromC) + (s - sinFromS);
            int sinBits = Float.floatToRawIntBits(sinV) ^ signSin;
            int cosBits = Float.floatToRawIntBits(cosV) ^ signCos;
            return ((long) sinBits << 32) | Integer.toUnsignedLong(cosBits);
        }
    }

    // ================================================================== libm

    /**
     * Single-precision log, sin and cos rounding exactly like glibc's (2.28 and later), whose
     * implementations come from Arm's optimized-routines (MIT licence): a double-precision
     * evaluation (table + short polynomial for log; one-step reduction by pi/2 + polynomials for
     * sin/cos) rounded once to float. These are not correctly rounded (about 1% of results differ
     * from the correctly rounded float by an ulp), so the same method and coefficients are needed
     * to get the same floats. The multiply-adds are fused as in glibc's FMA variants, which x86-64
     * machines with AVX2 select at run time.
     */
    static final class GlibcFloat {
        private GlibcFloat() {
        }

        // log: 16 subintervals of [0x3f330000, 2 * 0x3f330000); 1/c and log(c) for each.
        private static final double[] LOG_INVC = {
            0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
            0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
            0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
            0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1,
        };
        private static final double[] LOG_LOGC = {
            -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
            -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
            -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4,
            0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2,
        };
        private static final double LOG_LN2 = 0x1.62e42fefa39efp-1;
        private static final double LOG_A0 = -0x1.00ea348b88334p-2;
        private static final double LOG_A1 = 0x1.5575b0be00b6ap-2;
        private static final double LOG_A2 = -0x1.ffffef20a4123p-2;
        private static final int LOG_OFF = 0x3f330000;

        static float logf(float x) {
            int ix = Float.floatToRawIntBits(x);
            if (ix == 0x3f800000) {
                return 0.0f;
            }
            if (Integer.compareUnsigned(ix - 0x00800000, 0x7f800000 - 0x00800000) >= 0) {
                if (ix << 1 == 0 || ix == 0x7f800000 || ix < 0 || (ix << 1) >>> 1 > 0x7f800000) {
                    return (float) Math.log(x); // 0, inf, negative, NaN
                }
                ix = Float.floatToRawIntBits(x * 0x1p23f) - (23 << 23); // subnormal
            }
            int tmp = ix - LOG_OFF;
            int i = (tmp >>> 19) & 15;
            int k = tmp >> 23;
            int iz = ix - (tmp & (0x1ff << 23));
            double z = Float.intBitsToFloat(iz);
            double r = Math.fma(z, LOG_INVC[i], -1.0);
            double y0 = Math.fma(k, LOG_LN2, LOG_LOGC[i]);
            double r2 = r * r;
            double y = Math.fma(LOG_A1, r, LOG_A2);
            y = Math.fma(LOG_A0, r2, y);
            y = Math.fma(y, r2, y0 + r);
            return (float) y;
        }

        // sin/cos: 2/pi scaled by 2^24 for the integer quadrant trick, pi/2, and the two polynomial
        // sets (the second computes -cos, so quadrants 2 and 3 get their sign for free).
        private static final double HPI_INV = 0x1.45F306DC9C883p+23;
        private static final double HPI = 0x1.921FB54442D18p0;
        private static final double[] SIGN = {1.0, -1.0, -1.0, 1.0};
        private static final double[][] COS_C = {
            {0x1p0, -0x1.ffffffd0c621cp-2, 0x1.55553e1068f19p-5, -0x1.6c087e89a359dp-10, 0x1.99343027bf8c3p-16},
            {-0x1p0, 0x1.ffffffd0c621cp-2, -0x1.55553e1068f19p-5, 0x1.6c087e89a359dp-10, -0x1.99343027bf8c3p-16},
        };
        private static final double SIN_S1 = -0x1.555545995a603p-3;
        private static final double SIN_S2 = 0x1.1107605230bc4p-7;
        private static final double SIN_S3 = -0x1.994eb3774cf24p-13;
        private static final int TOP12_PIO4 = top12((float) 0x1.921FB54442D18p-1);
        private static final int TOP12_TINY = top12(0x1p-12f);
        private static final int TOP12_120 = top12(120.0f);

        private static int top12(float x) {
            return (Float.floatToRawIntBits(x) >>> 20) & 0x7ff;
        }

        /** sin (n even) or cos (n odd) polynomial on the reduced argument. */
        private static float poly(double x, double x2, int table, int n) {
            if ((n & 1) == 0) {
                double x3 = x * x2;
                double s1 = Math.fma(x2, SIN_S3, SIN_S2);
                double x7 = x3 * x2;
                double s = Math.fma(x3, SIN_S1, x);
                return (float) Math.fma(x7, s1, s);
            }
            double[] c = COS_C[table];
            double x4 = x2 * x2;
            double c2 = Math.fma(x2, c[4], c[3]);
            double c1 = Math.fma(x2, c[1], c[0]);
            double x6 = x4 * x2;
            double cc = Math.fma(x4, c[2], c1);
            return (float) Math.fma(x6, c2, cc);
        }

        static float sinf(float y) {
            return sincosf(y, 0);
        }

        static float cosf(float y) {
            return sincosf(y, 1);
        }

        private static float sincosf(float y, int cos) {
            double x = y;
            int t = top12(y);
            if (t < TOP12_PIO4) {
                if (t < TOP12_TINY) {
                    return cos == 0 ? y : 1.0f;
                }
                return poly(x, x * x, 0, cos);
            }
            if (t < TOP12_120) {
                double r = x * HPI_INV;
                int n = ((int) r + 0x800000) >> 24;
                x = Math.fma(-(double) n, HPI, x);
                double s = SIGN[n & 3];
                return poly(x * s, x * x, (n & 2) != 0 ? 1 : 0, n ^ cos);
            }
            // never reached by the samplers (|theta| < 2 pi)
            return (float) (cos == 0 ? StrictMath.sin(y) : StrictMath.cos(y));
        }
    }

    /**
     * Double-precision log, log1p, sin and cos rounding exactly like glibc on x86-64 (the
     * run-time selected FMA variants; glibc 2.28 and later). glibc's results are not correctly
     * rounded (about 0.1% of them are an ulp off), so the same evaluation order is needed:
     * <ul>
     * <li>log: Arm optimized-routines' method (MIT/Apache-2.0): 128 subintervals with
     *     1/c and log(c), {@code r = z/c - 1} by one FMA, a degree-6 polynomial, and a degree-12
     *     one next to 1.</li>
     * <li>log1p: fdlibm's reduction ({@code 1+x = 2^k (1+f)}, {@code s = f/(2+f)}) with the
     *     pairwise polynomial glibc uses.</li>
     * <li>sin/cos: reduction by pi/2 with a three-part constant, then a table of sin and cos at
     *     multiples of 1/128 (recomputed here, correctly rounded, with its rounding error as a
     *     second double) corrected by short Taylor polynomials.</li>
     * </ul>
     * GCC compiled those variants with {@code -mfma}, fusing each multiply that only feeds an
     * add; the {@code Math.fma} calls are where that happens.
     */
    static final class GlibcDouble {
        private GlibcDouble() {
        }

        // ---- log
        private static final double[] LOG_INVC = {
            0x1.734f0c3e0de9fp+0, 0x1.713786a2ce91fp+0, 0x1.6f26008fab5ap+0, 0x1.6d1a61f138c7dp+0,
            0x1.6b1490bc5b4d1p+0, 0x1.69147332f0cbap+0, 0x1.6719f18224223p+0, 0x1.6524f99a51ed9p+0,
            0x1.63356aa8f24c4p+0, 0x1.614b36b9ddc14p+0, 0x1.5f66452c65c4cp+0, 0x1.5d867b5912c4fp+0,
            0x1.5babccb5b90dep+0, 0x1.59d61f2d91a78p+0, 0x1.5805612465687p+0, 0x1.56397cee76bd3p+0,
            0x1.54725e2a77f93p+0, 0x1.52aff42064583p+0, 0x1.50f22dbb2bddfp+0, 0x1.4f38f4734ded7p+0,
            0x1.4d843cfde284p+0, 0x1.4bd3ec078a3c8p+0, 0x1.4a27fc3e0258ap+0, 0x1.4880524d48434p+0,
            0x1.46dce1b192d0bp+0, 0x1.453d9d3391854p+0, 0x1.43a2744b4845ap+0, 0x1.420b54115f8fbp+0,
            0x1.40782da3ef4b1p+0, 0x1.3ee8f5d57fe8fp+0, 0x1.3d5d9a00b4ce9p+0, 0x1.3bd60c010c12bp+0,
            0x1.3a5242b75dab8p+0, 0x1.38d22cd9fd002p+0, 0x1.3755bc5847a1cp+0, 0x1.35dce49ad36e2p+0,
            0x1.34679984dd44p+0, 0x1.32f5cceffcb24p+0, 0x1.3187775a10d49p+0, 0x1.301c8373e399p+0,
            0x1.2eb4ebb95f841p+0, 0x1.2d50a0219a9d1p+0, 0x1.2bef9a8b7fd2ap+0, 0x1.2a91c7a0c1babp+0,
            0x1.293726014b53p+0, 0x1.27dfa5757a1f5p+0, 0x1.268b39b1d3bbfp+0, 0x1.2539d838ff5bdp+0,
            0x1.23eb7aac9083bp+0, 0x1.22a012ba940b6p+0, 0x1.2157996cc4132p+0, 0x1.201201dd2fc9bp+0,
            0x1.1ecf4494d480bp+0, 0x1.1d8f5528f6569p+0, 0x1.1c52311577e7cp+0, 0x1.1b17c74cb26e9p+0,
            0x1.19e010c2c1ab6p+0, 0x1.18ab07bb670bdp+0, 0x1.1778a25efbcb6p+0, 0x1.1648d354c31dap+0,
            0x1.151b990275fddp+0, 0x1.13f0ea432d24cp+0, 0x1.12c8b7210f9dap+0, 0x1.11a3028ecb531p+0,
            0x1.107fbda8434afp+0, 0x1.0f5ee0f4e6bb3p+0, 0x1.0e4065d2a9fcep+0, 0x1.0d244632ca521p+0,
            0x1.0c0a77ce2981ap+0, 0x1.0af2f83c636d1p+0, 0x1.09ddb98a01339p+0, 0x1.08cabaf52e7dfp+0,
            0x1.07b9f2f4e28fbp+0, 0x1.06ab58c358f19p+0, 0x1.059eea5ecf92cp+0, 0x1.04949cdd12c9p+0,
            0x1.038c6c6f0ada9p+0, 0x1.02865137932a9p+0, 0x1.0182427ea7348p+0, 0x1.008040614b195p+0,
            0x1.fe01ff726fa1ap-1, 0x1.fa11cc261ea74p-1, 0x1.f6310b081992ep-1, 0x1.f25f63ceeadcdp-1,
            0x1.ee9c8039113e7p-1, 0x1.eae8078cbb1abp-1, 0x1.e741aa29d0c9bp-1, 0x1.e3a91830a99b5p-1,
            0x1.e01e009609a56p-1, 0x1.dca01e577bb98p-1, 0x1.d92f20b7c9103p-1, 0x1.d5cac66fb5ccep-1,
            0x1.d272caa5ede9dp-1, 0x1.cf26e3e6b2ccdp-1, 0x1.cbe6da2a77902p-1, 0x1.c8b266d37086dp-1,
            0x1.c5894bd5d5804p-1, 0x1.c26b533bb9f8cp-1, 0x1.bf583eeece73fp-1, 0x1.bc4fd75db96c1p-1,
            0x1.b951e0c864a28p-1, 0x1.b65e2c5ef3e2cp-1, 0x1.b374867c9888bp-1, 0x1.b094b211d304ap-1,
            0x1.adbe885f2ef7ep-1, 0x1.aaf1d31603da2p-1, 0x1.a82e63fd358a7p-1, 0x1.a5740ef09738bp-1,
            0x1.a2c2a90ab4b27p-1, 0x1.a01a01393f2d1p-1, 0x1.9d79f24db3c1bp-1, 0x1.9ae2505c7b19p-1,
            0x1.9852ef297ce2fp-1, 0x1.95cbaeea44b75p-1, 0x1.934c69de74838p-1, 0x1.90d4f2f6752e6p-1,
            0x1.8e6528effd79dp-1, 0x1.8bfce9fcc007cp-1, 0x1.899c0dabec30ep-1, 0x1.87427aa2317fbp-1,
            0x1.84f00acb39a08p-1, 0x1.82a49e8653e55p-1, 0x1.8060195f4026p-1, 0x1.7e22563e0a329p-1,
            0x1.7beb377dcb5adp-1, 0x1.79baa679725c2p-1, 0x1.77907f2170657p-1, 0x1.756cadbd6130cp-1,
        };
        private static final double[] LOG_LOGC = {
            -0x1.7cc7f79e69p-2, -0x1.76feec20dp-2, -0x1.713e31351ep-2, -0x1.6b85b382878p-2,
            -0x1.65d55908078p-2, -0x1.602d07618p-2, -0x1.5a8ca86909p-2, -0x1.54f4356035p-2,
            -0x1.4f637c36b4p-2, -0x1.49da7fda85p-2, -0x1.445923989a8p-2, -0x1.3edf439b0b8p-2,
            -0x1.396ce448f7p-2, -0x1.3401e17bdap-2, -0x1.2e9e2ef468p-2, -0x1.2941b3830ep-2,
            -0x1.23ec58cda88p-2, -0x1.1e9e129279p-2, -0x1.1956d2b48f8p-2, -0x1.141679ab9f8p-2,
            -0x1.0edd094ef98p-2, -0x1.09aa518db1p-2, -0x1.047e65263b8p-2, -0x1.feb224586fp-3,
            -0x1.f474a7517bp-3, -0x1.ea4443d103p-3, -0x1.e020d44e9bp-3, -0x1.d60a22977fp-3,
            -0x1.cc00104959p-3, -0x1.c202956891p-3, -0x1.b81178d811p-3, -0x1.ae2c9ccd3dp-3,
            -0x1.a45402e129p-3, -0x1.9a877681dfp-3, -0x1.90c6d69483p-3, -0x1.87120a645cp-3,
            -0x1.7d68fb4143p-3, -0x1.73cb83c627p-3, -0x1.6a39a9b376p-3, -0x1.60b3154b7ap-3,
            -0x1.5737d76243p-3, -0x1.4dc7b8fc23p-3, -0x1.4462c51d2p-3, -0x1.3b08abc83p-3,
            -0x1.31b996b49p-3, -0x1.2875490a44p-3, -0x1.1f3b9f879ap-3, -0x1.160c8252cap-3,
            -0x1.0ce7f57f72p-3, -0x1.03cdc49feap-3, -0x1.f57bdbc4b8p-4, -0x1.e370896404p-4,
            -0x1.d17983ef94p-4, -0x1.bf9674ed8ap-4, -0x1.adc79202f6p-4, -0x1.9c0c3e7288p-4,
            -0x1.8a646b372cp-4, -0x1.78d01b3acp-4, -0x1.674f14538p-4, -0x1.55e0e6d878p-4,
            -0x1.4485cdea1ep-4, -0x1.333d94d6aap-4, -0x1.22079f8c56p-4, -0x1.10e4698622p-4,
            -0x1.ffa6c6ad2p-5, -0x1.dda8d4a774p-5, -0x1.bbcece485p-5, -0x1.9a1894012cp-5,
            -0x1.788583302cp-5, -0x1.5715e67d68p-5, -0x1.35c8a49658p-5, -0x1.149e364154p-5,
            -0x1.e72c082eb8p-6, -0x1.a55f152528p-6, -0x1.63d62cf818p-6, -0x1.228fb8caap-6,
            -0x1.c317b20f9p-7, -0x1.419355daap-7, -0x1.81203c2ecp-8, -0x1.004097924p-9,
            0x1.feff3849p-9, 0x1.7dc41353dp-7, 0x1.3cea3c4c28p-6, 0x1.b9fc11489p-6,
            0x1.1b0d8ce11p-5, 0x1.58a5bd001cp-5, 0x1.95c8340d88p-5, 0x1.d276aef578p-5,
            0x1.07598e598cp-4, 0x1.253f5e30d2p-4, 0x1.42edd8b38p-4, 0x1.606598757cp-4,
            0x1.7da76356ap-4, 0x1.9ab434e1c6p-4, 0x1.b78c7bb0d6p-4, 0x1.d431332e72p-4,
            0x1.f0a3171de6p-4, 0x1.067152b914p-3, 0x1.147858292bp-3, 0x1.2266ecdca3p-3,
            0x1.303d7a6c55p-3, 0x1.3dfc33c331p-3, 0x1.4ba366b7a8p-3, 0x1.5933928d1fp-3,
            0x1.66acd2418fp-3, 0x1.740f8ec669p-3, 0x1.815c0f51afp-3, 0x1.8e92954f68p-3,
            0x1.9bb3602f84p-3, 0x1.a8bed1c2cp-3, 0x1.b5b515c01dp-3, 0x1.c2967ccbccp-3,
            0x1.cf635d5486p-3, 0x1.dc1bd3446cp-3, 0x1.e8c01b8cfep-3, 0x1.f5509c0179p-3,
            0x1.00e6c121fb8p-2, 0x1.071b80e93dp-2, 0x1.0d46b9e867p-2, 0x1.13687334bdp-2,
            0x1.1980d672348p-2, 0x1.1f8ffe0cc8p-2, 0x1.2595fd76368p-2, 0x1.2b9300914a8p-2,
            0x1.3187210436p-2, 0x1.377266dec18p-2, 0x1.3d54ffbaf3p-2, 0x1.432eee32fep-2,
        };
        private static final double LN2_HI = 0x1.62e42fefa3800p-1;
        private static final double LN2_LO = 0x1.ef35793c76730p-45;
        private static final double[] LOG_A = {
            -0x1.0000000000001p-1, 0x1.555555551305bp-2, -0x1.fffffffeb459p-3, 0x1.999b324f10111p-3,
            -0x1.55575e506c89fp-3,
        };
        private static final double[] LOG_B = {
            -0x1p-1, 0x1.5555555555577p-2, -0x1.ffffffffffdcbp-3, 0x1.999999995dd0cp-3,
            -0x1.55555556745a7p-3, 0x1.24924a344de3p-3, -0x1.fffffa4423d65p-4, 0x1.c7184282ad6cap-4,
            -0x1.999eb43b068ffp-4, 0x1.78182f7afd085p-4, -0x1.5521375d145cdp-4,
        };
        private static final long LOG_NEAR1_LO = Double.doubleToRawLongBits(1.0 - 0x1p-4);
        private static final long LOG_NEAR1_HI = Double.doubleToRawLongBits(1.0 + 0x1.09p-4);
        private static final long LOG_OFF = 0x3fe6000000000000L;

        static double log(double x) {
            long ix = Double.doubleToRawLongBits(x);
            if (Long.compareUnsigned(ix - LOG_NEAR1_LO, LOG_NEAR1_HI - LOG_NEAR1_LO) < 0) {
                if (x == 1.0) {
                    return 0.0;
                }
                double[] b = LOG_B;
                double r = x - 1.0;
                double r2 = r * r;
                double r3 = r * r2;
                double p3 = Math.fma(r3, b[10], Math.fma(r2, b[9], Math.fma(r, b[8], b[7])));
                double p2 = Math.fma(r3, p3, Math.fma(r2, b[6], Math.fma(r, b[5], b[4])));
                double p1 = Math.fma(r3, p2, Math.fma(r2, b[3], Math.fma(r, b[2], b[1])));
                double w = r * 0x1p27;
                double rhi = r + w - w;
                double rlo = r - rhi;
                w = rhi * rhi * b[0];
                double hi = r + w;
                double lo = r - hi + w;
                lo = Math.fma(b[0] * rlo, rhi + r, lo);
                double y = Math.fma(r3, p1, lo);
                return y + hi;
            }
            int top = (int) (ix >>> 48);
            if (top - 0x0010 >= 0x7ff0 - 0x0010 || top - 0x0010 < 0) {
                if (!(x > 0) || Double.isInfinite(x)) {
                    return Math.log(x); // 0, negative, inf, NaN
                }
                ix = Double.doubleToRawLongBits(x * 0x1p52) - (52L << 52); // subnormal
            }
            long tmp = ix - LOG_OFF;
            int i = (int) ((tmp >>> 45) & 127);
            int k = (int) (tmp >> 52);
            long iz = ix - (tmp & (0xfffL << 52));
            double z = Double.longBitsToDouble(iz);
            double invc = LOG_INVC[i];
            double logc = LOG_LOGC[i];
            double r = Math.fma(z, invc, -1.0);
            double kd = k;
            double w = Math.fma(kd, LN2_HI, logc);
            double hi = w + r;
            double lo = Math.fma(kd, LN2_LO, w - hi + r);
            double r2 = r * r;
            double[] a = LOG_A;
            double p = Math.fma(r2, Math.fma(r, a[4], a[3]), Math.fma(r, a[2], a[1]));
            double y = Math.fma(r * r2, p, Math.fma(r2, a[0], lo));
            return y + hi;
        }

        // ---- log1p
        private static final double L1P_LN2_HI = 6.93147180369123816490e-01;
        private static final double L1P_LN2_LO = 1.90821492927058770002e-10;
        private static final double[] LP = {
            0.0, 6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
            2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
            1.479819860511658591e-01,
        };

        /** log1p; {@code fused} selects glibc's FMA build (x86-64 glibc 2.39+) over the plain one. */
        static double log1p(double x, boolean fused) {
            long bits = Double.doubleToRawLongBits(x);
            int hx = (int) (bits >>> 32);
            int ax = hx & 0x7fffffff;
            int k = 1;
            int hu = 0;
            double f = 0;
            double c = 0;
            if (hx < 0x3FDA827A) {
                if (ax >= 0x3ff00000) {
                    return x == -1.0 ? Double.NEGATIVE_INFINITY : Double.NaN;
                }
                if (ax < 0x3e200000) {
                    if (ax < 0x3c900000) {
                        return x;
                    }
                    return x - x * x * 0.5;
                }
                if (hx > 0 || hx <= 0xbfd2bec3) {
                    k = 0;
                    f = x;
                    hu = 1;
                }
            } else if (hx >= 0x7ff00000) {
                return x + x;
            }
            if (k != 0) {
                double u;
                if (hx < 0x43400000) {
                    u = 1.0 + x;
                    hu = (int) (Double.doubleToRawLongBits(u) >>> 32);
                    k = (hu >> 20) - 1023;
                    c = (k > 0) ? 1.0 - (u - x) : x - (u - 1.0);
                    c /= u;
                } else {
                    u = x;
                    hu = (int) (Double.doubleToRawLongBits(u) >>> 32);
                    k = (hu >> 20) - 1023;
                    c = 0;
                }
                hu &= 0x000fffff;
                long low = Double.doubleToRawLongBits(u) & 0xffffffffL;
                if (hu < 0x6a09e) {
                    u = Double.longBitsToDouble(((long) (hu | 0x3ff00000) << 32) | low);
                } else {
                    k += 1;
                    u = Double.longBitsToDouble(((long) (hu | 0x3fe00000) << 32) | low);
                    hu = (0x00100000 - hu) >> 2;
                }
                f = u - 1.0;
            }
            double hfsq = 0.5 * f * f;
            if (hu == 0) {
                if (f == 0) {
                    if (k == 0) {
                        return 0.0;
                    }
                    c = fused ? Math.fma(k, L1P_LN2_LO, c) : c + k * L1P_LN2_LO;
                    return fused ? Math.fma(k, L1P_LN2_HI, c) : k * L1P_LN2_HI + c;
                }
                double r = hfsq * (fused ? Math.fma(-0.66666666666666666, f, 1.0) : 1.0 - 0.66666666666666666 * f);
                if (k == 0) {
                    return f - r;
                }
                double t = (r - (fused ? Math.fma(k, L1P_LN2_LO, c) : k * L1P_LN2_LO + c)) - f;
                return fused ? Math.fma(k, L1P_LN2_HI, -t) : k * L1P_LN2_HI - t;
            }
            double s = f / (2.0 + f);
            double z = s * s;
            double z2 = z * z;
            double z4 = z2 * z2;
            double z6 = z4 * z2;
            double r;
            if (fused) {
                double r2 = Math.fma(z, LP[3], LP[2]);
                double r3 = Math.fma(z, LP[5], LP[4]);
                double r4 = Math.fma(z, LP[7], LP[6]);
                r = Math.fma(z, LP[1], z2 * r2);
                r = Math.fma(z4, r3, r);
                r = Math.fma(z6, r4, r);
                double p = s * (hfsq + r); // shared by both branches, so GCC left it unfused
                if (k == 0) {
                    return f - (hfsq - p);
                }
                return Math.fma(k, L1P_LN2_HI, -((hfsq - (p + Math.fma(k, L1P_LN2_LO, c))) - f));
            }
            r = z * LP[1] + z2 * (LP[2] + z * LP[3]) + z4 * (LP[4] + z * LP[5]) + z6 * (LP[6] + z * LP[7]);
            if (k == 0) {
                return f - (hfsq - s * (hfsq + r));
            }
            return k * L1P_LN2_HI - ((hfsq - (s * (hfsq + r) + (k * L1P_LN2_LO + c))) - f);
        }

        // ---- sin / cos
        private static final double S1 = -0x1.5555555555555p-3;
        private static final double S2 = 0x1.1111111110ECEp-7;
        private static final double S3 = -0x1.A01A019DB08B8p-13;
        private static final double S4 = 0x1.71DE27B9A7ED9p-19;
        private static final double S5 = -0x1.ADDFFC2FCDF59p-26;
        private static final double SN3 = -1.66666666666664880952546298448555E-01;
        private static final double SN5 = 8.33333214285722277379541354343671E-03;
        private static final double CS2 = 4.99999999999999999999950396842453E-01;
        private static final double CS4 = -4.16666666666664434524222570944589E-02;
        private static final double CS6 = 1.38888874007937613028114285595617E-03;
        private static final double BIG = 0x1.8p45;          // adding it rounds to a multiple of 1/128
        private static final double HP0 = 0x1.921FB54442D18p0; // pi/2 = HP0 + HP1
        private static final double HP1 = 0x1.1A62633145C07p-54;
        private static final double MP1 = 0x1.921FB58000000p0; // pi/2 = MP1 + MP2 + PP3 + PP4
        private static final double MP2 = -0x1.DDE973C000000p-27;
        private static final double PP3 = -0x1.CB3B398000000p-55;
        private static final double PP4 = -0x1.d747f23e32ed7p-83;
        private static final double HPINV = 0x1.45F306DC9C883p-1;
        private static final double TOINT = 0x1.8p52;
        /** For i/128, i = 0..127: sin, its rounding error, cos, its rounding error. */
        private static final double[] TABLE = new double[4 * 128];

        static {
            MathContext mc = new MathContext(60);
            for (int i = 0; i < 128; i++) {
                BigDecimal x = BigDecimal.valueOf(i).divide(BigDecimal.valueOf(128), mc);
                BigDecimal x2 = x.multiply(x, mc);
                BigDecimal sin = BigDecimal.ZERO;
                BigDecimal cos = BigDecimal.ZERO;
                BigDecimal sinTerm = x;
                BigDecimal cosTerm = BigDecimal.ONE;
                for (int n = 1; n < 40; n++) {
                    sin = sin.add(sinTerm, mc);
                    cos = cos.add(cosTerm, mc);
                    sinTerm = sinTerm.multiply(x2, mc).divide(BigDecimal.valueOf(-(2L * n) * (2L * n + 1)), mc);
                    cosTerm = cosTerm.multiply(x2, mc).divide(BigDecimal.valueOf(-(2L * n - 1) * (2L * n)), mc);
                }
                double sn = sin.doubleValue();
                double cs = cos.doubleValue();
                TABLE[4 * i] = sn;
                TABLE[4 * i + 1] = sin.subtract(new BigDecimal(sn), mc).doubleValue();
                TABLE[4 * i + 2] = cs;
                TABLE[4 * i + 3] = cos.subtract(new BigDecimal(cs), mc).doubleValue();
            }
        }

        private static double taylorSin(double xx, double x, double dx) {
            double p = Math.fma(Math.fma(Math.fma(Math.fma(S5, xx, S4), xx, S3), xx, S2), xx, S1);
            double t = Math.fma(Math.fma(p, x, -(0.5 * dx)), xx, dx);
            return x + t;
        }

        private static double doCos(double x, double dx) {
            if (x < 0) {
                dx = -dx;
            }
            double u = BIG + Math.abs(x);
            x = Math.abs(x) - (u - BIG) + dx;
            double xx = x * x;
            double s = Math.fma(x * xx, Math.fma(xx, SN5, SN3), x);
            double c = xx * Math.fma(xx, Math.fma(xx, CS6, CS4), CS2);
            int k = (int) Double.doubleToRawLongBits(u) << 2;
            double sn = TABLE[k];
            double ssn = TABLE[k + 1];
            double cs = TABLE[k + 2];
            double ccs = TABLE[k + 3];
            double cor = Math.fma(-cs, c, Math.fma(-s, ssn, ccs));
            cor = Math.fma(-sn, s, cor);
            return cs + cor;
        }

        private static double doSin(double x, double dx) {
            double xold = x;
            if (Math.abs(x) < 0.126) {
                return taylorSin(x * x, x, dx);
            }
            if (x <= 0) {
                dx = -dx;
            }
            double u = BIG + Math.abs(x);
            x = Math.abs(x) - (u - BIG);
            double xx = x * x;
            double s = x + Math.fma(x * xx, Math.fma(xx, SN5, SN3), dx);
            double c = Math.fma(x, dx, xx * Math.fma(xx, Math.fma(xx, CS6, CS4), CS2));
            int k = (int) Double.doubleToRawLongBits(u) << 2;
            double sn = TABLE[k];
            double ssn = TABLE[k + 1];
            double cs = TABLE[k + 2];
            double ccs = TABLE[k + 3];
            double cor = Math.fma(-sn, c, Math.fma(s, ccs, ssn));
            cor = Math.fma(cs, s, cor);
            return Math.copySign(sn + cor, xold);
        }

        /** Reduces by pi/2: returns the quadrant, writes the reduced argument as a + da into out. */
        private static int reduce(double x, double[] out) {
            double t = Math.fma(x, HPINV, TOINT);
            double xn = t - TOINT;
            double y = Math.fma(-xn, MP2, Math.fma(-xn, MP1, x));
            int n = (int) Double.doubleToRawLongBits(t) & 3;
            double t2 = Math.fma(-xn, PP3, y);
            double db = Math.fma(-xn, PP3, y - t2);
            double b = Math.fma(-xn, PP4, t2);
            db += Math.fma(-xn, PP4, t2 - b);
            out[0] = b;
            out[1] = db;
            return n;
        }

        private static double quadrant(double a, double da, int n) {
            double v = (n & 1) != 0 ? doCos(a, da) : doSin(a, da);
            return (n & 2) != 0 ? -v : v;
        }

        static double sin(double x) {
            int k = (int) (Double.doubleToRawLongBits(x) >>> 32) & 0x7fffffff;
            if (k < 0x3e500000) {
                return x;
            }
            if (k < 0x3feb6000) {
                return doSin(x, 0);
            }
            if (k < 0x400368fd) {
                return Math.copySign(doCos(HP0 - Math.abs(x), HP1), x);
            }
            if (k < 0x419921FB) {
                double[] ad = new double[2];
                int n = reduce(x, ad);
                return quadrant(ad[0], ad[1], n);
            }
            return StrictMath.sin(x); // never reached by the samplers (|theta| < 2 pi)
        }

        static double cos(double x) {
            int k = (int) (Double.doubleToRawLongBits(x) >>> 32) & 0x7fffffff;
            if (k < 0x3e400000) {
                return 1.0;
            }
            if (k < 0x3feb6000) {
                return doCos(x, 0);
            }
            if (k < 0x400368fd) {
                double y = HP0 - Math.abs(x);
                double a = y + HP1;
                double da = (y - a) + HP1;
                return doSin(a, da);
            }
            if (k < 0x419921FB) {
                double[] ad = new double[2];
                int n = reduce(x, ad);
                return quadrant(ad[0], ad[1], n + 1);
            }
            return StrictMath.cos(x); // never reached by the samplers
        }
    }
}
