package dev.jtorch.bench;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.backend.cpu.CpuKernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Square matrix products through {@code Tensor.matmul}: BLAS (auto) or the pure-Java GEMM, float32 and float64. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBench {
    @Param({"128", "512", "1024"})
    public int n;

    @Param({"auto", "java"})
    public String gemm;

    @Param({"float32", "float64"})
    public String dtype;

    Tensor a, b, batchedA, batchedB;

    @Setup
    public void setup() {
        CpuKernels.setGemm(gemm);
        DType t = DType.valueOf(dtype);
        var r = new java.util.SplittableRandom(0);
        a = Data.random(r, t, n, n);
        b = Data.random(r, t, n, n);
        batchedA = Data.random(r, t, 32, 64, 64);
        batchedB = Data.random(r, t, 32, 64, 64);
    }

    @Benchmark
    public Tensor matmul() { return a.matmul(b); }

    @Benchmark
    public Tensor matmulTransposed() { return a.matmul(b.t()); }

    /** 32 products of 64 x 64 (independent of n). */
    @Benchmark
    public Tensor bmm64() { return batchedA.matmul(batchedB); }
}
