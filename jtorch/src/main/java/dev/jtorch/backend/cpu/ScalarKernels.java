package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.UnaryOp;

/**
 * Plain-Java kernels over contiguous float[] / double[] ranges, with the entry points of
 * {@link VectorKernels}: the fallback when the Vector API is absent, and the tail / rare-op path
 * when it is present. Each kernel runs its own loops only for the ops in its kind's set ({@link UnaryKernels#LANE_LOOPS},
 * {@link UnaryKernels#LIBM}, {@link BinaryKernels#LANE_LOOPS}, {@link BinaryKernels#COMPARISONS}); every other op goes
 * through the generic double-precision loop chunk by chunk, so results are those of the generic path.
 */
final class ScalarKernels {
    private ScalarKernels() {}

    /** Elements per block of a blocked sum: summed with vector lanes, blocks combined pairwise in double. */
    static final int SUM_BLOCK = 2048;
    private static final int CH = 256;

    // ================================================================ binary

    static void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        if (!BinaryKernels.LANE_LOOPS.contains(op)) { // the generic loop, chunk by chunk
            double[] x = new double[Math.min(CH, n)], y = new double[x.length], z = new double[x.length];
            for (int s = 0; s < n; s += CH) {
                int m = Math.min(CH, n - s);
                for (int i = 0; i < m; i++) { x[i] = a[ao + s + i]; y[i] = b[bo + s + i]; }
                BinaryKernels.generic(op, x, y, z, m);
                for (int i = 0; i < m; i++) o[oo + s + i] = (float) z[i];
            }
            return;
        }
        switch (op) { // BinaryKernels.LANE_LOOPS
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i]; }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]); }
        }
    }

    static void binary(BinaryOp op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
        if (!BinaryKernels.LANE_LOOPS.contains(op)) { // the generic loop, chunk by chunk
            if (ao == 0 && bo == 0 && oo == 0) { BinaryKernels.generic(op, a, b, o, n); return; }
            double[] x = new double[Math.min(CH, n)], y = new double[x.length], z = new double[x.length];
            for (int s = 0; s < n; s += CH) {
                int m = Math.min(CH, n - s);
                System.arraycopy(a, ao + s, x, 0, m);
                System.arraycopy(b, bo + s, y, 0, m);
                BinaryKernels.generic(op, x, y, z, m);
                System.arraycopy(z, 0, o, oo + s, m);
            }
            return;
        }
        switch (op) { // BinaryKernels.LANE_LOOPS
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i]; }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]); }
        }
    }

    // ================================================================ comparisons and where

    static void compare(BinaryOp op, float[] a, int ao, float[] b, int bo, float s, boolean[] o, int oo, int n) {
        if (!BinaryKernels.COMPARISONS.contains(op)) throw new IllegalArgumentException(op.name());
        for (int i = 0; i < n; i++) {
            float x = a[ao + i], y = b == null ? s : b[bo + i];
            boolean r = false;
            switch (op) { // BinaryKernels.COMPARISONS
                case EQ -> r = x == y;
                case NE -> r = x != y;
                case LT -> r = x < y;
                case LE -> r = x <= y;
                case GT -> r = x > y;
                case GE -> r = x >= y;
            }
            o[oo + i] = r;
        }
    }

    static void compare(BinaryOp op, double[] a, int ao, double[] b, int bo, double s, boolean[] o, int oo, int n) {
        if (!BinaryKernels.COMPARISONS.contains(op)) throw new IllegalArgumentException(op.name());
        for (int i = 0; i < n; i++) {
            double x = a[ao + i], y = b == null ? s : b[bo + i];
            boolean r = false;
            switch (op) { // BinaryKernels.COMPARISONS
                case EQ -> r = x == y;
                case NE -> r = x != y;
                case LT -> r = x < y;
                case LE -> r = x <= y;
                case GT -> r = x > y;
                case GE -> r = x >= y;
            }
            o[oo + i] = r;
        }
    }

    static void where(boolean[] c, int co, float[] a, int ao, float sa, float[] b, int bo, float sb, float[] o, int oo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = c[co + i] ? (a == null ? sa : a[ao + i]) : (b == null ? sb : b[bo + i]);
    }

    static void where(boolean[] c, int co, double[] a, int ao, double sa, double[] b, int bo, double sb, double[] o, int oo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = c[co + i] ? (a == null ? sa : a[ao + i]) : (b == null ? sb : b[bo + i]);
    }

    // ================================================================ unary

    static void unary(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
        if (!UnaryKernels.LANE_LOOPS.contains(op) && !UnaryKernels.LIBM.contains(op)) { // the generic loop, chunk by chunk
            double[] a = new double[Math.min(CH, n)], b = new double[a.length];
            for (int s = 0; s < n; s += CH) {
                int m = Math.min(CH, n - s);
                for (int i = 0; i < m; i++) a[i] = x[xo + s + i];
                UnaryKernels.generic(op, DType.float32, a, b, m);
                for (int i = 0; i < m; i++) y[yo + s + i] = (float) b[i];
            }
            return;
        }
        switch (op) { // UnaryKernels.LANE_LOOPS and UnaryKernels.LIBM
            case NEG -> { for (int i = 0; i < n; i++) y[yo + i] = -x[xo + i]; }
            case ABS -> { for (int i = 0; i < n; i++) y[yo + i] = Math.abs(x[xo + i]); }
            case SQRT -> { for (int i = 0; i < n; i++) y[yo + i] = (float) Math.sqrt(x[xo + i]); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) y[yo + i] = 1f / x[xo + i]; }
            // FloatMath's functions, exactly as FloatVectorMath computes them on lanes
            case EXP -> { for (int i = 0; i < n; i++) y[yo + i] = FloatMath.exp(x[xo + i]); }
            case EXPM1 -> { for (int i = 0; i < n; i++) y[yo + i] = FloatMath.expm1(x[xo + i]); }
            case LOG -> { for (int i = 0; i < n; i++) y[yo + i] = FloatMath.log(x[xo + i]); }
            case LOG1P -> { for (int i = 0; i < n; i++) y[yo + i] = FloatMath.log1p(x[xo + i]); }
            case LOG10 -> { for (int i = 0; i < n; i++) y[yo + i] = FloatMath.log10(x[xo + i]); }
            case SIN -> { for (int i = 0; i < n; i++) y[yo + i] = FloatMath.sin(x[xo + i]); }
            case COS -> { for (int i = 0; i < n; i++) y[yo + i] = FloatMath.cos(x[xo + i]); }
            case TANH -> { for (int i = 0; i < n; i++) y[yo + i] = FloatMath.tanh(x[xo + i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) y[yo + i] = FloatMath.sigmoid(x[xo + i]); }
        }
    }

    static void unary(UnaryOp op, double[] x, int xo, double[] y, int yo, int n) {
        if (!UnaryKernels.LANE_LOOPS.contains(op) && !UnaryKernels.LIBM.contains(op)) { // the generic loop, chunk by chunk
            if (xo == 0 && yo == 0) { UnaryKernels.generic(op, DType.float64, x, y, n); return; }
            double[] a = new double[Math.min(CH, n)], b = new double[a.length];
            for (int s = 0; s < n; s += CH) {
                int m = Math.min(CH, n - s);
                System.arraycopy(x, xo + s, a, 0, m);
                UnaryKernels.generic(op, DType.float64, a, b, m);
                System.arraycopy(b, 0, y, yo + s, m);
            }
            return;
        }
        switch (op) { // UnaryKernels.LANE_LOOPS and UnaryKernels.LIBM
            case NEG -> { for (int i = 0; i < n; i++) y[yo + i] = -x[xo + i]; }
            case ABS -> { for (int i = 0; i < n; i++) y[yo + i] = Math.abs(x[xo + i]); }
            case SQRT -> { for (int i = 0; i < n; i++) y[yo + i] = Math.sqrt(x[xo + i]); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) y[yo + i] = 1.0 / x[xo + i]; }
            case EXP -> { for (int i = 0; i < n; i++) y[yo + i] = DetMath.exp(x[xo + i]); }
            case EXPM1 -> { for (int i = 0; i < n; i++) y[yo + i] = DetMath.expm1(x[xo + i]); }
            case LOG -> { for (int i = 0; i < n; i++) y[yo + i] = DetMath.log(x[xo + i]); }
            case LOG1P -> { for (int i = 0; i < n; i++) y[yo + i] = DetMath.log1p(x[xo + i]); }
            case LOG10 -> { for (int i = 0; i < n; i++) y[yo + i] = DetMath.log10(x[xo + i]); }
            case SIN -> { for (int i = 0; i < n; i++) y[yo + i] = DetMath.sin(x[xo + i]); }
            case COS -> { for (int i = 0; i < n; i++) y[yo + i] = DetMath.cos(x[xo + i]); }
            case TANH -> { for (int i = 0; i < n; i++) y[yo + i] = DetMath.tanh(x[xo + i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) y[yo + i] = DetMath.sigmoid(x[xo + i]); }
        }
    }

    // ================================================================ reductions

    static double blockSum(float[] x, int off, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            s0 += x[off + i]; s1 += x[off + i + 1]; s2 += x[off + i + 2]; s3 += x[off + i + 3];
            s4 += x[off + i + 4]; s5 += x[off + i + 5]; s6 += x[off + i + 6]; s7 += x[off + i + 7];
        }
        double r = (((double) s0 + s1) + ((double) s2 + s3)) + (((double) s4 + s5) + ((double) s6 + s7));
        for (; i < n; i++) r += x[off + i];
        return r;
    }

    static double blockSum(double[] x, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            s0 += x[off + i]; s1 += x[off + i + 1]; s2 += x[off + i + 2]; s3 += x[off + i + 3];
            s4 += x[off + i + 4]; s5 += x[off + i + 5]; s6 += x[off + i + 6]; s7 += x[off + i + 7];
        }
        double r = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < n; i++) r += x[off + i];
        return r;
    }

    static float extreme(boolean max, float[] x, int off, int n) {
        float r = x[off];
        if (max) for (int i = 1; i < n; i++) r = Math.max(r, x[off + i]);
        else for (int i = 1; i < n; i++) r = Math.min(r, x[off + i]);
        return r;
    }

    static double extreme(boolean max, double[] x, int off, int n) {
        double r = x[off];
        if (max) for (int i = 1; i < n; i++) r = Math.max(r, x[off + i]);
        else for (int i = 1; i < n; i++) r = Math.min(r, x[off + i]);
        return r;
    }

    static double dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[ao + i] * b[bo + i]; s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2]; s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        double r = ((double) s0 + s1) + ((double) s2 + s3);
        for (; i < n; i++) r += (double) a[ao + i] * b[bo + i];
        return r;
    }

    static double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[ao + i] * b[bo + i]; s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2]; s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        double r = (s0 + s1) + (s2 + s3);
        for (; i < n; i++) r += a[ao + i] * b[bo + i];
        return r;
    }

    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) { for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i]; }

    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) { for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i]; }

    static void addInto(float[] acc, float[] x, int off, int n) { for (int i = 0; i < n; i++) acc[i] += x[off + i]; }

    static void addInto(double[] acc, double[] x, int off, int n) { for (int i = 0; i < n; i++) acc[i] += x[off + i]; }

    static void extremeInto(boolean max, float[] acc, float[] x, int off, int n) {
        if (max) for (int i = 0; i < n; i++) acc[i] = Math.max(acc[i], x[off + i]);
        else for (int i = 0; i < n; i++) acc[i] = Math.min(acc[i], x[off + i]);
    }

    static void extremeInto(boolean max, double[] acc, double[] x, int off, int n) {
        if (max) for (int i = 0; i < n; i++) acc[i] = Math.max(acc[i], x[off + i]);
        else for (int i = 0; i < n; i++) acc[i] = Math.min(acc[i], x[off + i]);
    }
}
