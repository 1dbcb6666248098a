package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Sample;
import dev.jtorch.backend.Strided;

/**
 * The CPU backend's random kernels: they reproduce PyTorch's CPU generator bit for bit, so the same seed
 * gives the same {@code rand}, {@code randn}, {@code randint}, {@code randperm}, {@code uniform_},
 * {@code normal_} and {@code bernoulli} numbers as {@code torch.Generator()} on the CPU. Which PyTorch release
 * and which of its CPU kernels they reproduce is the generator's setting ({@link CpuGenerator#torch113},
 * {@link CpuGenerator#avx}; {@code Generator.Compat} and {@code Generator.CpuCapability} describe the differences).
 *
 * <h2>How PyTorch draws (and so how these kernels draw)</h2>
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
 *     {@code random64()} for large ranges (see {@code Generator.Compat}).</li>
 * <li>{@code randperm(n)}: Fisher-Yates, swapping {@code i} with {@code i + random() % (n - i)}.</li>
 * <li>{@code bernoulli(p)}: {@code uniform < p}, a float uniform for float/half/bfloat16 {@code p},
 *     a double uniform for double {@code p} and for {@code bernoulli_(scalar p)}.</li>
 * </ul>
 *
 * <p>Transcendental functions: PyTorch takes {@code log}, {@code log1p}, {@code sin}, {@code cos},
 * {@code logf}, {@code sinf} and {@code cosf} from glibc, whose results are not correctly rounded
 * (about 0.1% of the doubles and 1% of the floats are an ulp away from the correctly rounded
 * value). {@link GlibcDouble} and {@link GlibcFloat} evaluate them the way glibc's x86-64 FMA
 * builds do, so the normals match to the bit; they agree with glibc 2.36 and 2.39 on 1.3 million
 * sampled arguments (and {@link Math}/{@link StrictMath} would not).
 *
 *
 * <p>{@link #sample} fills a tensor a chunk at a time, so that a tensor of any size, native storage beyond a Java
 * array included, gets exactly the values one draw for the whole tensor would give, through buffers of about
 * {@link #CHUNK} values instead of one as large as the tensor. That holds because every sampler here draws element
 * by element in order, except {@code normal} from 16 elements on ({@code normal_fill} in ATen's
 * cpu/DistributionTemplates.h): it draws all uniforms first, transforms them in blocks of 16 from the start, and
 * when the count is not a multiple of 16 draws the last 16 again and transforms those. Chunks of a multiple of 16
 * elements, the last one of 16 or more, repeat exactly that: each chunk's blocks are the whole draw's blocks, and
 * only the last chunk has the ragged end.
 */
final class CpuRandom {
    private CpuRandom() {}

    /** Values per chunk: a multiple of 16. */
    static final int CHUNK = 1 << 16;

    /**
     * Fills {@code out} (contiguous) with {@code s} drawn from {@code g}, in C order, chunk by chunk holding
     * {@code g}'s lock throughout, so that the chunks are one draw as far as other threads are concerned.
     */
    static void sample(CpuBackend backend, Sample s, Strided out, CpuGenerator g) {
        if (!out.isContiguous()) throw new IllegalArgumentException("CPU sampling writes contiguous outputs only");
        long n = out.numel();
        DType dtype = out.dtype();
        Strided flat = new Strided(out.storage(), dtype, new long[]{n}, new long[]{1}, out.offset());
        synchronized (g) {
            for (long done = 0; done < n; ) {
                long left = n - done;
                // the last chunk takes what is left once fewer than CHUNK + 16 remain, so it has at least 16 (or all n);
                // a permutation is one shuffle of all n
                int k = left < CHUNK + 16 || s instanceof Sample.Randperm ? Math.toIntExact(left) : CHUNK;
                Object values = draw(backend, s, dtype, g, done, k);
                backend.copyFromHost(new ArrayStorage(values, values instanceof double[] ? DType.float64 : DType.int64), flat.narrow(0, done, k));
                done += k;
            }
        }
    }

    /** The whole draw's elements {@code [from, from + count)} as double[] or long[]. */
    private static Object draw(CpuBackend backend, Sample s, DType dtype, CpuGenerator g, long from, int count) {
        return switch (s) {
            case Sample.Uniform u -> {
                double[] v = new double[count];
                uniform(g, v, dtype, u.from(), u.to());
                yield v;
            }
            case Sample.Normal nd -> {
                double[] v = new double[count];
                normal(g, v, dtype, nd.mean(), nd.std());
                yield v;
            }
            case Sample.RandomFromTo r -> {
                long[] v = new long[count];
                randomFromTo(g, v, dtype, r.from(), r.to());
                yield v;
            }
            case Sample.Bernoulli b -> {
                double[] v = new double[count];
                bernoulliScalar(g, v, b.p(), dtype);
                yield v;
            }
            case Sample.BernoulliTensor b -> {
                Strided p = b.p();
                Strided part = new Strided(p.storage(), p.dtype(), new long[]{count}, new long[]{1}, p.offset() + from);
                ArrayStorage host = backend.copyToHost(part);
                double[] probs = new double[count];
                Access.loadDouble(new Strided(host, p.dtype(), new long[]{count}, new long[]{1}, 0), 0, count, probs);
                double[] v = new double[count];
                bernoulli(g, v, probs, p.dtype());
                yield v;
            }
            case Sample.Randperm r -> randperm(g, count, dtype);
        };
    }

    // ------------------------------------------------------------------ rand / uniform_

    /**
     * {@code torch.rand} / {@code Tensor.uniform_(from, to)}: fills {@code out} with what a
     * contiguous tensor of this dtype would hold, each value rounded to the dtype.
     */
    static void uniform(CpuGenerator g, double[] out, DType dtype, double from, double to) {
        if (!(from <= to)) {
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from="
                    + from + " > to=" + to);
        }
        boolean fma = g.avx;
        switch (dtype) {
            case float64 -> {
                double range = to - from;
                for (int i = 0; i < out.length; i++) {
                    out[i] = madd(g.uniformDouble01(), range, from, fma);
                }
            }
            case float32 -> {
                float f = (float) from;
                float range = (float) to - f;
                for (int i = 0; i < out.length; i++) {
                    out[i] = madd(g.uniformFloat01(), range, f, fma);
                }
            }
            case float16, bfloat16 -> {
                boolean half = dtype == DType.float16;
                int mask = half ? 0x7FF : 0xFF;
                float divisor = half ? 0x1p-11f : 0x1p-8f;
                float f = reduce((float) from, half);
                float range = reduce(reduce((float) to, half) - f, half);
                for (int i = 0; i < out.length; i++) {
                    float x = (g.nextInt() & mask) * divisor;
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
    static void normal(CpuGenerator g, double[] out, DType dtype, double mean, double std) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("normal_ is only for floating dtypes, got " + dtype);
        }
        if (!(std >= 0.0)) {
            throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        }
        int n = out.length;
        if (n < 16) {
            for (int i = 0; i < n; i++) {
                out[i] = roundTo(dtype, scalarNormal(g, mean, std));
            }
            return;
        }
        switch (dtype) {
            case float64 -> normalFillDouble(g, out, mean, std);
            case float32 -> {
                float[] buf = new float[n];
                if (g.avx) {
                    normalFillFloatVectorised(g, buf, (float) mean, (float) std);
                } else {
                    normalFillFloat(g, buf, (float) mean, (float) std);
                }
                for (int i = 0; i < n; i++) {
                    out[i] = buf[i];
                }
            }
            default -> normalFillReduced(g, out, dtype == DType.float16, mean, std);
        }
    }

    /** {@code at::normal_distribution<double>}: Box-Muller with the second value cached. */
    private static double scalarNormal(CpuGenerator g, double mean, double std) {
        double ret;
        if (g.hasNextDoubleNormal) {
            g.hasNextDoubleNormal = false;
            ret = g.nextDoubleNormal;
        } else {
            double u1 = g.uniformDouble01();
            double u2 = g.uniformDouble01();
            double lg = g.torch113 ? GlibcDouble.log(1.0 - u2) : GlibcDouble.log1p(-u2, true);
            double r = Math.sqrt(-2.0 * lg);
            double theta = 2.0 * Math.PI * u1;
            g.nextDoubleNormal = r * GlibcDouble.sin(theta);
            g.hasNextDoubleNormal = true;
            ret = r * GlibcDouble.cos(theta);
        }
        return madd(ret, std, mean, g.avx);
    }

    private static final double TWO_PI = 2.0 * Math.PI; // 2.0f * c10::pi<double>, a double

    private static void normalFillDouble(CpuGenerator g, double[] d, double mean, double std) {
        boolean fma = g.avx;
        int n = d.length;
        for (int i = 0; i < n; i++) {
            d[i] = g.uniformDouble01();
        }
        for (int i = 0; i + 16 <= n; i += 16) {
            boxMuller16(d, i, mean, std, fma);
        }
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) {
                d[i] = g.uniformDouble01();
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
    private static void normalFillFloat(CpuGenerator g, float[] d, float mean, float std) {
        boolean fma = g.avx;
        int n = d.length;
        for (int i = 0; i < n; i++) {
            d[i] = g.uniformFloat01();
        }
        for (int i = 0; i + 16 <= n; i += 16) {
            boxMuller16(d, i, mean, std, fma);
        }
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) {
                d[i] = g.uniformFloat01();
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
    private static void normalFillFloatVectorised(CpuGenerator g, float[] d, float mean, float std) {
        int n = d.length;
        for (int i = 0; i < n; i++) {
            d[i] = g.uniformFloat01();
        }
        for (int i = 0; i + 16 <= n; i += 16) {
            CephesAvx.boxMuller16(d, i, mean, std);
        }
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) {
                d[i] = g.uniformFloat01();
            }
            CephesAvx.boxMuller16(d, n - 16, mean, std);
        }
    }

    /**
     * {@code normal_fill} for float16/bfloat16: uniforms of 11/8 bits stored in the dtype, then
     * Box-Muller with the dtype's arithmetic.
     */
    private static void normalFillReduced(CpuGenerator g, double[] out, boolean half, double mean, double std) {
        boolean fma = g.avx;
        // PyTorch 1.13 float16: c10::Half mixes with float, so the math runs in float. Elsewhere the
        // std::log/sqrt/cos overloads for reduced types and the type's own operators round each step.
        boolean roundEachStep = !half || !g.torch113;
        int n = out.length;
        float[] d = new float[n];
        int mask = half ? 0x7FF : 0xFF;
        float divisor = half ? 0x1p-11f : 0x1p-8f;
        for (int i = 0; i < n; i++) {
            d[i] = (g.nextInt() & mask) * divisor; // exact in the dtype
        }
        float m = reduce((float) mean, half);
        float s = reduce((float) std, half);
        for (int i = 0; i + 16 <= n; i += 16) {
            boxMuller16Reduced(d, i, m, s, half, roundEachStep, fma);
        }
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) {
                d[i] = (g.nextInt() & mask) * divisor;
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
     * is 0/1; narrower ints wrap like a C cast) and returned as a long. The bounds were checked and,
     * for float dtypes, narrowed to survive the cast by the caller ({@link Sample.RandomFromTo}).
     */
    static void randomFromTo(CpuGenerator g, long[] out, DType dtype, long from, long toExclusive) {
        long range = toExclusive - from; // unsigned
        boolean wide;
        if (g.torch113) {
            boolean wideType = dtype == DType.int64 || dtype == DType.float32 || dtype == DType.float64
                    || dtype == DType.bfloat16;
            wide = wideType && Long.compareUnsigned(range, 1L << 32) >= 0;
        } else {
            wide = Long.compareUnsigned(range, 1L << 28) >= 0;
        }
        for (int i = 0; i < out.length; i++) {
            long word = wide ? g.draw64() : Integer.toUnsignedLong(g.nextInt());
            out[i] = castFromInt64(Long.remainderUnsigned(word, range) + from, dtype);
        }
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
    static long[] randperm(CpuGenerator g, long n, DType dtype) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, got" + n);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("randperm: n too large for a Java array: " + n);
        }
        int len = (int) n;
        long[] r = new long[len];
        if (g.torch113 || n < 0xFFFFFFFFL / 20) {
            for (int i = 0; i < len; i++) {
                r[i] = i;
            }
            for (int i = 0; i < len - 1; i++) {
                int z = (int) (Integer.toUnsignedLong(g.nextInt()) % (len - i));
                long t = r[i];
                r[i] = r[z + i];
                r[z + i] = t;
            }
        } else {
            // PyTorch 2.x for huge n: inside-out Fisher-Yates with 64-bit draws
            for (int i = 0; i < len; i++) {
                int z = (int) Long.remainderUnsigned(g.draw64(), i + 1L);
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
    static void bernoulli(CpuGenerator g, double[] out, double[] p, DType dtype) {
        if (out.length != p.length) {
            throw new IllegalArgumentException("bernoulli: out has " + out.length + " elements, p has " + p.length);
        }
        if (dtype == DType.float64) {
            for (int i = 0; i < out.length; i++) {
                out[i] = g.uniformDouble01() < p[i] ? 1.0 : 0.0;
            }
        } else if (dtype.isFloatingPoint()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = g.uniformFloat01() < (float) p[i] ? 1.0 : 0.0;
            }
        } else {
            throw new IllegalArgumentException("bernoulli expects floating probabilities, got " + dtype);
        }
    }

    /** {@code Tensor.bernoulli_(p)} with one probability; {@code dtype} is the tensor's dtype. */
    static void bernoulliScalar(CpuGenerator g, double[] out, double p, DType dtype) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + p);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = g.uniformDouble01() < p ? 1.0 : 0.0;
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
}
