package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.backend.Sample;
import dev.jtorch.backend.Strided;
import dev.jtorch.backend.cuda.Codegen.K;
import java.lang.foreign.MemorySegment;

/**
 * Random sampling on the device with the device's {@link CudaGenerator}, computing what PyTorch's CUDA
 * distribution kernels compute (see {@link Philox} for the generator and the layout): a grid-stride loop
 * over the output where thread {@code t} runs the Philox stream {@code (seed, t, offset)} and takes four
 * 32-bit words per iteration, which give four float draws (uniform: {@code word * 2^-32 + 2^-33};
 * normal: Box-Muller on word pairs with the fast hardware sine/cosine, as cuRAND) or two double draws
 * (53-bit uniforms; normals from four words with {@code sincospi}). Then:
 * <ul>
 * <li>uniform_(from, to): {@code fma(u, to - from, from)} rounded to the dtype; a result equal to
 *     {@code to} becomes {@code from} (cuRAND's uniforms lie in (0, 1]).</li>
 * <li>normal_(mean, std): {@code fma(z, std, mean)}.</li>
 * <li>random_(from, to): {@code word % range + from} with one word, or a 64-bit word made of two when
 *     the range is at least 2^28 (two elements per iteration then).</li>
 * <li>bernoulli_(p): {@code u < p}; bernoulli(p tensor): {@code u <= p[i]}, in float (double for float64
 *     outputs).</li>
 * </ul>
 * The generator's offset moves by 4 words per loop iteration of the kernel, rounded as PyTorch rounds it.
 * Outputs must be contiguous (the dispatcher samples into a contiguous buffer and copies otherwise).
 */
final class RandomKernels {
    private RandomKernels() {}

    static final int THREADS = Philox.BLOCK;

    /** The kernel families, one per {@link Sample} the device draws ({@code randperm} is drawn on the host). */
    enum Distribution { UNIFORM, NORMAL, RANDOM_FROM_TO, BERNOULLI_SCALAR, BERNOULLI_TENSOR }

    record Spec(Distribution dist, DType out, DType probs, boolean wide) implements KernelCache.Spec {

        /** Elements per thread and loop iteration. */
        int unroll() {
            return switch (dist) {
                case RANDOM_FROM_TO -> wide ? 2 : 4;
                default -> out == DType.float64 ? 2 : 4;
            };
        }

        /** Whether the draws are double (else float, or raw words for RANDOM_FROM_TO). */
        boolean doubleDraws() { return dist != Distribution.RANDOM_FROM_TO && out == DType.float64; }

        @Override public String key() {
            return "rng:" + dist + ":" + out.name() + (probs == null ? "" : ":p" + probs.name()) + (wide ? ":wide" : "");
        }

        @Override public String source() {
            String ot = Codegen.stype(out);
            int u = unroll();
            StringBuilder s = new StringBuilder(PHILOX);
            s.append("extern \"C\" __global__ void __launch_bounds__(").append(THREADS).append(") k(").append(ot)
                    .append("* o, ull n, ull seed, ull offset");
            switch (dist) {
                case UNIFORM -> s.append(", double pa, double pb, double pc");
                case NORMAL -> s.append(", double pa, double pb");
                case RANDOM_FROM_TO -> s.append(", ll base, ull range");
                case BERNOULLI_SCALAR -> s.append(", double pa");
                case BERNOULLI_TENSOR -> s.append(", const ").append(Codegen.stype(probs)).append("* p");
            }
            s.append(") {\n");
            s.append("  const ull idx = (ull)blockIdx.x * ").append(THREADS).append(" + threadIdx.x;\n");
            s.append("  const ull stride = (ull)gridDim.x * ").append(THREADS).append(";\n");
            s.append("  const ull step = stride * ").append(u).append(";\n");
            s.append("  const ull rounded = ((n - 1) / step + 1) * step;\n");
            boolean dbl = doubleDraws();
            String acc = dist == Distribution.RANDOM_FROM_TO ? "ull" : dbl ? "double" : "float";
            // per-launch constants
            switch (dist) {
                case UNIFORM -> {
                    String t = dbl ? "double" : "float";
                    s.append("  const ").append(t).append(" from = (").append(t).append(")pa, range = (").append(t)
                            .append(")pb, to = (").append(t).append(")pc;\n");
                }
                case NORMAL -> {
                    String t = dbl ? "double" : "float";
                    s.append("  const ").append(t).append(" mean = (").append(t).append(")pa, sd = (").append(t).append(")pb;\n");
                }
                case BERNOULLI_SCALAR -> s.append("  const ").append(acc).append(" prob = (").append(acc).append(")pa;\n");
                default -> { }
            }
            s.append("  jt_philox st;\n  jt_philox_init(st, seed, idx, offset);\n");
            s.append("  for (ull li = idx; li < rounded; li += step) {\n");
            s.append("    u32 w[4];\n    jt_philox_next4(st, w);\n");
            s.append("    ").append(acc).append(" v[").append(u).append("];\n");
            switch (dist) {
                case NORMAL -> {
                    if (dbl) s.append("    jt_normal2_double(w[0], w[1], w[2], w[3], v[0], v[1]);\n");
                    else s.append("    jt_normal2(w[0], w[1], v[0], v[1]);\n    jt_normal2(w[2], w[3], v[2], v[3]);\n");
                }
                case RANDOM_FROM_TO -> {
                    if (wide) s.append("    v[0] = ((ull)w[0] << 32) | w[1];\n    v[1] = ((ull)w[2] << 32) | w[3];\n");
                    else s.append("    v[0] = w[0]; v[1] = w[1]; v[2] = w[2]; v[3] = w[3];\n");
                }
                default -> {
                    if (dbl) s.append("    v[0] = jt_uniform_double(w[0], w[1]);\n    v[1] = jt_uniform_double(w[2], w[3]);\n");
                    else s.append("    v[0] = jt_uniform(w[0]); v[1] = jt_uniform(w[1]); v[2] = jt_uniform(w[2]); v[3] = jt_uniform(w[3]);\n");
                }
            }
            s.append("    #pragma unroll\n    for (int ii = 0; ii < ").append(u).append("; ii++) {\n");
            s.append("      const ull e = li + stride * ii;\n      if (e < n) {\n");
            String fma = dbl ? "__fma_rn" : "__fmaf_rn";
            switch (dist) {
                case UNIFORM -> {
                    s.append("        const ").append(acc).append(" x = ").append(fma).append("(v[ii], range, from);\n");
                    switch (out) {
                        case float32, float64 -> s.append("        o[e] = x == to ? from : x;\n");
                        case float16 -> s.append("        const u16 h = f2h(x);\n        o[e] = h2f(h) == to ? f2h(from) : h;\n");
                        case bfloat16 -> s.append("        const u16 h = f2bf(x);\n        o[e] = bf2f(h) == to ? f2bf(from) : h;\n");
                        default -> throw new IllegalArgumentException("uniform_ on " + out);
                    }
                }
                case NORMAL -> {
                    s.append("        const ").append(acc).append(" x = ").append(fma).append("(v[ii], sd, mean);\n");
                    s.append("        o[e] = ").append(Codegen.store(out, "x", dbl ? K.D : K.F)).append(";\n");
                }
                case RANDOM_FROM_TO -> {
                    s.append("        const ll x = (ll)(v[ii] % range + (ull)base);\n");
                    s.append("        o[e] = ").append(Codegen.store(out, "x", K.L)).append(";\n");
                }
                case BERNOULLI_SCALAR -> s.append("        o[e] = ").append(Codegen.store(out, "(ll)(v[ii] < prob)", K.L)).append(";\n");
                case BERNOULLI_TENSOR -> {
                    s.append("        const ").append(acc).append(" q = ").append(Codegen.load(probs, "p[e]", dbl ? K.D : K.F)).append(";\n");
                    s.append("        o[e] = ").append(Codegen.store(out, "(ll)(v[ii] <= q)", K.L)).append(";\n");
                }
            }
            s.append("      }\n    }\n  }\n}\n");
            return s.toString();
        }
    }

    private static String f32(float f) { return String.format("__int_as_float(0x%08x)", Float.floatToRawIntBits(f)); }

    private static String f64(double d) { return String.format("__longlong_as_double(0x%016xLL)", Double.doubleToRawLongBits(d)); }

    /** Philox4x32-10 with cuRAND's stream semantics, and the uniform and Box-Muller transforms (see {@link Philox}). */
    static final String PHILOX = """
            typedef unsigned int u32;
            struct jt_philox { u32 c0, c1, c2, c3, k0, k1, o0, o1, o2, o3, st; };
            JT_DEV void jt_philox_block(jt_philox& s) {
              u32 c0 = s.c0, c1 = s.c1, c2 = s.c2, c3 = s.c3, k0 = s.k0, k1 = s.k1;
              #pragma unroll
              for (int r = 0; r < 10; r++) {
                if (r > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
                const u32 hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
                const u32 hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
                c0 = hi1 ^ c1 ^ k0;
                c1 = lo1;
                c2 = hi0 ^ c3 ^ k1;
                c3 = lo0;
              }
              s.o0 = c0; s.o1 = c1; s.o2 = c2; s.o3 = c3;
            }
            JT_DEV void jt_philox_skip(jt_philox& s, ull n) {
              const u32 nlo = (u32)n;
              u32 nhi = (u32)(n >> 32);
              s.c0 += nlo;
              if (s.c0 < nlo) nhi++;
              s.c1 += nhi;
              if (nhi <= s.c1) return;
              if (++s.c2) return;
              ++s.c3;
            }
            JT_DEV void jt_philox_init(jt_philox& s, ull seed, ull subsequence, ull offset) {
              s.c0 = 0; s.c1 = 0; s.c2 = 0; s.c3 = 0;
              s.k0 = (u32)seed; s.k1 = (u32)(seed >> 32);
              const u32 slo = (u32)subsequence;
              u32 shi = (u32)(subsequence >> 32);
              s.c2 += slo;
              if (s.c2 < slo) shi++;
              s.c3 += shi;
              s.st = (u32)(offset & 3);
              jt_philox_skip(s, offset >> 2);
              jt_philox_block(s);
            }
            JT_DEV void jt_philox_next4(jt_philox& s, u32* r) {
              const u32 t0 = s.o0, t1 = s.o1, t2 = s.o2, t3 = s.o3;
              if (++s.c0 == 0 && ++s.c1 == 0 && ++s.c2 == 0) ++s.c3;
              jt_philox_block(s);
              switch (s.st) {
                case 0: r[0] = t0; r[1] = t1; r[2] = t2; r[3] = t3; break;
                case 1: r[0] = t1; r[1] = t2; r[2] = t3; r[3] = s.o0; break;
                case 2: r[0] = t2; r[1] = t3; r[2] = s.o0; r[3] = s.o1; break;
                default: r[0] = t3; r[1] = s.o0; r[2] = s.o1; r[3] = s.o2; break;
              }
            }
            """
            + "JT_DEV float jt_uniform(u32 x) { return __fmaf_rn(__uint2float_rn(x), " + f32(Philox.INV32) + ", " + f32(Philox.INV33) + "); }\n"
            + "JT_DEV double jt_uniform_double(u32 x, u32 y) {\n"
            + "  const ull z = (ull)x ^ ((ull)y << 21);\n"
            + "  return __fma_rn((double)z, " + f64(0x1p-53) + ", " + f64(0x1p-54) + ");\n}\n"
            + "JT_DEV void jt_normal2(u32 x, u32 y, float& a, float& b) {\n"
            + "  const float u = jt_uniform(x);\n"
            + "  const float t = __fmaf_rn(__uint2float_rn(y), " + f32(Philox.INV32_2PI) + ", " + f32(Philox.INV32_2PI / 2) + ");\n"
            + "  const float s = sqrtf(-2.0f * logf(u));\n"
            + "  float sn, cs;\n  __sincosf(t, &sn, &cs);\n"
            + "  a = sn * s;\n  b = cs * s;\n}\n"
            + "JT_DEV void jt_normal2_double(u32 x0, u32 x1, u32 y0, u32 y1, double& a, double& b) {\n"
            + "  const double u = jt_uniform_double(x0, x1);\n"
            + "  const ull zy = (ull)y0 ^ ((ull)y1 << 21);\n"
            + "  const double t = __fma_rn((double)zy, " + f64(0x1p-52) + ", " + f64(0x1p-53) + ");\n"
            + "  const double s = sqrt(-2.0 * log(u));\n"
            + "  double sn, cs;\n  sincospi(t, &sn, &cs);\n"
            + "  a = sn * s;\n  b = cs * s;\n}\n";

    // ---------------------------------------------------------------- launching

    /** Samples {@code s} into {@code out} (contiguous) on the device, moving the generator {@code gen} on. */
    static void run(CudaBackend be, Sample s, Strided out, CudaGenerator gen) {
        CudaDevice dev = be.dev;
        Operand o = Operand.of(out, dev);
        if (!out.isContiguous()) throw new IllegalArgumentException("random sampling on CUDA writes contiguous outputs only");
        DType t = out.dtype();
        Strided probsView = null;
        boolean wide = false;
        Distribution d = switch (s) {
            case Sample.Uniform u -> Distribution.UNIFORM;
            case Sample.Normal nd -> Distribution.NORMAL;
            case Sample.RandomFromTo r -> {
                wide = Long.compareUnsigned(r.to() - r.from(), 1L << 28) >= 0;
                yield Distribution.RANDOM_FROM_TO;
            }
            case Sample.Bernoulli b -> Distribution.BERNOULLI_SCALAR;
            case Sample.BernoulliTensor b -> {
                probsView = b.p();
                yield Distribution.BERNOULLI_TENSOR;
            }
            case Sample.Randperm r -> throw new UnsupportedOperationException("randperm on CUDA is drawn by the CPU generator and copied");
        };
        long n = out.numel();
        if (n == 0) return;
        if ((d == Distribution.UNIFORM || d == Distribution.NORMAL) && !t.isFloatingPoint())
            throw new IllegalArgumentException(d + " needs a floating output, got " + t);
        DType probs = null;
        Operand p = null;
        if (probsView != null) {
            p = Operand.of(probsView, dev);
            if (p.scalar || !probsView.isContiguous() || probsView.numel() != n)
                throw new IllegalArgumentException("bernoulli: the probabilities must be a contiguous CUDA tensor of the output's size");
            probs = probsView.dtype();
        }
        Spec spec = new Spec(d, t, probs, wide);
        long grid = Philox.grid(n, dev.smCount, dev.maxThreadsPerSm);
        long[] state = gen.reserve(Philox.increment(n, grid, spec.unroll()));
        MemorySegment f = dev.kernels.get(spec);
        Stream stream = dev.currentStream();
        if (p != null) p.storage.materialize(stream);
        be.prepareOutput(out, o.storage, stream);
        Params params = Params.start().ptr(o.address()).i64(n).i64(state[0]).i64(state[1]);
        switch (s) {
            case Sample.Uniform u -> {
                double[] b = uniformBounds(t, u.from(), u.to());
                params.f64(b[0]).f64(b[1]).f64(b[2]);
            }
            case Sample.Normal nd -> params.f64(nd.mean()).f64(nd.std());
            case Sample.RandomFromTo r -> params.i64(r.from()).i64(r.to() - r.from());
            case Sample.Bernoulli b -> params.f64(b.p());
            case Sample.BernoulliTensor b -> params.ptr(p.address());
            case Sample.Randperm r -> throw new IllegalStateException("unreachable: refused above");
        }
        Driver.launch(f, (int) grid, 1, 1, THREADS, 1, 1, 0, stream.handle, params.pointerArray(), spec);
        be.keepAlive(out, probsView == null ? null : new Strided[]{probsView});
    }

    /**
     * {from, range, to} as the kernel uses them: {@code from} and {@code to} cast to the dtype, and
     * {@code range = to - from} computed in the dtype's arithmetic (float, or double for float64), rounded
     * to the dtype for float16 and bfloat16, as PyTorch's {@code uniform_kernel} does.
     */
    static double[] uniformBounds(DType t, double from, double to) {
        return switch (t) {
            case float64 -> new double[]{from, to - from, to};
            case float32 -> {
                float f = (float) from, tt = (float) to;
                yield new double[]{f, tt - f, tt};
            }
            case float16 -> {
                float f = Float.float16ToFloat(Float.floatToFloat16((float) from)), tt = Float.float16ToFloat(Float.floatToFloat16((float) to));
                yield new double[]{f, Float.float16ToFloat(Float.floatToFloat16(tt - f)), tt};
            }
            case bfloat16 -> {
                float f = bf16((float) from), tt = bf16((float) to);
                yield new double[]{f, bf16(tt - f), tt};
            }
            default -> throw new IllegalArgumentException("uniform_ on " + t);
        };
    }

    private static float bf16(float f) { return Float.intBitsToFloat((int) CudaBackend.bfloat16Bits(f) << 16); }
}
