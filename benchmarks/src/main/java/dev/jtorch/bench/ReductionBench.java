package dev.jtorch.bench;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
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

/** Reductions: everything, along the last dim (contiguous rows), along the first dim (columns), max. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReductionBench {
    @Param({"1024", "1048576", "16777216"})
    public int n;

    @Param({"float32", "float64"})
    public String dtype;

    Tensor x, square;

    @Setup
    public void setup() {
        DType t = DType.valueOf(dtype);
        var r = new java.util.SplittableRandom(0);
        x = Data.random(r, t, n);
        int side = (int) Math.sqrt(n);
        square = Data.random(r, t, side, side);
    }

    @Benchmark public Tensor sum() { return x.sum(); }

    @Benchmark public Tensor mean() { return x.mean(); }

    @Benchmark public Tensor amax() { return x.amax(); }

    @Benchmark public Tensor sumRows() { return square.sum(1); }

    @Benchmark public Tensor sumColumns() { return square.sum(0); }
}
