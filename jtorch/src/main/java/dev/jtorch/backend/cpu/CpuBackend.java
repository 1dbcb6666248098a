package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.HostSegmentStorage;
import dev.jtorch.backend.Kernel;
import dev.jtorch.backend.Linalg;
import dev.jtorch.backend.RandomEngine;
import dev.jtorch.backend.Sample;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.JoinOp;
import dev.jtorch.ops.TernaryOp;
import dev.jtorch.ops.UnaryOp;

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
        execute(new Kernel.Copy(dst, new Strided(src, src.dtype(), dst.shape(), Strided.contiguousStrides(dst.shape()), 0)));
    }

    @Override public ArrayStorage copyToHost(Strided src) {
        ArrayStorage dst = ArrayStorage.allocate(src.dtype(), src.numel());
        execute(new Kernel.Copy(new Strided(dst, src.dtype(), src.shape(), Strided.contiguousStrides(src.shape()), 0), src));
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

    @Override public void execute(Kernel kernel) {
        if (Staging.needed(kernel)) { // native host memory (pinned, or too large for an array): the kernels run on staged arrays
            Staging.execute(this, kernel);
            return;
        }
        switch (kernel) {
            case Kernel.Fill k -> fill(k.out(), k.value());
            case Kernel.Copy k -> copy(k.out(), k.in());
            case Kernel.Unary k -> unary(k.op(), k.out(), k.in());
            case Kernel.Binary k -> {
                if (k.alpha() != null) AlphaAdd.run(k.op(), k.out(), k.a(), k.b(), k.alpha());
                else binary(k.op(), k.out(), k.a(), k.b());
            }
            case Kernel.Ternary k -> ternary(k.op(), k.out(), k.a(), k.b(), k.c());
            case Kernel.Reduce k -> {
                if (!FastPath.reduce(k.op(), k.out(), k.in())) Reductions.reduce(k.op(), k.out(), k.in());
            }
            case Kernel.Scan k -> Reductions.scan(k.op(), k.out(), k.in(), k.dim(), k.descending());
            case Kernel.Matmul k -> Matmul.bmm(k.out(), k.a(), k.b());
            case Kernel.Join k -> join(k.op(), k.out(), k.in(), k.dim());
            case Kernel.Index k -> {
                Strided[] in = k.inputs();
                if (!FastPath.indexRows(k.out(), in, k.strides(), k.sizes())) Indexing.index(k.out(), in, k.strides(), k.sizes());
            }
            case Kernel.IndexPut k -> Indexing.indexPut(k.out(), k.inputs(), k.strides(), k.sizes(), k.accumulate());
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

    private static void join(JoinOp op, Strided out, Strided[] in, int dim) {
        switch (op) {
            case CAT -> cat(out, in, dim);
        }
    }

    private static void cat(Strided out, Strided[] in, int dim) {
        long at = 0;
        for (Strided t : in) {
            copy(out.narrow(dim, at, t.shape()[dim]), t);
            at += t.shape()[dim];
        }
    }

    private static void unary(UnaryOp op, Strided out, Strided in) {
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

    private static void binary(BinaryOp op, Strided out, Strided a, Strided b) {
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

    private static void ternary(TernaryOp op, Strided out, Strided a, Strided b, Strided c) {
        switch (op) {
            case WHERE -> where(out, a, b, c);
        }
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
