package dev.jtorch.bench;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Per-op cost on small tensors: dispatcher, promotion, broadcasting, allocation, autograd bookkeeping. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OverheadBench {
    Tensor a, b, out, small, grad;

    @Setup
    public void setup() {
        var r = new java.util.SplittableRandom(0);
        a = Data.random(r, DType.float32, 1024);
        b = Data.random(r, DType.float32, 1024);
        out = Torch.empty(1024);
        small = Data.random(r, DType.float32, 4);
        grad = Data.random(r, DType.float32, 1024).requiresGrad_();
    }

    @Benchmark public Tensor add1024() { return a.add(b); }

    @Benchmark public Tensor add1024Out() { return Torch.add(a, b, out); }

    @Benchmark public Tensor addScalar1024() { return a.add(2.0); }

    @Benchmark public Tensor add4() { return small.add(small); }

    @Benchmark public Tensor addRecorded1024() { return grad.add(b); }

    @Benchmark public Tensor exp1024() { return a.exp(); }

    @Benchmark public Tensor sum1024() { return a.sum(); }
}
