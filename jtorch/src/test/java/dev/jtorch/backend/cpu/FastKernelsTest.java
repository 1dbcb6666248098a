package dev.jtorch.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtorch.DType;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.KernelCalls;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.IndexOp;
import dev.jtorch.ops.MemoryOp;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.TernaryOp;
import dev.jtorch.ops.UnaryOp;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast paths ({@link FastPath}, {@link VectorKernels}, {@link ScalarKernels} and the fast paths of
 * each kind's class) against the generic path's arithmetic (the double-precision loops of
 * {@link UnaryKernels} and {@link BinaryKernels} over values read with {@link Access}, and
 * {@link ReduceKernels#reduce}) on random data: odd sizes and vector tails, sizes that
 * go parallel, offsets, transposed, strided and broadcast operands, float32 and float64.
 */
class FastKernelsTest {
    private static final CpuBackend CPU = new CpuBackend();
    private static final DType[] FLOATS = {DType.float32, DType.float64};
    private static final int[] SIZES = {1, 2, 7, 15, 16, 17, 31, 33, 64, 100, 1023, 1025, 4097, 70_001};

    // the ops of each fast path come from the sets the kernels declare, so that a new op in a set is tested with no edit here
    private static final UnaryOp[] UNARY = UnaryKernels.FLOAT_DRIVER.toArray(UnaryOp[]::new);
    private static final BinaryOp[] BINARY = BinaryKernels.FLOAT_DRIVER.toArray(BinaryOp[]::new);

    // ---------------------------------------------------------------- helpers

    static Strided tensor(DType t, long[] shape, long[] stride, long offset, int storageSize) {
        return new Strided(ArrayStorage.allocate(t, storageSize), t, shape, stride, offset);
    }

    static Strided contiguous(DType t, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return tensor(t, shape, Strided.contiguousStrides(shape), 0, (int) n);
    }

    /** Fills every storage element (also the ones outside the view) with random values, some of them special. */
    static void randomize(Strided s, SplittableRandom r, double scale, boolean specials) {
        ArrayStorage st = (ArrayStorage) s.storage();
        int n = (int) st.numel();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextDouble() * 2 - 1) * scale;
            if (specials && r.nextInt(40) == 0) {
                double[] sp = {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 100, -100, 1e-30, 0.5};
                v[i] = sp[r.nextInt(sp.length)];
            }
        }
        Strided flat = new Strided(st, s.dtype(), new long[]{n}, new long[]{1}, 0);
        Access.storeDouble(flat, 0, n, v);
    }

    static double[] values(Strided s) {
        double[] v = new double[(int) s.numel()];
        Access.loadDouble(s, 0, v.length, v);
        return v;
    }

    /** Layouts of a view with the given logical shape: contiguous, offset, transposed, strided and (inputs only) broadcast. */
    record View(String name, Strided s) {}

    static List<View> views(DType t, long rows, long cols, boolean input) {
        List<View> out = new ArrayList<>();
        long n = rows * cols;
        out.add(new View("contiguous", tensor(t, new long[]{rows, cols}, new long[]{cols, 1}, 0, (int) n)));
        out.add(new View("offset", tensor(t, new long[]{rows, cols}, new long[]{cols, 1}, 3, (int) n + 5)));
        out.add(new View("transposed", tensor(t, new long[]{rows, cols}, new long[]{1, rows}, 0, (int) n)));
        out.add(new View("strided", tensor(t, new long[]{rows, cols}, new long[]{2 * cols + 1, 2}, 1, (int) (rows * (2 * cols + 1) + 2))));
        if (input) {
            out.add(new View("row-broadcast", tensor(t, new long[]{rows, cols}, new long[]{0, 1}, 0, (int) cols)));
            out.add(new View("scalar", tensor(t, new long[]{rows, cols}, new long[]{0, 0}, 0, 1)));
            out.add(new View("column-broadcast", tensor(t, new long[]{rows, cols}, new long[]{1, 0}, 0, (int) rows)));
        }
        return out;
    }

    static boolean close(DType t, double got, double want, double ulps, double atol) {
        if (Double.isNaN(want)) return Double.isNaN(got);
        if (Double.isInfinite(want) || Double.isInfinite(got)) return got == want;
        double ulp = t == DType.float32 ? Math.ulp((float) want) : Math.ulp(want);
        return Math.abs(got - want) <= ulps * ulp || Math.abs(got - want) <= atol;
    }

    private static double tiny(DType t) { return t == DType.float32 ? 1e-37 : 1e-300; }

    // ---------------------------------------------------------------- elementwise

    @Test
    void unaryOpsMatchTheGenericPath() {
        SplittableRandom r = new SplittableRandom(1);
        for (DType t : FLOATS)
            for (UnaryOp op : UNARY)
                for (int n : new int[]{1, 17, 33, 1023, 70_001}) {
                    long rows = n > 100 ? 7 : 1, cols = Math.max(1, n / rows);
                    List<View> ins = views(t, rows, cols, true), outs = views(t, rows, cols, false);
                    for (int vi = 0; vi < ins.size(); vi++)
                        for (int vo = 0; vo < outs.size(); vo++) {
                            if (n > 5000 && !(vo == 0 && (vi == 0 || vi == 2))) continue; // large: the parallel paths, a few layouts
                            View in = ins.get(vi), out = outs.get(vo);
                            randomize(in.s, r, op == UnaryOp.ERFINV || op == UnaryOp.ATANH || op == UnaryOp.ASIN || op == UnaryOp.ACOS ? 1.1 : 4, true);
                            CPU.execute(KernelCalls.of(op, out.s, new Strided[]{in.s}));
                            double[] x = values(in.s), got = values(out.s), want = new double[x.length];
                            UnaryKernels.generic(op, t, x, want, x.length);
                            // exp/log/trig in float go through the Vector API's (SVML) lane functions: a few ulps
                            double ulps = t == DType.float32 ? 4 : 2;
                            for (int i = 0; i < x.length; i++) {
                                double w = Access.roundTo(t, want[i]);
                                if (!close(t, got[i], w, ulps, tiny(t) + (op == UnaryOp.SIN || op == UnaryOp.COS || op == UnaryOp.TAN ? 1e-6 : 0)))
                                    fail(op + " " + t + " " + in.name + "->" + out.name + " n=" + n + " at " + i + ": x=" + x[i] + " got " + got[i] + " want " + w);
                            }
                        }
                }
    }

    @Test
    void binaryOpsMatchTheGenericPathExactly() {
        SplittableRandom r = new SplittableRandom(2);
        for (DType t : FLOATS)
            for (BinaryOp op : BINARY)
                for (int n : new int[]{1, 16, 31, 1025, 70_001}) {
                    long rows = n > 100 ? 5 : 1, cols = Math.max(1, n / rows);
                    List<View> as = views(t, rows, cols, true), bs = views(t, rows, cols, true), os = views(t, rows, cols, false);
                    for (int va = 0; va < as.size(); va++)
                        for (int vb = 0; vb < bs.size(); vb++) {
                            if (n > 5000 && !(va == vb || vb == 5)) continue; // large: the parallel paths, a few layouts
                            View a = as.get(va), b = bs.get(vb), out = os.get((va + vb) % os.size());
                            randomize(a.s, r, 10, true);
                            randomize(b.s, r, 10, true);
                            CPU.execute(KernelCalls.of(op, out.s, new Strided[]{a.s, b.s}));
                            double[] x = values(a.s), y = values(b.s), got = values(out.s), want = new double[x.length];
                            BinaryKernels.generic(op, x, y, want, x.length);
                            for (int i = 0; i < x.length; i++) {
                                double w = Access.roundTo(t, want[i]);
                                if (Double.compare(got[i], w) != 0)
                                    fail(op + " " + t + " " + a.name + "," + b.name + "->" + out.name + " at " + i + ": " + x[i] + ", " + y[i]
                                            + " got " + got[i] + " want " + w);
                            }
                        }
                }
    }

    @Test
    void comparisonsAndWhereMatchTheGenericPath() {
        SplittableRandom r = new SplittableRandom(12);
        for (DType t : FLOATS)
            for (int n : new int[]{1, 17, 100, 70_001}) {
                for (BinaryOp op : BinaryKernels.COMPARISONS)
                    for (View b : views(t, 1, n, true)) {
                        Strided a = contiguous(t, 1, n);
                        randomize(a, r, 3, true);
                        randomize(b.s, r, 3, true);
                        // equal values too, so that EQ/LE/GE see both outcomes
                        if (b.s.isContiguous()) Access.storeDouble(new Strided(a.storage(), t, new long[]{n / 2}, new long[]{1}, 0), 0, n / 2, values(new Strided(b.s.storage(), t, new long[]{n / 2}, new long[]{1}, b.s.offset())));
                        Strided out = contiguous(DType.bool, 1, n);
                        CPU.execute(KernelCalls.of(op, out, new Strided[]{a, b.s}));
                        double[] x = values(a), y = values(b.s), got = values(out), want = new double[n];
                        BinaryKernels.generic(op, x, y, want, n);
                        for (int i = 0; i < n; i++)
                            if (got[i] != want[i]) fail(op + " " + t + " " + b.name + " at " + i + ": " + x[i] + " vs " + y[i] + " got " + got[i]);
                    }
                for (View a : views(t, 1, n, true))
                    for (View b : views(t, 1, n, true)) {
                        if (n > 5000 && !a.name.equals(b.name)) continue;
                        Strided c = contiguous(DType.bool, 1, n), out = contiguous(t, 1, n);
                        randomize(c, r, 1, false);
                        randomize(a.s, r, 3, true);
                        randomize(b.s, r, 3, true);
                        CPU.execute(KernelCalls.of(TernaryOp.WHERE, out, new Strided[]{c, a.s, b.s}));
                        double[] cv = values(c), x = values(a.s), y = values(b.s), got = values(out);
                        for (int i = 0; i < n; i++) {
                            double w = cv[i] != 0 ? x[i] : y[i];
                            if (Double.compare(got[i], w) != 0) fail("where " + t + " " + a.name + "," + b.name + " at " + i + ": got " + got[i] + " want " + w);
                        }
                    }
            }
    }

    @Test
    void rowIndexingMatchesTheGenericGather() {
        SplittableRandom r = new SplittableRandom(14);
        for (DType t : new DType[]{DType.float32, DType.float64, DType.int64, DType.int32, DType.bool})
            for (int[] dims : new int[][]{{1, 50, 8, 3}, {1, 1000, 33, 5000}, {4, 20, 16, 7}, {3, 9, 64, 900}}) {
                int a = dims[0], v = dims[1], d = dims[2], b = dims[3];
                // src (a, v, d) indexed along dim 1 by idx (b,): out (a, b, d)
                Strided src = contiguous(t, a, v, d);
                randomize(src, r, 100, false);
                long[] idx = new long[b];
                for (int i = 0; i < b; i++) idx[i] = r.nextInt(2 * v) - v; // negative ones too
                Strided ix = new Strided(new ArrayStorage(idx, DType.int64), DType.int64, new long[]{a, b, d}, new long[]{0, 1, 0}, 0);
                Strided view = new Strided(src.storage(), t, new long[]{a, b, d}, new long[]{(long) v * d, 0, 1}, 0);
                Strided fast = contiguous(t, a, b, d), slow = contiguous(t, a, b, d);
                long[] strides = {d}, sizes = {v};
                CPU.execute(KernelCalls.of(IndexOp.INDEX, fast, new Strided[]{view, ix}, strides, sizes));
                IndexKernels.index(slow, new Strided[]{view, ix}, strides, sizes);
                double[] got = values(fast), want = values(slow);
                for (int i = 0; i < got.length; i++) if (Double.compare(got[i], want[i]) != 0) fail("index " + t + " at " + i);
                idx[b / 2] = v; // out of bounds: the generic path's message
                String msg = null;
                try {
                    IndexKernels.index(slow, new Strided[]{view, ix}, strides, sizes);
                } catch (IndexOutOfBoundsException e) {
                    msg = e.getMessage();
                }
                String m2 = null;
                try {
                    CPU.execute(KernelCalls.of(IndexOp.INDEX, fast, new Strided[]{view, ix}, strides, sizes));
                } catch (IndexOutOfBoundsException e) {
                    m2 = e.getMessage();
                }
                assertEquals(msg, m2);
            }
    }

    @Test
    void squareByPowIsExact() {
        SplittableRandom r = new SplittableRandom(13);
        for (DType t : FLOATS) {
            Strided a = contiguous(t, 1000), two = tensor(t, new long[]{1000}, new long[]{0}, 0, 1), out = contiguous(t, 1000);
            Access.storeDouble(two, 0, 1, new double[]{2});
            randomize(a, r, 1e5, true);
            CPU.execute(KernelCalls.of(BinaryOp.POW, out, new Strided[]{a, two}));
            double[] x = values(a), got = values(out), want = new double[1000], twos = new double[1000];
            java.util.Arrays.fill(twos, 2);
            BinaryKernels.generic(BinaryOp.POW, x, twos, want, 1000);
            for (int i = 0; i < 1000; i++) assertEquals(Access.roundTo(t, want[i]), got[i], 0.0, t + " " + x[i]);
        }
    }

    /** The unary ops with a loop of their own in ScalarKernels and VectorKernels. */
    private static EnumSet<UnaryOp> specialized() {
        EnumSet<UnaryOp> ops = EnumSet.copyOf(UnaryKernels.LANE_LOOPS);
        ops.addAll(UnaryKernels.LIBM);
        return ops;
    }

    /** A value no op here computes from the inputs below: an op of a set that its switch forgot leaves it in place. */
    private static final float UNTOUCHED = 12345.5f;

    /**
     * Every op in a fast path's set is handled by that fast path's own switch (a set member its switch does not list
     * would leave the output untouched) and gives the generic loop's value: bit for bit for the lane loops of binary
     * ops and comparisons, within the unary ops' documented tolerance (4 float32 ulps, 2 float64 ulps).
     */
    @Test
    void everyOpOfEachFastPathSetIsHandledByItsKernels() {
        SplittableRandom r = new SplittableRandom(16);
        int n = 203; // whole vectors and a tail at any lane count
        float[] a = new float[n], b = new float[n];
        double[] ad = new double[n], bd = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 1.8 + 0.05); // inside every op's domain (sqrt, log, reciprocal, ...)
            b[i] = i % 7 == 0 ? a[i] : (float) (r.nextDouble() * 1.8 + 0.05);
            ad[i] = a[i];
            bd[i] = b[i];
        }
        List<String> vectors = Simd.AVAILABLE ? List.of("scalar", "vector") : List.of("scalar");
        for (String kind : vectors) {
            boolean vector = kind.equals("vector");
            for (UnaryOp op : specialized()) {
                double[] want = new double[n];
                UnaryKernels.generic(op, DType.float64, ad, want, n);
                float[] y = new float[n];
                double[] yd = new double[n];
                java.util.Arrays.fill(y, UNTOUCHED);
                java.util.Arrays.fill(yd, UNTOUCHED);
                if (vector) { VectorKernels.unary(op, a, 0, y, 0, n); VectorKernels.unary(op, ad, 0, yd, 0, n); }
                else { ScalarKernels.unary(op, a, 0, y, 0, n); ScalarKernels.unary(op, ad, 0, yd, 0, n); }
                for (int i = 0; i < n; i++) {
                    assertTrue(close(DType.float32, y[i], (float) want[i], 4, 1e-37), kind + " " + op + " float at " + i + ": " + y[i] + " want " + (float) want[i]);
                    assertTrue(close(DType.float64, yd[i], want[i], 2, 1e-300), kind + " " + op + " double at " + i + ": " + yd[i] + " want " + want[i]);
                }
            }
            for (BinaryOp op : BinaryKernels.LANE_LOOPS) {
                double[] want = new double[n];
                BinaryKernels.generic(op, ad, bd, want, n);
                float[] y = new float[n];
                double[] yd = new double[n];
                java.util.Arrays.fill(y, UNTOUCHED);
                java.util.Arrays.fill(yd, UNTOUCHED);
                if (vector) { VectorKernels.binary(op, a, 0, b, 0, y, 0, n); VectorKernels.binary(op, ad, 0, bd, 0, yd, 0, n); }
                else { ScalarKernels.binary(op, a, 0, b, 0, y, 0, n); ScalarKernels.binary(op, ad, 0, bd, 0, yd, 0, n); }
                for (int i = 0; i < n; i++) {
                    assertEquals((float) want[i], y[i], kind + " " + op + " float at " + i);
                    assertEquals(want[i], yd[i], kind + " " + op + " double at " + i);
                }
            }
            for (BinaryOp op : BinaryKernels.COMPARISONS) {
                double[] want = new double[n];
                BinaryKernels.generic(op, ad, bd, want, n);
                boolean[] y = new boolean[n], yd = new boolean[n];
                if (vector) { VectorKernels.compare(op, a, 0, b, 0, 0, y, 0, n); VectorKernels.compare(op, ad, 0, bd, 0, 0, yd, 0, n); }
                else { ScalarKernels.compare(op, a, 0, b, 0, 0, y, 0, n); ScalarKernels.compare(op, ad, 0, bd, 0, 0, yd, 0, n); }
                for (int i = 0; i < n; i++) {
                    assertEquals(want[i] != 0, y[i], kind + " " + op + " float at " + i);
                    assertEquals(want[i] != 0, yd[i], kind + " " + op + " double at " + i);
                }
            }
        }
        if (Simd.AVAILABLE)
            for (BinaryOp op : BinaryKernels.SCALAR_RIGHT) {
                float s = op == BinaryOp.POW ? 2 : 0.75f; // POW is specialized for the square only
                double[] sv = new double[n], want = new double[n];
                java.util.Arrays.fill(sv, s);
                BinaryKernels.generic(op, ad, sv, want, n);
                float[] y = new float[n];
                double[] yd = new double[n];
                java.util.Arrays.fill(y, UNTOUCHED);
                java.util.Arrays.fill(yd, UNTOUCHED);
                assertTrue(VectorKernels.binaryScalarRight(op, a, 0, s, y, 0, n), op + " float not taken");
                assertTrue(VectorKernels.binaryScalarRight(op, ad, 0, s, yd, 0, n), op + " double not taken");
                for (int i = 0; i < n; i++) {
                    assertEquals((float) want[i], y[i], op + " scalar-right float at " + i);
                    assertEquals(want[i], yd[i], op + " scalar-right double at " + i);
                }
            }
    }

    @Test
    void vectorAndScalarKernelsAgreeOnTails() {
        assumeTrue(Simd.AVAILABLE, "no Vector API SIMD on this JVM: only the scalar kernels run");
        SplittableRandom r = new SplittableRandom(3);
        for (int n : SIZES) {
            if (n > 5000) continue;
            float[] a = new float[n + 3], b = new float[n + 3], v = new float[n + 3], s = new float[n + 3];
            double[] ad = new double[n + 3], bd = new double[n + 3], vd = new double[n + 3], sd = new double[n + 3];
            for (int i = 0; i < n + 3; i++) {
                a[i] = (float) (r.nextDouble() * 6 - 3);
                b[i] = (float) (r.nextDouble() * 6 - 3);
                ad[i] = a[i];
                bd[i] = b[i];
            }
            for (BinaryOp op : BinaryKernels.LANE_LOOPS) {
                VectorKernels.binary(op, a, 1, b, 2, v, 3, n);
                ScalarKernels.binary(op, a, 1, b, 2, s, 3, n);
                for (int i = 0; i < n + 3; i++) assertEquals(s[i], v[i], op + " float n=" + n);
                VectorKernels.binary(op, ad, 1, bd, 2, vd, 3, n);
                ScalarKernels.binary(op, ad, 1, bd, 2, sd, 3, n);
                for (int i = 0; i < n + 3; i++) assertEquals(sd[i], vd[i], op + " double n=" + n);
            }
            for (UnaryOp op : specialized()) {
                VectorKernels.unary(op, a, 1, v, 2, n);
                ScalarKernels.unary(op, a, 1, s, 2, n);
                for (int i = 2; i < n + 2; i++)
                    assertTrue(close(DType.float32, v[i], s[i], 4, 1e-37), op + " float n=" + n + " at " + i + ": " + v[i] + " vs " + s[i]);
                VectorKernels.unary(op, ad, 1, vd, 2, n);
                ScalarKernels.unary(op, ad, 1, sd, 2, n);
                for (int i = 2; i < n + 2; i++)
                    assertTrue(close(DType.float64, vd[i], sd[i], 2, 1e-300), op + " double n=" + n + " at " + i + ": " + vd[i] + " vs " + sd[i]);
            }
            double exact = 0;
            for (int i = 1; i <= n; i++) exact += a[i];
            assertEquals(exact, VectorKernels.sum(a, 1, n), 1e-5 * n, "float sum n=" + n);
            assertEquals(exact, ScalarKernels.blockSum(a, 1, n), 1e-5 * n, "float sum n=" + n);
            assertEquals(ScalarKernels.blockSum(ad, 1, Math.min(n, ScalarKernels.SUM_BLOCK)), VectorKernels.blockSum(ad, 1, Math.min(n, ScalarKernels.SUM_BLOCK)), 1e-9);
            for (boolean max : new boolean[]{true, false}) {
                assertEquals(ScalarKernels.extreme(max, a, 1, n), VectorKernels.extreme(max, a, 1, n));
                assertEquals(ScalarKernels.extreme(max, ad, 1, n), VectorKernels.extreme(max, ad, 1, n));
            }
        }
    }

    @Test
    void extremesPropagateNaNAndOrderSignedZeros() {
        float[] x = new float[100];
        java.util.Arrays.fill(x, -0.0f);
        x[57] = 0.0f;
        assertEquals(0.0f, ReduceKernels.reduceRun(ReduceOp.AMAX, true, x, 0, 100, false));
        assertEquals(-0.0f, (float) ReduceKernels.reduceRun(ReduceOp.AMIN, true, x, 0, 100, false));
        x[63] = Float.NaN;
        assertTrue(Double.isNaN(ReduceKernels.reduceRun(ReduceOp.AMAX, true, x, 0, 100, false)));
        assertTrue(Double.isNaN(ReduceKernels.reduceRun(ReduceOp.AMIN, true, x, 0, 100, false)));
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void reductionsMatchTheGenericPath() {
        SplittableRandom r = new SplittableRandom(4);
        long[][] shapes = {{1}, {17}, {1000}, {70_001}, {3, 5}, {33, 17}, {4, 300}, {300, 40}, {2, 3, 65}, {5, 1, 37}, {6, 7, 8, 9}};
        for (DType t : FLOATS)
            for (long[] shape : shapes)
                for (int mask = 1; mask < (1 << shape.length); mask++)
                    for (boolean transposed : new boolean[]{false, true})
                        for (ReduceOp op : ReduceKernels.FAST) {
                            Strided in = contiguous(t, shape);
                            if (transposed && shape.length >= 2) { // reverse the dims: a non-contiguous view of the same storage
                                long[] sh = new long[shape.length], st = new long[shape.length];
                                for (int d = 0; d < shape.length; d++) {
                                    sh[d] = shape[shape.length - 1 - d];
                                    st[d] = in.stride()[shape.length - 1 - d];
                                }
                                in = new Strided(in.storage(), t, sh, st, 0);
                            }
                            randomize(in, r, 100, false);
                            long[] keep = in.shape().clone();
                            for (int d = 0; d < keep.length; d++) if ((mask & (1 << d)) != 0) keep[d] = 1;
                            Strided fast = contiguous(t, keep), slow = contiguous(t, keep);
                            CPU.execute(KernelCalls.of(op, fast, new Strided[]{in}));
                            ReduceKernels.reduce(op, slow, in);
                            double[] got = values(fast), want = values(slow);
                            long m = in.numel() / Math.max(1, fast.numel());
                            for (int i = 0; i < got.length; i++) {
                                double tol = op == ReduceOp.AMAX || op == ReduceOp.AMIN ? 0
                                        : (t == DType.float32 ? 2e-6 : 1e-13) * 100 * Math.sqrt(m) + (t == DType.float32 ? Math.ulp((float) want[i]) : 0);
                                if (op == ReduceOp.MEAN) tol /= m;
                                if (Math.abs(got[i] - want[i]) > tol)
                                    fail(op + " " + t + " " + java.util.Arrays.toString(in.shape()) + " mask " + mask + (transposed ? " transposed" : "")
                                            + " at " + i + ": got " + got[i] + " want " + want[i]);
                            }
                        }
    }

    @Test
    void largeSumIsAccurate() {
        // 1M copies of 0.1f: naive float accumulation drifts by percents; blocked pairwise stays within a few float ulps (PyTorch: 0.016 off)
        int n = 1 << 20;
        float[] x = new float[n];
        java.util.Arrays.fill(x, 0.1f);
        Strided in = new Strided(new ArrayStorage(x, DType.float32), DType.float32, new long[]{n}, new long[]{1}, 0);
        Strided out = contiguous(DType.float32, 1);
        CPU.execute(KernelCalls.of(ReduceOp.SUM, out, new Strided[]{in}));
        assertEquals((double) 0.1f * n, values(out)[0], 0.03);
    }

    // ---------------------------------------------------------------- copy and fill

    @Test
    void copiesMatchElementwiseReads() {
        SplittableRandom r = new SplittableRandom(5);
        DType[] all = DType.values();
        for (DType src : all)
            for (DType dst : all) {
                if (src != dst && !(src.isFloatingPoint() && dst.isFloatingPoint())) continue;
                for (int n : new int[]{1, 33, 4097, 70_001}) {
                    long rows = n > 100 ? 9 : 1, cols = Math.max(1, n / rows);
                    for (View in : views(src, rows, cols, true))
                        for (View out : views(dst, rows, cols, false)) {
                            randomize(in.s, r, 100, false);
                            CPU.execute(KernelCalls.of(MemoryOp.COPY, out.s, new Strided[]{in.s}));
                            double[] x = values(in.s), got = values(out.s);
                            for (int i = 0; i < x.length; i++) {
                                double w = dst.isFloatingPoint() ? Access.roundTo(dst, x[i]) : x[i];
                                if (Double.compare(got[i], w) != 0)
                                    fail("copy " + src + "->" + dst + " " + in.name + "->" + out.name + " at " + i + ": got " + got[i] + " want " + w);
                            }
                        }
                }
            }
    }

    @Test
    void transposedCopiesGoThroughTiles() {
        SplittableRandom r = new SplittableRandom(15);
        for (DType t : new DType[]{DType.float32, DType.float64, DType.int32, DType.int64})
            for (int[] rc : new int[][]{{16, 16}, {17, 33}, {300, 257}, {1024, 1000}}) {
                int rows = rc[0], cols = rc[1];
                Strided src = contiguous(t, cols, rows);
                randomize(src, r, 100, false);
                Strided in = new Strided(src.storage(), t, new long[]{rows, cols}, new long[]{1, rows}, 0); // src.t()
                Strided out = tensor(t, new long[]{rows, cols}, new long[]{cols + 3, 1}, 5, rows * (cols + 3) + 5); // padded rows
                CPU.execute(KernelCalls.of(MemoryOp.COPY, out, new Strided[]{in}));
                double[] x = values(in), got = values(out);
                for (int i = 0; i < x.length; i++) if (Double.compare(got[i], x[i]) != 0) fail("transpose " + t + " " + rows + "x" + cols + " at " + i);
            }
    }

    @Test
    void fillsConvertLikeTheGenericPath() {
        for (DType t : new DType[]{DType.float32, DType.float64, DType.int32, DType.int64})
            for (Number v : new Number[]{1.7, -2.5, 3L, 1e10, Double.NaN, 0.1f})
                for (int n : new int[]{1, 100, 300_000}) {
                    if (!t.isFloatingPoint() && v instanceof Double d && (d.isNaN() || Math.abs(d) > 1e9)) continue;
                    Strided out = tensor(t, new long[]{n}, new long[]{1}, 2, n + 4);
                    CPU.execute(KernelCalls.of(MemoryOp.FILL, out, new Strided[0], v));
                    double[] got = values(out);
                    double want = t.isFloatingPoint() ? Access.roundTo(t, v.doubleValue()) : (t == DType.int32 ? (int) v.longValue() : v.longValue());
                    for (double g : got) assertEquals(want, g, 0.0, t + " " + v);
                    double[] all = values(new Strided(out.storage(), t, new long[]{n + 4}, new long[]{1}, 0));
                    assertEquals(0.0, all[0]);
                    assertEquals(0.0, all[n + 3]);
                }
    }
}
