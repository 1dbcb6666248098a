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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Elementwise kernels: contiguous, scalar-broadcast, row-broadcast and transposed operands; out= where PyTorch has it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ElementwiseBench {
    /** Elements (a square-ish 2-D tensor for the layout cases). */
    @Param({"1024", "1048576", "16777216"})
    public int n;

    @Param({"float32", "float64"})
    public String dtype;

    Tensor x, y, out, row, square, squareOut, table, rowsIdx;

    @Setup
    public void setup() {
        DType t = DType.valueOf(dtype);
        var r = new java.util.SplittableRandom(0);
        x = Data.random(r, t, n);
        y = Data.random(r, t, n);
        out = Torch.empty(new long[]{n}, t);
        int side = (int) Math.sqrt(n);
        square = Data.random(r, t, side, side);
        row = Data.random(r, t, side);
        squareOut = Torch.empty(new long[]{side, side}, t);
        int rows = Math.max(1, n / 64);
        table = Data.random(r, t, rows, 64);
        long[] idx = new long[rows];
        for (int i = 0; i < rows; i++) idx[i] = r.nextInt(rows);
        rowsIdx = Torch.fromArray(idx);
    }

    @Benchmark public Tensor addOut() { return Torch.add(x, y, out); }

    @Benchmark public Tensor add() { return x.add(y); }

    @Benchmark public Tensor mulScalar() { return x.mul(1.5); }

    @Benchmark public Tensor expOut() { return Torch.exp(x, out); }

    @Benchmark public Tensor sigmoid() { return x.sigmoid(); }

    @Benchmark public Tensor tanh() { return x.tanh(); }

    @Benchmark public Tensor addRowBroadcast() { return Torch.add(square, row, squareOut); }

    @Benchmark public Tensor addTransposed() { return Torch.add(square, square.t(), squareOut); }

    @Benchmark public Tensor contiguousOfTransposed() { return square.t().contiguous(); }

    @Benchmark public Tensor toFloat64() { return x.to(DType.float64); }

    /** Embedding-style lookup: n / 64 rows of 64 picked from a table of as many rows. */
    @Benchmark public Tensor indexSelectRows() { return table.indexSelect(0, rowsIdx); }
}
