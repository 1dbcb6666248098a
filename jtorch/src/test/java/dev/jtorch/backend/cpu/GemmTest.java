package dev.jtorch.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtorch.DType;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.KernelCalls;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.MatmulOp;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm} (packed Java GEMM) and, where a CBLAS library is installed, {@link Blas}, against
 * a double-precision triple loop: odd sizes around the register tile and cache blocks, transposed
 * and strided operands, broadcast batches, both float dtypes, one and several threads.
 */
class GemmTest {
    private static final CpuBackend CPU = new CpuBackend();
    private final Gemm.Mode saved = Gemm.mode;

    @AfterEach
    void restore() { Gemm.mode = saved; }

    private static final int[][] SIZES = {
            {1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {3, 5, 7}, {8, 32, 16}, {9, 33, 17}, {17, 31, 300}, {64, 64, 64},
            {100, 37, 129}, {7, 300, 2}, {145, 97, 257}, {33, 1025, 5}, {300, 260, 530},
            // skinny: few rows or columns (dot products / scaled row sums instead of packed panels)
            {1, 300, 257}, {3, 1100, 70}, {4, 520, 33}, {300, 1, 129}, {257, 4, 300}, {2, 2, 3000}};

    /** A 3-D operand view of shape [batch, rows, cols]: layout 0 row-major, 1 column-major, 2 both strides > 1, 3 batch-broadcast. */
    private static Strided operand(DType t, int batch, int rows, int cols, int layout, SplittableRandom r) {
        long[] shape = {batch, rows, cols};
        long[] stride;
        int size;
        long offset = 2;
        switch (layout) {
            case 0 -> { stride = new long[]{(long) rows * cols, cols, 1}; size = batch * rows * cols; }
            case 1 -> { stride = new long[]{(long) rows * cols, 1, rows}; size = batch * rows * cols; }
            case 2 -> { stride = new long[]{(long) rows * cols * 6, 3L * cols, 2}; size = batch * rows * cols * 6; }
            default -> { stride = new long[]{0, cols, 1}; size = rows * cols; }
        }
        ArrayStorage st = ArrayStorage.allocate(t, size + 2);
        double[] v = new double[size + 2];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble() * 2 - 1;
        Access.storeDouble(new Strided(st, t, new long[]{v.length}, new long[]{1}, 0), 0, v.length, v);
        return new Strided(st, t, shape, stride, offset);
    }

    private static double[] values(Strided s) {
        double[] v = new double[(int) s.numel()];
        Access.loadDouble(s, 0, v.length, v);
        return v;
    }

    private static void check(DType t, int batch, int m, int n, int k, int la, int lb, boolean transposedOut, SplittableRandom r, String what) {
        Strided a = operand(t, batch, m, k, la, r), b = operand(t, batch, k, n, lb, r);
        Strided out = transposedOut
                ? new Strided(ArrayStorage.allocate(t, batch * m * n), t, new long[]{batch, m, n}, new long[]{(long) m * n, 1, m}, 0)
                : new Strided(ArrayStorage.allocate(t, batch * m * n), t, new long[]{batch, m, n}, new long[]{(long) m * n, n, 1}, 0);
        CPU.execute(KernelCalls.of(MatmulOp.MATMUL, out, new Strided[]{a, b}));
        double[] av = values(a), bv = values(b), got = values(out);
        double eps = t == DType.float32 ? 0x1p-23 : 0x1p-52;
        for (int q = 0; q < batch; q++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0, mag = 0;
                    for (int p = 0; p < k; p++) {
                        double x = av[(q * m + i) * k + p] * bv[(q * k + p) * n + j];
                        s += x;
                        mag += Math.abs(x);
                    }
                    double g = got[(q * m + i) * n + j];
                    if (Math.abs(g - s) > 2 * k * eps * mag + 1e-30)
                        fail(what + " " + t + " " + batch + "x" + m + "x" + n + "x" + k + " layouts " + la + "," + lb + (transposedOut ? " out^T" : "")
                                + " at [" + q + "," + i + "," + j + "]: got " + g + " want " + s);
                }
    }

    private void sweep(Gemm.Mode mode) {
        Gemm.mode = mode;
        SplittableRandom r = new SplittableRandom(7);
        for (DType t : new DType[]{DType.float32, DType.float64})
            for (int[] s : SIZES)
                for (int la = 0; la < 3; la++)
                    for (int lb = 0; lb < 3; lb++)
                        check(t, 1, s[0], s[1], s[2], la, lb, (la + lb) % 4 == 3, r, mode.name());
        for (DType t : new DType[]{DType.float32, DType.float64}) {
            check(t, 5, 33, 17, 40, 0, 3, false, r, mode + " batched");
            check(t, 3, 64, 64, 64, 3, 1, false, r, mode + " batched");
            check(t, 12, 9, 13, 7, 2, 0, true, r, mode + " batched");
            check(t, 2, 200, 150, 170, 0, 0, false, r, mode + " batched");
            check(t, 4, 20, 30, 50, 3, 1, true, r, mode + " batched, folded into one wide product");
            check(t, 6, 70, 45, 33, 0, 3, false, r, mode + " batched, folded into one tall product");
        }
    }

    @Test
    void javaGemmMatchesReference() { sweep(Gemm.Mode.JAVA); }

    @Test
    void blasGemmMatchesReference() {
        assumeTrue(Blas.available(), "no CBLAS on this machine");
        sweep(Gemm.Mode.BLAS);
    }

    @Test
    void javaGemmOnOneAndManyThreads() {
        SplittableRandom r = new SplittableRandom(9);
        int m = 150, n = 210, k = 190;
        float[] a = new float[m * k], b = new float[k * n], c1 = new float[m * n], c4 = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble();
        Gemm.gemm(m, n, k, a, 0, k, 1, b, 0, n, 1, c1, 0, n, 1, 1);
        Gemm.gemm(m, n, k, a, 0, k, 1, b, 0, n, 1, c4, 0, n, 1, 4);
        // the same packed blocks and k order on every thread count: bitwise equal
        for (int i = 0; i < c1.length; i++) assertEquals(c1[i], c4[i]);
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        for (Gemm.Mode mode : Gemm.Mode.values()) {
            Gemm.mode = mode;
            Strided a = new Strided(ArrayStorage.allocate(DType.float32, 0), DType.float32, new long[]{1, 3, 0}, new long[]{0, 0, 1}, 0);
            Strided b = new Strided(ArrayStorage.allocate(DType.float32, 0), DType.float32, new long[]{1, 0, 4}, new long[]{0, 4, 1}, 0);
            float[] c = new float[12];
            java.util.Arrays.fill(c, 5f);
            Strided out = new Strided(new ArrayStorage(c, DType.float32), DType.float32, new long[]{1, 3, 4}, new long[]{12, 4, 1}, 0);
            CPU.execute(KernelCalls.of(MatmulOp.MATMUL, out, new Strided[]{a, b}));
            for (float v : c) assertEquals(0f, v);
        }
    }

    @Test
    void blasRefusesOperandsOutsideTheirArrays() {
        assumeTrue(Blas.available(), "no CBLAS on this machine");
        float[] a = new float[6], b = new float[6], c = new float[3];
        // C is 2x2 but its array holds 3 elements
        assertThrows(IllegalStateException.class, () -> Blas.gemm(2, 2, 3, a, 0, 3, 1, b, 0, 2, 1, c, 0, 2, 1));
        assertThrows(IllegalStateException.class, () -> Blas.gemm(2, 2, 3, a, 1, 3, 1, b, 0, 2, 1, new float[4], 0, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> Blas.gemm(0, 2, 3, a, 0, 3, 1, b, 0, 2, 1, new float[4], 0, 2, 1));
    }

    @Test
    void gridKeepsBlocksSquare() {
        assertEquals(2, Gemm.grid(1000, 1000, 2, 8, 32)[0] * Gemm.grid(1000, 1000, 2, 8, 32)[1]);
        int[] g = Gemm.grid(100, 4000, 4, 8, 32);
        assertEquals(1, g[0]);
        assertEquals(4, g[1]);
        g = Gemm.grid(4, 4000, 4, 8, 32); // one row panel: split only the columns
        assertEquals(1, g[0]);
    }
}
