package dev.jtorch.backend.cpu;

import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels over contiguous float[] / double[] ranges. Only reached when
 * {@link Simd#AVAILABLE}; the same entry points exist in plain Java in {@link ScalarKernels},
 * which these fall back to for the ops outside their kind's set ({@link UnaryKernels#LANE_LOOPS},
 * {@link BinaryKernels#LANE_LOOPS}, ...): each switch lists only the ops of its set.
 *
 * <p>Every loop names its lane operation as a constant (a non-constant operator would not be
 * intrinsified), and handles the tail that does not fill a vector with scalar code.
 */
final class VectorKernels {
    private VectorKernels() {}

    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();

    static String describe() { return FS.vectorBitSize() + "-bit vectors"; }

    // ================================================================ binary

    /** o = fma(alpha, b, a): one rounding, as PyTorch's vectorized add with alpha (vec::fmadd). */
    static void fma(float[] a, int ao, float[] b, int bo, float alpha, float[] o, int oo, int n) {
        int i = 0, up = FS.loopBound(n);
        FloatVector av = FloatVector.broadcast(FS, alpha);
        for (; i < up; i += FL) FloatVector.fromArray(FS, b, bo + i).fma(av, FloatVector.fromArray(FS, a, ao + i)).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] = Math.fma(alpha, b[bo + i], a[ao + i]);
    }

    static void fma(double[] a, int ao, double[] b, int bo, double alpha, double[] o, int oo, int n) {
        int i = 0, up = DS.loopBound(n);
        DoubleVector av = DoubleVector.broadcast(DS, alpha);
        for (; i < up; i += DL) DoubleVector.fromArray(DS, b, bo + i).fma(av, DoubleVector.fromArray(DS, a, ao + i)).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] = Math.fma(alpha, b[bo + i], a[ao + i]);
    }

    static void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        if (!BinaryKernels.LANE_LOOPS.contains(op)) { ScalarKernels.binary(op, a, ao, b, bo, o, oo, n); return; }
        int i = 0, up = FS.loopBound(n);
        switch (op) { // BinaryKernels.LANE_LOOPS
            case ADD -> {
                for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).add(FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
            }
            case SUB -> {
                for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).sub(FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
            }
            case MUL -> {
                for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).mul(FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
            }
            case DIV -> {
                for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).div(FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
            }
            case MAXIMUM -> {
                for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).lanewise(VectorOperators.MAX, FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]);
            }
            case MINIMUM -> {
                for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).lanewise(VectorOperators.MIN, FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]);
            }
        }
    }

    static void binary(BinaryOp op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
        if (!BinaryKernels.LANE_LOOPS.contains(op)) { ScalarKernels.binary(op, a, ao, b, bo, o, oo, n); return; }
        int i = 0, up = DS.loopBound(n);
        switch (op) { // BinaryKernels.LANE_LOOPS
            case ADD -> {
                for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).add(DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
            }
            case SUB -> {
                for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).sub(DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
            }
            case MUL -> {
                for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).mul(DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
            }
            case DIV -> {
                for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).div(DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
            }
            case MAXIMUM -> {
                for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).lanewise(VectorOperators.MAX, DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]);
            }
            case MINIMUM -> {
                for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).lanewise(VectorOperators.MIN, DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]);
            }
        }
    }

    /** o = a (op) s for a scalar s: ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, and POW when s is 2; false for anything else. */
    static boolean binaryScalarRight(BinaryOp op, float[] a, int ao, float s, float[] o, int oo, int n) {
        if (!BinaryKernels.SCALAR_RIGHT.contains(op)) return false;
        int i = 0, up = FS.loopBound(n);
        FloatVector sv = FloatVector.broadcast(FS, s);
        switch (op) { // BinaryKernels.SCALAR_RIGHT
            case ADD -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).add(sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = a[ao + i] + s; }
            case SUB -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).sub(sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = a[ao + i] - s; }
            case MUL -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).mul(sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = a[ao + i] * s; }
            case DIV -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).div(sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = a[ao + i] / s; }
            case MAXIMUM -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).lanewise(VectorOperators.MAX, sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = Math.max(a[ao + i], s); }
            case MINIMUM -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).lanewise(VectorOperators.MIN, sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = Math.min(a[ao + i], s); }
            case POW -> { // only x ** 2, which is x * x exactly as pow computes it
                if (s != 2) return false;
                for (; i < up; i += FL) { FloatVector v = FloatVector.fromArray(FS, a, ao + i); v.mul(v).intoArray(o, oo + i); }
                for (; i < n; i++) o[oo + i] = a[ao + i] * a[ao + i];
            }
        }
        return true;
    }

    static boolean binaryScalarRight(BinaryOp op, double[] a, int ao, double s, double[] o, int oo, int n) {
        if (!BinaryKernels.SCALAR_RIGHT.contains(op)) return false;
        int i = 0, up = DS.loopBound(n);
        DoubleVector sv = DoubleVector.broadcast(DS, s);
        switch (op) { // BinaryKernels.SCALAR_RIGHT
            case ADD -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).add(sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = a[ao + i] + s; }
            case SUB -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).sub(sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = a[ao + i] - s; }
            case MUL -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).mul(sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = a[ao + i] * s; }
            case DIV -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).div(sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = a[ao + i] / s; }
            case MAXIMUM -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).lanewise(VectorOperators.MAX, sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = Math.max(a[ao + i], s); }
            case MINIMUM -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).lanewise(VectorOperators.MIN, sv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = Math.min(a[ao + i], s); }
            case POW -> {
                if (s != 2) return false;
                for (; i < up; i += DL) { DoubleVector v = DoubleVector.fromArray(DS, a, ao + i); v.mul(v).intoArray(o, oo + i); }
                for (; i < n; i++) o[oo + i] = a[ao + i] * a[ao + i];
            }
        }
        return true;
    }

    // ================================================================ comparisons and where

    /** o = a (cmp) b (or a (cmp) s when b is null) into bool, for EQ, NE, LT, LE, GT, GE. */
    static void compare(BinaryOp op, float[] a, int ao, float[] b, int bo, float s, boolean[] o, int oo, int n) {
        if (!BinaryKernels.COMPARISONS.contains(op)) throw new IllegalArgumentException(op.name());
        int i = 0, up = FS.loopBound(n);
        FloatVector sv = FloatVector.broadcast(FS, s);
        switch (op) { // BinaryKernels.COMPARISONS, one loop per constant comparison, so that each is intrinsified
            case EQ -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).compare(VectorOperators.EQ, b == null ? sv : FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i); }
            case NE -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).compare(VectorOperators.NE, b == null ? sv : FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i); }
            case LT -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).compare(VectorOperators.LT, b == null ? sv : FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i); }
            case LE -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).compare(VectorOperators.LE, b == null ? sv : FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i); }
            case GT -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).compare(VectorOperators.GT, b == null ? sv : FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i); }
            case GE -> { for (; i < up; i += FL) FloatVector.fromArray(FS, a, ao + i).compare(VectorOperators.GE, b == null ? sv : FloatVector.fromArray(FS, b, bo + i)).intoArray(o, oo + i); }
        }
        if (i < n) ScalarKernels.compare(op, a, ao + i, b, bo + i, s, o, oo + i, n - i);
    }

    static void compare(BinaryOp op, double[] a, int ao, double[] b, int bo, double s, boolean[] o, int oo, int n) {
        if (!BinaryKernels.COMPARISONS.contains(op)) throw new IllegalArgumentException(op.name());
        int i = 0, up = DS.loopBound(n);
        DoubleVector sv = DoubleVector.broadcast(DS, s);
        switch (op) { // BinaryKernels.COMPARISONS
            case EQ -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).compare(VectorOperators.EQ, b == null ? sv : DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i); }
            case NE -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).compare(VectorOperators.NE, b == null ? sv : DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i); }
            case LT -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).compare(VectorOperators.LT, b == null ? sv : DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i); }
            case LE -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).compare(VectorOperators.LE, b == null ? sv : DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i); }
            case GT -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).compare(VectorOperators.GT, b == null ? sv : DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i); }
            case GE -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, a, ao + i).compare(VectorOperators.GE, b == null ? sv : DoubleVector.fromArray(DS, b, bo + i)).intoArray(o, oo + i); }
        }
        if (i < n) ScalarKernels.compare(op, a, ao + i, b, bo + i, s, o, oo + i, n - i);
    }

    /** o = c ? a : b; a null a or b stands for the scalar sa or sb. */
    static void where(boolean[] c, int co, float[] a, int ao, float sa, float[] b, int bo, float sb, float[] o, int oo, int n) {
        int i = 0, up = FS.loopBound(n);
        FloatVector va = FloatVector.broadcast(FS, sa), vb = FloatVector.broadcast(FS, sb);
        for (; i < up; i += FL) {
            VectorMask<Float> m = VectorMask.fromArray(FS, c, co + i);
            FloatVector x = a == null ? va : FloatVector.fromArray(FS, a, ao + i), y = b == null ? vb : FloatVector.fromArray(FS, b, bo + i);
            y.blend(x, m).intoArray(o, oo + i);
        }
        if (i < n) ScalarKernels.where(c, co + i, a, ao + i, sa, b, bo + i, sb, o, oo + i, n - i);
    }

    static void where(boolean[] c, int co, double[] a, int ao, double sa, double[] b, int bo, double sb, double[] o, int oo, int n) {
        int i = 0, up = DS.loopBound(n);
        DoubleVector va = DoubleVector.broadcast(DS, sa), vb = DoubleVector.broadcast(DS, sb);
        for (; i < up; i += DL) {
            VectorMask<Double> m = VectorMask.fromArray(DS, c, co + i);
            DoubleVector x = a == null ? va : DoubleVector.fromArray(DS, a, ao + i), y = b == null ? vb : DoubleVector.fromArray(DS, b, bo + i);
            y.blend(x, m).intoArray(o, oo + i);
        }
        if (i < n) ScalarKernels.where(c, co + i, a, ao + i, sa, b, bo + i, sb, o, oo + i, n - i);
    }

    // ================================================================ unary

    static void unary(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
        if (UnaryKernels.LIBM.contains(op)) { FloatVectorMath.unary(op, x, xo, y, yo, n); return; }
        if (!UnaryKernels.LANE_LOOPS.contains(op)) { ScalarKernels.unary(op, x, xo, y, yo, n); return; }
        int i = 0, up = FS.loopBound(n);
        switch (op) { // UnaryKernels.LANE_LOOPS
            case NEG -> { for (; i < up; i += FL) FloatVector.fromArray(FS, x, xo + i).neg().intoArray(y, yo + i); for (; i < n; i++) y[yo + i] = -x[xo + i]; }
            case ABS -> { for (; i < up; i += FL) FloatVector.fromArray(FS, x, xo + i).abs().intoArray(y, yo + i); for (; i < n; i++) y[yo + i] = Math.abs(x[xo + i]); }
            case SQRT -> { for (; i < up; i += FL) FloatVector.fromArray(FS, x, xo + i).sqrt().intoArray(y, yo + i); for (; i < n; i++) y[yo + i] = (float) Math.sqrt(x[xo + i]); }
            case RECIPROCAL -> {
                FloatVector one = FloatVector.broadcast(FS, 1f);
                for (; i < up; i += FL) one.div(FloatVector.fromArray(FS, x, xo + i)).intoArray(y, yo + i);
                for (; i < n; i++) y[yo + i] = 1f / x[xo + i];
            }
        }
    }

    static void unary(UnaryOp op, double[] x, int xo, double[] y, int yo, int n) {
        if (UnaryKernels.LIBM.contains(op)) { VectorMath.unary(op, x, xo, y, yo, n); return; }
        if (!UnaryKernels.LANE_LOOPS.contains(op)) { ScalarKernels.unary(op, x, xo, y, yo, n); return; }
        int i = 0, up = DS.loopBound(n);
        switch (op) { // UnaryKernels.LANE_LOOPS
            case NEG -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, x, xo + i).neg().intoArray(y, yo + i); for (; i < n; i++) y[yo + i] = -x[xo + i]; }
            case ABS -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, x, xo + i).abs().intoArray(y, yo + i); for (; i < n; i++) y[yo + i] = Math.abs(x[xo + i]); }
            case SQRT -> { for (; i < up; i += DL) DoubleVector.fromArray(DS, x, xo + i).sqrt().intoArray(y, yo + i); for (; i < n; i++) y[yo + i] = Math.sqrt(x[xo + i]); }
            case RECIPROCAL -> {
                DoubleVector one = DoubleVector.broadcast(DS, 1.0);
                for (; i < up; i += DL) one.div(DoubleVector.fromArray(DS, x, xo + i)).intoArray(y, yo + i);
                for (; i < n; i++) y[yo + i] = 1.0 / x[xo + i];
            }
        }
    }

    // ================================================================ reductions

    /** Sums lanes in index order, so a block's sum does not depend on whether the code is interpreted or compiled. */
    private static double laneSum(float[] lanes) {
        float r = 0;
        for (float v : lanes) r += v;
        return r;
    }

    private static double laneSum(double[] lanes) {
        double r = 0;
        for (double v : lanes) r += v;
        return r;
    }

    /**
     * Sum of a float run, cascaded: blocks of {@link ScalarKernels#SUM_BLOCK} elements go through eight
     * float vector accumulators (each lane adds SUM_BLOCK / (8 * lanes) values), the eight are added as a
     * tree, and the block's vector is widened and added into double vector accumulators. The error is that
     * of a few dozen float additions, however long the run (PyTorch's cascade sum is comparable).
     */
    static double sum(float[] x, int off, int n) {
        int block = ScalarKernels.SUM_BLOCK, step = 8 * FL;
        DoubleVector d0 = DoubleVector.zero(DS), d1 = d0;
        boolean wide = FL == 2 * DL; // the float vector widens into exactly two double vectors
        double scalar = 0;
        int i = 0;
        for (; i + block <= n; i += block) {
            FloatVector s0 = FloatVector.zero(FS), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            for (int j = i; j < i + block; j += step) {
                s0 = s0.add(FloatVector.fromArray(FS, x, off + j));
                s1 = s1.add(FloatVector.fromArray(FS, x, off + j + FL));
                s2 = s2.add(FloatVector.fromArray(FS, x, off + j + 2 * FL));
                s3 = s3.add(FloatVector.fromArray(FS, x, off + j + 3 * FL));
                s4 = s4.add(FloatVector.fromArray(FS, x, off + j + 4 * FL));
                s5 = s5.add(FloatVector.fromArray(FS, x, off + j + 5 * FL));
                s6 = s6.add(FloatVector.fromArray(FS, x, off + j + 6 * FL));
                s7 = s7.add(FloatVector.fromArray(FS, x, off + j + 7 * FL));
            }
            FloatVector v = s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7)));
            if (wide) {
                d0 = d0.add(v.convertShape(VectorOperators.F2D, DS, 0));
                d1 = d1.add(v.convertShape(VectorOperators.F2D, DS, 1));
            } else {
                scalar += v.reduceLanes(VectorOperators.ADD);
            }
        }
        double r = d0.add(d1).reduceLanes(VectorOperators.ADD) + scalar;
        if (i < n) r += ScalarKernels.blockSum(x, off + i, n - i);
        return r;
    }

    /** Sum of one block of at most {@link ScalarKernels#SUM_BLOCK} doubles (blocks are then combined pairwise). */
    static double blockSum(double[] x, int off, int n) {
        int i = 0, step = 8 * DL, up = n - n % step;
        DoubleVector s0 = DoubleVector.zero(DS), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        for (; i < up; i += step) {
            s0 = s0.add(DoubleVector.fromArray(DS, x, off + i));
            s1 = s1.add(DoubleVector.fromArray(DS, x, off + i + DL));
            s2 = s2.add(DoubleVector.fromArray(DS, x, off + i + 2 * DL));
            s3 = s3.add(DoubleVector.fromArray(DS, x, off + i + 3 * DL));
            s4 = s4.add(DoubleVector.fromArray(DS, x, off + i + 4 * DL));
            s5 = s5.add(DoubleVector.fromArray(DS, x, off + i + 5 * DL));
            s6 = s6.add(DoubleVector.fromArray(DS, x, off + i + 6 * DL));
            s7 = s7.add(DoubleVector.fromArray(DS, x, off + i + 7 * DL));
        }
        double r = s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7))).reduceLanes(VectorOperators.ADD);
        double t = 0;
        for (; i < n; i++) t += x[off + i];
        return r + t;
    }

    /** max (or min) with NaN propagating, as Math.max; n >= 1. */
    static float extreme(boolean max, float[] x, int off, int n) {
        int i = 0, step = 4 * FL;
        float r = x[off];
        if (n >= step) {
            FloatVector a0 = FloatVector.fromArray(FS, x, off), a1 = FloatVector.fromArray(FS, x, off + FL);
            FloatVector a2 = FloatVector.fromArray(FS, x, off + 2 * FL), a3 = FloatVector.fromArray(FS, x, off + 3 * FL);
            int up = n - n % step;
            if (max) {
                for (i = step; i < up; i += step) {
                    a0 = a0.lanewise(VectorOperators.MAX, FloatVector.fromArray(FS, x, off + i));
                    a1 = a1.lanewise(VectorOperators.MAX, FloatVector.fromArray(FS, x, off + i + FL));
                    a2 = a2.lanewise(VectorOperators.MAX, FloatVector.fromArray(FS, x, off + i + 2 * FL));
                    a3 = a3.lanewise(VectorOperators.MAX, FloatVector.fromArray(FS, x, off + i + 3 * FL));
                }
                r = a0.lanewise(VectorOperators.MAX, a1).lanewise(VectorOperators.MAX, a2.lanewise(VectorOperators.MAX, a3)).reduceLanes(VectorOperators.MAX);
            } else {
                for (i = step; i < up; i += step) {
                    a0 = a0.lanewise(VectorOperators.MIN, FloatVector.fromArray(FS, x, off + i));
                    a1 = a1.lanewise(VectorOperators.MIN, FloatVector.fromArray(FS, x, off + i + FL));
                    a2 = a2.lanewise(VectorOperators.MIN, FloatVector.fromArray(FS, x, off + i + 2 * FL));
                    a3 = a3.lanewise(VectorOperators.MIN, FloatVector.fromArray(FS, x, off + i + 3 * FL));
                }
                r = a0.lanewise(VectorOperators.MIN, a1).lanewise(VectorOperators.MIN, a2.lanewise(VectorOperators.MIN, a3)).reduceLanes(VectorOperators.MIN);
            }
        }
        for (; i < n; i++) r = max ? Math.max(r, x[off + i]) : Math.min(r, x[off + i]);
        return r;
    }

    static double extreme(boolean max, double[] x, int off, int n) {
        int i = 0, step = 4 * DL;
        double r = x[off];
        if (n >= step) {
            DoubleVector a0 = DoubleVector.fromArray(DS, x, off), a1 = DoubleVector.fromArray(DS, x, off + DL);
            DoubleVector a2 = DoubleVector.fromArray(DS, x, off + 2 * DL), a3 = DoubleVector.fromArray(DS, x, off + 3 * DL);
            int up = n - n % step;
            if (max) {
                for (i = step; i < up; i += step) {
                    a0 = a0.lanewise(VectorOperators.MAX, DoubleVector.fromArray(DS, x, off + i));
                    a1 = a1.lanewise(VectorOperators.MAX, DoubleVector.fromArray(DS, x, off + i + DL));
                    a2 = a2.lanewise(VectorOperators.MAX, DoubleVector.fromArray(DS, x, off + i + 2 * DL));
                    a3 = a3.lanewise(VectorOperators.MAX, DoubleVector.fromArray(DS, x, off + i + 3 * DL));
                }
                r = a0.lanewise(VectorOperators.MAX, a1).lanewise(VectorOperators.MAX, a2.lanewise(VectorOperators.MAX, a3)).reduceLanes(VectorOperators.MAX);
            } else {
                for (i = step; i < up; i += step) {
                    a0 = a0.lanewise(VectorOperators.MIN, DoubleVector.fromArray(DS, x, off + i));
                    a1 = a1.lanewise(VectorOperators.MIN, DoubleVector.fromArray(DS, x, off + i + DL));
                    a2 = a2.lanewise(VectorOperators.MIN, DoubleVector.fromArray(DS, x, off + i + 2 * DL));
                    a3 = a3.lanewise(VectorOperators.MIN, DoubleVector.fromArray(DS, x, off + i + 3 * DL));
                }
                r = a0.lanewise(VectorOperators.MIN, a1).lanewise(VectorOperators.MIN, a2.lanewise(VectorOperators.MIN, a3)).reduceLanes(VectorOperators.MIN);
            }
        }
        for (; i < n; i++) r = max ? Math.max(r, x[off + i]) : Math.min(r, x[off + i]);
        return r;
    }

    /** Dot product of two contiguous runs, in vector lanes (4 accumulators) then summed in double. */
    static double dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0, step = 4 * FL, up = n - n % step;
        FloatVector s0 = FloatVector.zero(FS), s1 = s0, s2 = s0, s3 = s0;
        for (; i < up; i += step) {
            s0 = FloatVector.fromArray(FS, a, ao + i).fma(FloatVector.fromArray(FS, b, bo + i), s0);
            s1 = FloatVector.fromArray(FS, a, ao + i + FL).fma(FloatVector.fromArray(FS, b, bo + i + FL), s1);
            s2 = FloatVector.fromArray(FS, a, ao + i + 2 * FL).fma(FloatVector.fromArray(FS, b, bo + i + 2 * FL), s2);
            s3 = FloatVector.fromArray(FS, a, ao + i + 3 * FL).fma(FloatVector.fromArray(FS, b, bo + i + 3 * FL), s3);
        }
        double r = (double) s0.add(s1).reduceLanes(VectorOperators.ADD) + (double) s2.add(s3).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) r += (double) a[ao + i] * b[bo + i];
        return r;
    }

    static double dot(double[] a, int ao, double[] b, int bo, int n) {
        int i = 0, step = 4 * DL, up = n - n % step;
        DoubleVector s0 = DoubleVector.zero(DS), s1 = s0, s2 = s0, s3 = s0;
        for (; i < up; i += step) {
            s0 = DoubleVector.fromArray(DS, a, ao + i).fma(DoubleVector.fromArray(DS, b, bo + i), s0);
            s1 = DoubleVector.fromArray(DS, a, ao + i + DL).fma(DoubleVector.fromArray(DS, b, bo + i + DL), s1);
            s2 = DoubleVector.fromArray(DS, a, ao + i + 2 * DL).fma(DoubleVector.fromArray(DS, b, bo + i + 2 * DL), s2);
            s3 = DoubleVector.fromArray(DS, a, ao + i + 3 * DL).fma(DoubleVector.fromArray(DS, b, bo + i + 3 * DL), s3);
        }
        double r = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) r = Math.fma(a[ao + i], b[bo + i], r);
        return r;
    }

    /** y[yo + j] += alpha * x[xo + j] for j < n. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = FS.loopBound(n);
        FloatVector av = FloatVector.broadcast(FS, alpha);
        for (; i < up; i += FL) av.fma(FloatVector.fromArray(FS, x, xo + i), FloatVector.fromArray(FS, y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
    }

    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        int i = 0, up = DS.loopBound(n);
        DoubleVector av = DoubleVector.broadcast(DS, alpha);
        for (; i < up; i += DL) av.fma(DoubleVector.fromArray(DS, x, xo + i), DoubleVector.fromArray(DS, y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
    }

    /** acc[j] += x[off + j] for j < n (column sums: one row of a block, float lanes). */
    static void addInto(float[] acc, float[] x, int off, int n) {
        int i = 0, up = FS.loopBound(n);
        for (; i < up; i += FL) FloatVector.fromArray(FS, acc, i).add(FloatVector.fromArray(FS, x, off + i)).intoArray(acc, i);
        for (; i < n; i++) acc[i] += x[off + i];
    }

    static void addInto(double[] acc, double[] x, int off, int n) {
        int i = 0, up = DS.loopBound(n);
        for (; i < up; i += DL) DoubleVector.fromArray(DS, acc, i).add(DoubleVector.fromArray(DS, x, off + i)).intoArray(acc, i);
        for (; i < n; i++) acc[i] += x[off + i];
    }

    /** acc[j] = max/min(acc[j], x[off + j]) with NaN propagating. */
    static void extremeInto(boolean max, float[] acc, float[] x, int off, int n) {
        int i = 0, up = FS.loopBound(n);
        if (max) for (; i < up; i += FL) FloatVector.fromArray(FS, acc, i).lanewise(VectorOperators.MAX, FloatVector.fromArray(FS, x, off + i)).intoArray(acc, i);
        else for (; i < up; i += FL) FloatVector.fromArray(FS, acc, i).lanewise(VectorOperators.MIN, FloatVector.fromArray(FS, x, off + i)).intoArray(acc, i);
        for (; i < n; i++) acc[i] = max ? Math.max(acc[i], x[off + i]) : Math.min(acc[i], x[off + i]);
    }

    static void extremeInto(boolean max, double[] acc, double[] x, int off, int n) {
        int i = 0, up = DS.loopBound(n);
        if (max) for (; i < up; i += DL) DoubleVector.fromArray(DS, acc, i).lanewise(VectorOperators.MAX, DoubleVector.fromArray(DS, x, off + i)).intoArray(acc, i);
        else for (; i < up; i += DL) DoubleVector.fromArray(DS, acc, i).lanewise(VectorOperators.MIN, DoubleVector.fromArray(DS, x, off + i)).intoArray(acc, i);
        for (; i < n; i++) acc[i] = max ? Math.max(acc[i], x[off + i]) : Math.min(acc[i], x[off + i]);
    }
}
