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
 * long) and split large work across the intra-op pool. Each kind of op has one class owning
 * its generic path and its opt-in fast paths ({@link UnaryKernels}, {@link BinaryKernels},
 * {@link TernaryKernels}, {@link ReduceKernels}, {@link CopyKernels}, {@link IndexKernels});
 * the fast paths run on {@link VectorKernels} or their plain-Java twins, and {@link Gemm} the float products.
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
        switch (kernel) { // one class per kind of op, each with its generic path and its fast paths
            case Kernel.Fill k -> CopyKernels.fill(k.out(), k.value());
            case Kernel.Copy k -> CopyKernels.copy(k.out(), k.in());
            case Kernel.Unary k -> UnaryKernels.run(k.op(), k.out(), k.in());
            case Kernel.Binary k -> BinaryKernels.run(k.op(), k.out(), k.a(), k.b(), k.alpha());
            case Kernel.Ternary k -> TernaryKernels.run(k.op(), k.out(), k.a(), k.b(), k.c());
            case Kernel.Reduce k -> ReduceKernels.run(k.op(), k.out(), k.in());
            case Kernel.Scan k -> ReduceKernels.scan(k.op(), k.out(), k.in(), k.dim(), k.descending());
            case Kernel.Matmul k -> Matmul.bmm(k.out(), k.a(), k.b());
            case Kernel.Join k -> CopyKernels.join(k.op(), k.out(), k.in(), k.dim());
            case Kernel.Index k -> IndexKernels.run(k.out(), k.inputs(), k.strides(), k.sizes());
            case Kernel.IndexPut k -> IndexKernels.indexPut(k.out(), k.inputs(), k.strides(), k.sizes(), k.accumulate());
        }
    }

    static boolean floating(DType t) { return t.isFloatingPoint(); }
}
