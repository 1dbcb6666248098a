package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.HostSegmentStorage;
import dev.jtorch.backend.Linalg;
import dev.jtorch.backend.RandomEngine;
import dev.jtorch.backend.Sample;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.Op;

/**
 * The CPU backend: Java arrays as storage, kernels that stream operands through small
 * double[] or long[] buffers (floating dtypes compute in double, integral ones and bool in
 * long) and split large work across the intra-op pool. Before that generic path, {@link FastPath}
 * takes the common cases (float32/float64 elementwise ops, reductions, copies, row indexing) on
 * {@link VectorKernels} or their plain-Java twins, and {@link Gemm} the float products.
 */
public final class CpuBackend implements Backend {
    /** Elements per compute buffer: small enough to stay in cache, large enough to amortize the cursor. */
    static final int CHUNK = 1024;

    @Override public Device device() { return Device.CPU; }

    /**
     * Storages of more elements than this live in native memory ({@link HostSegmentStorage}) instead of a Java
     * array; tests lower it to run the large-tensor path on small tensors.
     */
    static volatile long arrayLimit = Integer.MAX_VALUE - 8;

    @Override public Storage allocate(DType dtype, long numel) {
        return numel > arrayLimit ? HostSegmentStorage.allocate(dtype, numel) : ArrayStorage.allocate(dtype, numel);
    }

    @Override public void copyFromHost(ArrayStorage src, Strided dst) {
        execute(Op.COPY, dst, new Strided[]{new Strided(src, src.dtype(), dst.shape(), Strided.contiguousStrides(dst.shape()), 0)});
    }

    @Override public ArrayStorage copyToHost(Strided src) {
        ArrayStorage dst = ArrayStorage.allocate(src.dtype(), src.numel());
        execute(Op.COPY, new Strided(dst, src.dtype(), src.shape(), Strided.contiguousStrides(src.shape()), 0), new Strided[]{src});
        return dst;
    }

    /** LU, Cholesky, QR, SVD and symmetric eigendecomposition on the host ({@link CpuLinalg}). */
    @Override public Linalg linalg() { return CpuLinalg.INSTANCE; }

    /** {@code torch.default_generator}, seeded non-deterministically as PyTorch's is. */
    private final CpuGenerator defaultGenerator = new CpuGenerator(CpuGenerator.nonDeterministicSeed());

    @Override public RandomEngine defaultGenerator() { return defaultGenerator; }

    @Override public RandomEngine newGenerator(long seed) { return new CpuGenerator(seed); }

    /** Draws with PyTorch's CPU kernels ({@link CpuRandom}) from a generator this backend made. */
    @Override public void sample(Sample s, Strided out, RandomEngine generator) {
        if (!(generator instanceof CpuGenerator g)) throw new IllegalArgumentException("Expected a 'cpu' device type for generator but found " + generator);
        CpuRandom.sample(this, s, out, g);
    }

    @Override public void execute(Op op, Strided out, Strided[] in, Object... args) {
        if (Staging.needed(out, in)) { // native host memory (pinned, or too large for an array): the kernels run on staged arrays
            Staging.execute(this, op, out, in, args);
            return;
        }
        switch (op) {
            case FILL -> fill(out, (Number) args[0]);
            case COPY -> copy(out, in[0]);
            case NEG, ABS, SIGN, CEIL, FLOOR, ROUND, TRUNC, BITWISE_NOT, LOGICAL_NOT, EXP, EXP2, EXPM1, LOG, LOG2,
                 LOG10, LOG1P, SQRT, RSQRT, RECIPROCAL, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, TANH, ASINH,
                 ACOSH, ATANH, SIGMOID, ERF, ERFC, ERFINV, LGAMMA, DIGAMMA -> unary(op, out, in[0]);
            case ADD, SUB -> {
                if (args.length > 0) AlphaAdd.run(op, out, in[0], in[1], (Number) args[0]);
                else binary(op, out, in[0], in[1]);
            }
            case MUL, DIV, FLOOR_DIVIDE, REMAINDER, FMOD, POW, MAXIMUM, MINIMUM, ATAN2, HYPOT, COPYSIGN,
                 BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT, EQ, NE, LT, LE, GT, GE,
                 LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> binary(op, out, in[0], in[1]);
            case WHERE -> where(out, in[0], in[1], in[2]);
            case SUM, PROD, MEAN, AMAX, AMIN, ALL, ANY, ARGMAX, ARGMIN -> {
                if (!FastPath.reduce(op, out, in[0])) Reductions.reduce(op, out, in[0]);
            }
            case CUMSUM, CUMPROD, ARGSORT -> Reductions.scan(op, out, in[0], args);
            case MATMUL -> Matmul.bmm(out, in[0], in[1]);
            case CAT -> cat(out, in, (Integer) args[0]);
            case VIEW, PERMUTE, EXPAND, SLICE, SELECT -> throw new IllegalArgumentException(op + " is a view: the dispatcher handles it");
            case INDEX -> {
                if (!FastPath.indexRows(out, in, (long[]) args[0], (long[]) args[1])) Indexing.index(out, in, (long[]) args[0], (long[]) args[1]);
            }
            case INDEX_PUT -> Indexing.indexPut(out, in, (long[]) args[0], (long[]) args[1], (Boolean) args[2]);
        }
    }

    static boolean floating(DType t) { return t.isFloatingPoint(); }

    private static void fill(Strided out, Number value) {
        if (FastPath.fill(out, value)) return;
        long n = out.numel();
        if (floating(out.dtype()) || out.dtype() == DType.bool && !(value instanceof Long || value instanceof Integer)) {
            double v = value.doubleValue();
            Parallel.forRange(n, Parallel.GRAIN, (s, e) -> {
                double[] buf = new double[(int) Math.min(CHUNK, e - s)];
                java.util.Arrays.fill(buf, v);
                for (long i = s; i < e; i += CHUNK) storeDouble(out, i, (int) Math.min(CHUNK, e - i), buf);
            });
        } else {
            long v = value.longValue();
            Parallel.forRange(n, Parallel.GRAIN, (s, e) -> {
                long[] buf = new long[(int) Math.min(CHUNK, e - s)];
                java.util.Arrays.fill(buf, v);
                for (long i = s; i < e; i += CHUNK) storeLong(out, i, (int) Math.min(CHUNK, e - i), buf);
            });
        }
    }

    static void copy(Strided out, Strided in) {
        if (FastPath.copy(out, in)) return;
        long n = out.numel();
        if (in.dtype() == out.dtype() && in.isContiguous() && out.isContiguous()) {
            System.arraycopy(array(in), (int) in.offset(), array(out), (int) out.offset(), (int) n);
            return;
        }
        DType o = out.dtype(), i = in.dtype();
        boolean viaDouble = o == DType.bool ? floating(i) : floating(o) && floating(i);
        Parallel.forRange(n, Parallel.GRAIN, (s, e) -> {
            if (viaDouble) {
                double[] buf = new double[(int) Math.min(CHUNK, e - s)];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadDouble(in, k, m, buf);
                    storeDouble(out, k, m, buf);
                }
            } else {
                long[] buf = new long[(int) Math.min(CHUNK, e - s)];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadLong(in, k, m, buf);
                    storeLong(out, k, m, buf);
                }
            }
        });
    }

    private static void cat(Strided out, Strided[] in, int dim) {
        long at = 0;
        for (Strided t : in) {
            copy(out.narrow(dim, at, t.shape()[dim]), t);
            at += t.shape()[dim];
        }
    }

    private static void unary(Op op, Strided out, Strided in) {
        if (FastPath.unary(op, out, in)) return;
        boolean fp = floating(in.dtype());
        // float32, float16 and bfloat16 through the float32 kernels the fast path uses, so that both give the same bits
        boolean f32 = FloatMath.handles(op) && FloatMath.computesIn(in.dtype());
        Parallel.forRange(out.numel(), Parallel.GRAIN, (s, e) -> {
            int cap = (int) Math.min(CHUNK, e - s);
            if (f32) {
                double[] x = new double[cap];
                float[] xf = new float[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadDouble(in, k, m, x);
                    for (int i = 0; i < m; i++) xf[i] = (float) x[i];
                    if (Simd.AVAILABLE) VectorKernels.unary(op, xf, 0, xf, 0, m);
                    else ScalarKernels.unary(op, xf, 0, xf, 0, m);
                    for (int i = 0; i < m; i++) x[i] = xf[i];
                    storeDouble(out, k, m, x);
                }
            } else if (fp) {
                double[] x = new double[cap], y = new double[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadDouble(in, k, m, x);
                    Elementwise.unary(op, x, y, m);
                    storeDouble(out, k, m, y);
                }
            } else {
                long[] x = new long[cap], y = new long[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadLong(in, k, m, x);
                    Elementwise.unary(op, in.dtype(), x, y, m);
                    storeLong(out, k, m, y);
                }
            }
        });
    }

    private static void binary(Op op, Strided out, Strided a, Strided b) {
        if (FastPath.binary(op, out, a, b)) return;
        boolean fp = floating(a.dtype());
        DType t = a.dtype();
        Parallel.forRange(out.numel(), Parallel.GRAIN, (s, e) -> {
            int cap = (int) Math.min(CHUNK, e - s);
            if (fp) {
                double[] x = new double[cap], y = new double[cap], z = new double[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadDouble(a, k, m, x);
                    loadDouble(b, k, m, y);
                    Elementwise.binary(op, x, y, z, m);
                    storeDouble(out, k, m, z);
                }
            } else {
                long[] x = new long[cap], y = new long[cap], z = new long[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadLong(a, k, m, x);
                    loadLong(b, k, m, y);
                    Elementwise.binary(op, t, x, y, z, m);
                    storeLong(out, k, m, z);
                }
            }
        });
    }

    private static void where(Strided out, Strided cond, Strided a, Strided b) {
        if (FastPath.where(out, cond, a, b)) return;
        boolean fp = floating(a.dtype());
        Parallel.forRange(out.numel(), Parallel.GRAIN, (s, e) -> {
            int cap = (int) Math.min(CHUNK, e - s);
            long[] c = new long[cap];
            if (fp) {
                double[] x = new double[cap], y = new double[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadLong(cond, k, m, c);
                    loadDouble(a, k, m, x);
                    loadDouble(b, k, m, y);
                    for (int j = 0; j < m; j++) if (c[j] == 0) x[j] = y[j];
                    storeDouble(out, k, m, x);
                }
            } else {
                long[] x = new long[cap], y = new long[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadLong(cond, k, m, c);
                    loadLong(a, k, m, x);
                    loadLong(b, k, m, y);
                    for (int j = 0; j < m; j++) if (c[j] == 0) x[j] = y[j];
                    storeLong(out, k, m, x);
                }
            }
        });
    }
}
