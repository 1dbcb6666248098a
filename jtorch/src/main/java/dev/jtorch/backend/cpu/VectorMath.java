package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.DetMath.*;

import dev.jtorch.ops.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DetMath}'s functions on double vector lanes, each line the lane-wise image of the scalar line
 * with the same operations in the same order (a + b*c in the scalar code is a separate multiply and add
 * here too; Math.fma is fma); tails that do not fill a vector use the twin. This is the float64 route;
 * float32 has its own kernels ({@link FloatVectorMath}).
 * Only reached when {@link Simd#AVAILABLE}.
 *
 * <p>exp, log, log1p, sin and cos run in one pass over the data, tanh and sigmoid in two per block; their helpers are kept below
 * 325 bytes of bytecode (C2's FreqInlineSize) and each loop within C2's node budget, since a vector that
 * crosses a call C2 did not inline is boxed. The other ops run as passes of short loops over blocks of {@link #BLOCK} elements, intermediate
 * values (exact doubles) kept in scratch arrays: a vector that crosses a call C2 did not inline is
 * boxed, tens of times slower, and C2 stops inlining once a method grows past a node budget (a whole
 * sin or expm1 in one loop exceeds it). Passes cover whole vectors; the last partial vector of a run
 * goes to the scalar twin.
 */
final class VectorMath {
    private VectorMath() {}

    static final VectorSpecies<Double> DS = VectorKernels.DS;
    private static final int DL = DS.length();

    /** Elements per block (a multiple of every lane count). */
    static final int BLOCK = 512;

    /** Scratch arrays of one call. */
    private static final class Scratch {
        final double[] a, b, c, d, e;

        Scratch(int n) { a = new double[n]; b = new double[n]; c = new double[n]; d = new double[n]; e = new double[n]; }
    }

    /** One op's kernel over a range. */
    private interface Kernel {
        void run(double[] x, int xo, double[] y, int yo, int n);
    }

    /**
     * The kernels by op ordinal, each its own class (as in FloatVectorMath): the call through this table is
     * megamorphic, so C2 compiles each op's passes on their own rather than inlining every op a caller has seen
     * into the caller, past its node budget.
     */
    private static final Kernel[] KERNELS = new Kernel[UnaryOp.values().length];

    static {
        KERNELS[UnaryOp.EXP.ordinal()] = VectorMath::exp;
        KERNELS[UnaryOp.EXPM1.ordinal()] = (x, xo, y, yo, n) -> blocks(UnaryOp.EXPM1, x, xo, y, yo, n);
        KERNELS[UnaryOp.LOG.ordinal()] = VectorMath::log;
        KERNELS[UnaryOp.LOG1P.ordinal()] = VectorMath::log1p;
        KERNELS[UnaryOp.LOG10.ordinal()] = (x, xo, y, yo, n) -> blocks(UnaryOp.LOG10, x, xo, y, yo, n);
        KERNELS[UnaryOp.SIN.ordinal()] = VectorMath::sin;
        KERNELS[UnaryOp.COS.ordinal()] = VectorMath::cos;
        KERNELS[UnaryOp.TANH.ordinal()] = VectorMath::tanh;
        KERNELS[UnaryOp.SIGMOID.ordinal()] = VectorMath::sigmoid;
    }

    static void unary(UnaryOp op, double[] x, int xo, double[] y, int yo, int n) {
        Kernel k = KERNELS[op.ordinal()];
        if (k == null) throw new IllegalArgumentException(op.name());
        k.run(x, xo, y, yo, n);
    }

    private static void blocks(UnaryOp op, double[] x, int xo, double[] y, int yo, int n) {
        int up = DS.loopBound(n);
        if (up > 0) {
            Scratch s = new Scratch(Math.min(BLOCK, up));
            for (int b = 0; b < up; b += BLOCK) block(op, x, xo + b, y, yo + b, Math.min(BLOCK, up - b), s);
        }
        for (int i = up; i < n; i++) y[yo + i] = scalar(op, x[xo + i]);
    }

    /** The scalar twin of one element. */
    static double scalar(UnaryOp op, double x) {
        switch (op) { // UnaryKernels.LIBM
            case EXP -> { return DetMath.exp(x); }
            case EXPM1 -> { return DetMath.expm1(x); }
            case LOG -> { return DetMath.log(x); }
            case LOG1P -> { return DetMath.log1p(x); }
            case LOG10 -> { return DetMath.log10(x); }
            case SIN -> { return DetMath.sin(x); }
            case COS -> { return DetMath.cos(x); }
            case TANH -> { return DetMath.tanh(x); }
            case SIGMOID -> { return DetMath.sigmoid(x); }
        }
        throw new IllegalArgumentException(op.name());
    }

    /** One block of m elements, m a multiple of the lane count; x may be y. */
    private static void block(UnaryOp op, double[] x, int xo, double[] y, int yo, int m, Scratch s) {
        if (op == UnaryOp.EXPM1) {
            expm1Reduce(x, xo, s.a, s.b, s.c, m);
            expm1Finish(x, xo, s.a, s.b, s.c, y, yo, m);
        } else if (op == UnaryOp.LOG10) {
            logSplit(x, xo, s.a, s.b, m);
            log10Finish(x, xo, s.a, s.b, y, yo, m);
        } else {
            throw new IllegalArgumentException(op.name());
        }
    }

    // ---------------------------------------------------------------- helpers

    private static DoubleVector c(double v) { return DoubleVector.broadcast(DS, v); }

    private static LongVector bits(DoubleVector v) { return (LongVector) v.viewAsIntegralLanes(); }

    private static DoubleVector pow2(LongVector k) { return (DoubleVector) k.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes(); }

    /** The integer a double holds (|v| < 2^51), as a long: the bits of v + SHIFT. */
    private static LongVector toLong(DoubleVector v) { return bits(v.add(SHIFT)).sub(SHIFT_BITS); }

    // ---------------------------------------------------------------- exp, expm1

    // exp in one pass: a vector whose lanes are all within EXP_FAST needs no clamp, and 2^k is one double (DetMath
    // scales by two factors for the sake of the extremes: the product is the same single rounding); constants as
    // static final vectors, which cost C2 fewer nodes than broadcasts

    /** Up to this |x|, k is in [-1022, 1022] and 2^k one normal double. */
    private static final double EXP_FAST = 708;
    private static final DoubleVector V_EXP_FAST = c(EXP_FAST), V_EXP_LO = c(EXP_LO), V_EXP_HI = c(EXP_HI), V_INV_LN2 = c(INV_LN2),
            V_SHIFT = c(SHIFT), V_LN2_HI = c(LN2_HI), V_LN2_LO = c(LN2_LO), V_P1 = c(EXP_P1), V_P2 = c(EXP_P2), V_P3 = c(EXP_P3),
            V_P4 = c(EXP_P4), V_P5 = c(EXP_P5), V_ONE = c(1.0), V_TWO = c(2.0), V_HALF = c(0.5);
    private static final LongVector L_SHIFT_BITS = LongVector.broadcast(DS.withLanes(long.class), SHIFT_BITS),
            L_1023 = LongVector.broadcast(DS.withLanes(long.class), 1023);

    private static void exp(double[] x, int xo, double[] y, int yo, int n) {
        int i = 0, up = DS.loopBound(n);
        for (; i < up; i += DL) {
            DoubleVector xv = DoubleVector.fromArray(DS, x, xo + i);
            boolean fast = xv.abs().compare(VectorOperators.LE, V_EXP_FAST).allTrue();
            (fast ? expReduced(xv).mul(pow2One(bits(xv.fma(V_INV_LN2, V_SHIFT)).sub(L_SHIFT_BITS))) : expFull(xv)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = DetMath.exp(x[xo + i]);
    }

    /** DetMath.exp's e^r (before the scaling by 2^k), x already clamped. */
    private static DoubleVector expReduced(DoubleVector xc) {
        DoubleVector kd = xc.fma(V_INV_LN2, V_SHIFT).sub(V_SHIFT);
        DoubleVector hi = xc.sub(kd.mul(V_LN2_HI)), lo = kd.mul(V_LN2_LO), r = hi.sub(lo);
        DoubleVector z = r.mul(r);
        DoubleVector c = r.sub(z.mul(z.fma(V_P5, V_P4).fma(z, V_P3).fma(z, V_P2).fma(z, V_P1)));
        return V_ONE.sub(lo.sub(r.mul(c).div(V_TWO.sub(c))).sub(hi));
    }

    private static DoubleVector pow2One(LongVector k) { return (DoubleVector) k.add(L_1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes(); }

    /** DetMath.exp for any x: clamped, scaled in two factors. */
    private static DoubleVector expFull(DoubleVector x) {
        DoubleVector xc = x.max(V_EXP_LO).min(V_EXP_HI);
        DoubleVector t = xc.fma(V_INV_LN2, V_SHIFT), kd = t.sub(V_SHIFT);
        LongVector k = bits(t).sub(L_SHIFT_BITS), k1 = bits(kd.fma(V_HALF, V_SHIFT)).sub(L_SHIFT_BITS);
        return expReduced(xc).mul(pow2One(k1)).mul(pow2One(k.sub(k1)));
    }

    /** expm1's first pass: r, what r lost (cr) and k. */
    private static void expm1Reduce(double[] x, int xo, double[] rs, double[] crs, double[] ks, int m) {
        for (int i = 0; i < m; i += DL) {
            DoubleVector xc = DoubleVector.fromArray(DS, x, xo + i).max(EXPM1_LO).min(EXPM1_HI);
            DoubleVector t = xc.fma(c(INV_LN2), c(0.0).blend(-0.5, xc.compare(VectorOperators.GT, 0.0))).add(SHIFT);
            DoubleVector kd = t.sub(SHIFT);
            DoubleVector hi = xc.sub(kd.mul(LN2_HI)), lo = kd.mul(LN2_LO), r = hi.sub(lo);
            r.intoArray(rs, i);
            hi.sub(r).sub(lo).intoArray(crs, i);
            kd.intoArray(ks, i);
        }
    }

    private static void expm1Finish(double[] x, int xo, double[] rs, double[] crs, double[] ks, double[] y, int yo, int m) {
        for (int i = 0; i < m; i += DL) {
            DoubleVector r = DoubleVector.fromArray(DS, rs, i), cr = DoubleVector.fromArray(DS, crs, i);
            DoubleVector q = r.fma(E17, E16).fma(r, c(E15)).fma(r, c(E14)).fma(r, c(E13)).fma(r, c(E12)).fma(r, c(E11)).fma(r, c(E10)).fma(r, c(E9));
            q = q.fma(r, c(E8)).fma(r, c(E7)).fma(r, c(E6)).fma(r, c(E5)).fma(r, c(E4)).fma(r, c(E3)).fma(r, c(E2));
            DoubleVector p = r.add(r.mul(r).fma(q, cr.fma(r, cr)));
            DoubleVector u = pow2(toLong(DoubleVector.fromArray(DS, ks, i)).sub(1));
            DoubleVector e = u.fma(p, u.sub(0.5)).mul(2.0);
            DoubleVector xv = DoubleVector.fromArray(DS, x, xo + i);
            e.blend(xv, xv.abs().compare(VectorOperators.LT, 0x1p-54)).intoArray(y, yo + i);
        }
    }

    // ---------------------------------------------------------------- log, log1p, log10

    // log in one pass: the exponent and mantissa in the loop, the polynomial in one helper (inlined once: twice
    // passes C2's NodeCountInliningCutoff), the special values blended in only for vectors that have some

    private static final DoubleVector V_MIN_NORMAL = c(MIN_NORMAL), V_INF = c(Double.POSITIVE_INFINITY), V_SQRT2 = c(SQRT2),
            V_1023 = c(1023), V_ZERO = c(0.0), V_LG1 = c(LG1), V_LG2 = c(LG2), V_LG3 = c(LG3), V_LG4 = c(LG4), V_LG5 = c(LG5),
            V_LG6 = c(LG6), V_LG7 = c(LG7), V_TWO54 = c(TWO54), V_1077 = c(1077), V_NAN = c(Double.NaN),
            V_NEG_INF = c(Double.NEGATIVE_INFINITY);
    private static final LongVector L_MANTISSA = LongVector.broadcast(DS.withLanes(long.class), MANTISSA),
            L_ONE_BITS = LongVector.broadcast(DS.withLanes(long.class), ONE_BITS);

    private static void log(double[] x, int xo, double[] y, int yo, int n) {
        int i = 0, up = DS.loopBound(n);
        for (; i < up; i += DL) logPlus(DoubleVector.fromArray(DS, x, xo + i), V_ZERO).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = DetMath.log(x[xo + i]);
    }

    /** DetMath.log1p: log(u) plus the rounding error of u = 1 + x over u; x where x is 0 (keeps -0). */
    private static void log1p(double[] x, int xo, double[] y, int yo, int n) {
        int i = 0, up = DS.loopBound(n);
        for (; i < up; i += DL) {
            DoubleVector xv = DoubleVector.fromArray(DS, x, xo + i), u = V_ONE.add(xv);
            DoubleVector r = logPlus(u, xv.sub(u.sub(V_ONE)).div(u));
            r.blend(xv, xv.compare(VectorOperators.EQ, V_ZERO)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = DetMath.log1p(x[xo + i]);
    }

    /** DetMath.logPlus(x, c). */
    private static DoubleVector logPlus(DoubleVector xv, DoubleVector cv) {
        VectorMask<Double> sub = xv.compare(VectorOperators.LT, V_MIN_NORMAL);
        LongVector b = bits(xv.blend(xv.mul(V_TWO54), sub));
        DoubleVector e = ((DoubleVector) b.lanewise(VectorOperators.LSHR, 52).add(L_SHIFT_BITS).viewAsFloatingLanes()).sub(V_SHIFT)
                .sub(V_1023.blend(V_1077, sub));
        DoubleVector mv = (DoubleVector) b.and(L_MANTISSA).or(L_ONE_BITS).viewAsFloatingLanes();
        VectorMask<Double> big = mv.compare(VectorOperators.GT, V_SQRT2);
        DoubleVector r = logPoly(e.blend(e.add(V_ONE), big), mv.blend(mv.mul(V_HALF), big).sub(V_ONE), cv);
        VectorMask<Double> finite = xv.compare(VectorOperators.GT, V_ZERO).and(xv.compare(VectorOperators.LT, V_INF));
        return finite.allTrue() ? r : logSpecial(xv, r, finite);
    }

    /** DetMath.logSpecial: r where x is finite and positive, else -inf at 0, inf at inf, NaN below 0 and for NaN. */
    private static DoubleVector logSpecial(DoubleVector xv, DoubleVector r, VectorMask<Double> finite) {
        DoubleVector special = V_NAN.blend(V_NEG_INF, xv.compare(VectorOperators.EQ, V_ZERO)).blend(V_INF, xv.compare(VectorOperators.EQ, V_INF));
        return special.blend(r, finite);
    }

    /** log(x) + c from x's exponent k and f = m - 1 (DetMath.logPlus). */
    private static DoubleVector logPoly(DoubleVector k, DoubleVector f, DoubleVector cv) {
        DoubleVector hfsq = f.mul(V_HALF).mul(f), s = f.div(V_TWO.add(f)), z = s.mul(s);
        DoubleVector w = z.mul(z);
        DoubleVector R = z.mul(w.fma(V_LG7, V_LG5).fma(w, V_LG3).fma(w, V_LG1)).add(w.mul(w.fma(V_LG6, V_LG4).fma(w, V_LG2)));
        return k.mul(V_LN2_HI).sub(hfsq.sub(s.mul(hfsq.add(R)).add(k.mul(V_LN2_LO).add(cv))).sub(f));
    }

    /** A vector's lanes through the scalar twin, by way of an array (lane(j) would box the vector on every iteration). */
    private static void lanes(UnaryOp op, DoubleVector xv, double[] y, int yo) {
        double[] lanes = new double[DL];
        xv.intoArray(lanes, 0);
        for (int j = 0; j < DL; j++) y[yo + j] = scalar(op, lanes[j]);
    }

    /** The first pass of log and log10: k and f = m - 1 (DetMath.logExponent, logMantissa). */
    private static void logSplit(double[] x, int xo, double[] ks, double[] fs, int m) {
        for (int i = 0; i < m; i += DL) {
            DoubleVector xv = DoubleVector.fromArray(DS, x, xo + i);
            VectorMask<Double> sub = xv.compare(VectorOperators.LT, MIN_NORMAL);
            LongVector b = bits(xv.blend(xv.mul(TWO54), sub));
            DoubleVector e = ((DoubleVector) b.lanewise(VectorOperators.LSHR, 52).add(SHIFT_BITS).viewAsFloatingLanes()).sub(SHIFT).sub(c(1023).blend(1077, sub));
            DoubleVector mv = (DoubleVector) b.and(MANTISSA).or(ONE_BITS).viewAsFloatingLanes();
            VectorMask<Double> big = mv.compare(VectorOperators.GT, SQRT2);
            e.blend(e.add(1), big).intoArray(ks, i);
            mv.blend(mv.mul(0.5), big).sub(1.0).intoArray(fs, i);
        }
    }

    /** y where log is finite; -inf at 0, inf at inf, NaN below 0 and for NaN (DetMath.logSpecial). */
    private static void logSpecial(double[] x, int xo, double[] logs, double[] y, int yo, int m) {
        for (int i = 0; i < m; i += DL) {
            DoubleVector xv = DoubleVector.fromArray(DS, x, xo + i);
            VectorMask<Double> finite = xv.compare(VectorOperators.GT, 0.0).and(xv.compare(VectorOperators.LT, Double.POSITIVE_INFINITY));
            DoubleVector special = c(Double.NaN).blend(Double.NEGATIVE_INFINITY, xv.compare(VectorOperators.EQ, 0.0))
                    .blend(Double.POSITIVE_INFINITY, xv.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY));
            special.blend(DoubleVector.fromArray(DS, logs, i), finite).intoArray(y, yo + i);
        }
    }

    private static void log10Finish(double[] x, int xo, double[] ks, double[] fs, double[] y, int yo, int m) {
        for (int i = 0; i < m; i += DL) {
            DoubleVector k = DoubleVector.fromArray(DS, ks, i), f = DoubleVector.fromArray(DS, fs, i);
            DoubleVector hfsq = f.mul(0.5).mul(f), s = f.div(c(2.0).add(f)), z = s.mul(s);
            DoubleVector w = z.mul(z);
            DoubleVector R = z.mul(w.fma(LG7, LG5).fma(w, c(LG3)).fma(w, c(LG1))).add(w.mul(w.fma(LG6, LG4).fma(w, c(LG2))));
            DoubleVector hi = (DoubleVector) bits(f.sub(hfsq)).and(LOW32).viewAsFloatingLanes();
            DoubleVector lo = f.sub(hi).sub(hfsq).add(s.mul(hfsq.add(R)));
            DoubleVector valHi = hi.mul(IVLN10_HI), y2 = k.mul(LOG10_2HI);
            DoubleVector valLo = k.mul(LOG10_2LO).add(lo.add(hi).mul(IVLN10_LO)).add(lo.mul(IVLN10_HI));
            DoubleVector sum = y2.add(valHi);
            valLo = valLo.add(y2.sub(sum).add(valHi));
            valLo.add(sum).intoArray(fs, i);
        }
        logSpecial(x, xo, fs, y, yo, m);
    }

    // ---------------------------------------------------------------- sin, cos

    // sin and cos in one pass: a vector whose lanes are all within TRIG_MAX (no NaN) is reduced and evaluated in
    // registers; others go lane by lane to the scalar twin

    private static final DoubleVector V_TRIG_MAX = c(TRIG_MAX), V_INV_PIO2 = c(INV_PIO2), V_PIO2_1 = c(PIO2_1), V_PIO2_2 = c(PIO2_2),
            V_PIO2_3 = c(PIO2_3), V_S1 = c(S1), V_S2 = c(S2), V_S3 = c(S3), V_S4 = c(S4), V_S5 = c(S5), V_S6 = c(S6), V_C1 = c(C1),
            V_C2 = c(C2), V_C3 = c(C3), V_C4 = c(C4), V_C5 = c(C5), V_C6 = c(C6), V_COS_Q_LO = c(COS_Q_LO), V_COS_Q_HI = c(COS_Q_HI),
            V_COS_Q_MAX = c(COS_Q_MAX), V_TINY_SIN = c(0x1p-27);
    private static final LongVector L_QUARTER_BITS = LongVector.broadcast(DS.withLanes(long.class), QUARTER_BITS),
            L_LOW32 = LongVector.broadcast(DS.withLanes(long.class), LOW32), L_ONE = LongVector.broadcast(DS.withLanes(long.class), 1),
            L_TWO = LongVector.broadcast(DS.withLanes(long.class), 2), L_ZERO = LongVector.broadcast(DS.withLanes(long.class), 0);

    private static void sin(double[] x, int xo, double[] y, int yo, int n) {
        int i = 0, up = DS.loopBound(n);
        for (; i < up; i += DL) {
            DoubleVector xv = DoubleVector.fromArray(DS, x, xo + i), ax = xv.abs();
            if (ax.compare(VectorOperators.LE, V_TRIG_MAX).allTrue()) {
                sinCos(xv, L_ZERO).blend(xv, ax.compare(VectorOperators.LT, V_TINY_SIN)).intoArray(y, yo + i);
            } else {
                lanes(UnaryOp.SIN, xv, y, yo + i);
            }
        }
        for (; i < n; i++) y[yo + i] = DetMath.sin(x[xo + i]);
    }

    private static void cos(double[] x, int xo, double[] y, int yo, int n) {
        int i = 0, up = DS.loopBound(n);
        for (; i < up; i += DL) {
            DoubleVector xv = DoubleVector.fromArray(DS, x, xo + i);
            if (xv.abs().compare(VectorOperators.LE, V_TRIG_MAX).allTrue()) {
                sinCos(xv, L_ONE).intoArray(y, yo + i);
            } else {
                lanes(UnaryOp.COS, xv, y, yo + i);
            }
        }
        for (; i < n; i++) y[yo + i] = DetMath.cos(x[xo + i]);
    }

    // sinCos is cut into helpers below 325 bytes of bytecode each (-XX:FreqInlineSize): a larger one is not inlined, and
    // vectors crossing its call are boxed; C2 merges what the helpers recompute (r1, p)

    /** DetMath.sinCos on lanes within TRIG_MAX. */
    private static DoubleVector sinCos(DoubleVector xv, LongVector quadrant) {
        DoubleVector t = xv.fma(V_INV_PIO2, V_SHIFT), nv = t.sub(V_SHIFT);
        DoubleVector r2 = trigR2(xv, nv), lo = trigLo(xv, nv);
        DoubleVector hi = r2.add(lo), yv = r2.sub(hi).add(lo);
        DoubleVector z = hi.mul(hi);
        DoubleVector sin = sinKernel(hi, yv, z), cos = cosKernel(hi, yv, z);
        LongVector q = bits(t).add(quadrant);
        DoubleVector r = sin.blend(cos, q.and(L_ONE).compare(VectorOperators.NE, L_ZERO).cast(DS));
        return r.blend(r.neg(), q.and(L_TWO).compare(VectorOperators.NE, L_ZERO).cast(DS));
    }

    /** r2 = x - n PIO2_1 - n PIO2_2 (rounded) of DetMath.sinCos. */
    private static DoubleVector trigR2(DoubleVector xv, DoubleVector nv) {
        return nv.neg().fma(V_PIO2_1, xv).sub(nv.mul(V_PIO2_2));
    }

    /** lo of DetMath.sinCos: what r2 lost, less n PIO2_3. */
    private static DoubleVector trigLo(DoubleVector xv, DoubleVector nv) {
        DoubleVector r1 = nv.neg().fma(V_PIO2_1, xv);
        DoubleVector p = nv.mul(V_PIO2_2), pe = nv.fma(V_PIO2_2, p.neg());
        DoubleVector r2 = r1.sub(p), bb = r2.sub(r1), e2 = r1.sub(r2.sub(bb)).sub(p.add(bb));
        return e2.sub(pe).sub(nv.mul(V_PIO2_3));
    }

    /** k_sin.c on hi + y, z = hi^2. */
    private static DoubleVector sinKernel(DoubleVector hi, DoubleVector yv, DoubleVector z) {
        DoubleVector v = z.mul(hi);
        DoubleVector rs = z.fma(V_S6, V_S5).fma(z, V_S4).fma(z, V_S3).fma(z, V_S2);
        return hi.sub(z.mul(yv.mul(V_HALF).sub(v.mul(rs))).sub(yv).sub(v.mul(V_S1)));
    }

    /** k_cos.c on hi + y, z = hi^2. */
    private static DoubleVector cosKernel(DoubleVector hi, DoubleVector yv, DoubleVector z) {
        DoubleVector rc = z.mul(z.fma(V_C6, V_C5).fma(z, V_C4).fma(z, V_C3).fma(z, V_C2).fma(z, V_C1));
        DoubleVector ah = hi.abs();
        DoubleVector qx = ((DoubleVector) bits(ah).sub(L_QUARTER_BITS).and(L_LOW32).viewAsFloatingLanes())
                .blend(V_COS_Q_MAX, ah.compare(VectorOperators.GT, V_COS_Q_HI)).blend(V_ZERO, ah.compare(VectorOperators.LT, V_COS_Q_LO));
        return V_ONE.sub(qx).sub(z.mul(V_HALF).sub(qx).sub(z.mul(rc).sub(hi.mul(yv))));
    }

    // ---------------------------------------------------------------- tanh, sigmoid

    // tanh in two passes over each block: 2 min(|x|, TANH_MAX) is in [0, 44] or NaN, where expm1's clamp changes nothing
    // and is left out; helpers below FreqInlineSize so that C2 inlines them

    private static final DoubleVector V_TANH_MAX = c(TANH_MAX), V_MINUS_HALF = c(-0.5), V_TINY_EXPM1 = c(0x1p-54), V_TINY_TANH = c(0x1p-55),
            V_E2 = c(E2), V_E3 = c(E3), V_E4 = c(E4), V_E5 = c(E5), V_E6 = c(E6), V_E7 = c(E7), V_E8 = c(E8), V_E9 = c(E9), V_E10 = c(E10),
            V_E11 = c(E11), V_E12 = c(E12), V_E13 = c(E13), V_E14 = c(E14), V_E15 = c(E15), V_E16 = c(E16), V_E17 = c(E17);
    private static final LongVector L_SIGN = LongVector.broadcast(DS.withLanes(long.class), SIGN);

    private static void tanh(double[] x, int xo, double[] y, int yo, int n) {
        int up = DS.loopBound(n);
        double[] ts = new double[Math.min(BLOCK, up)];
        for (int b = 0; b < up; b += BLOCK) {
            int m = Math.min(BLOCK, up - b);
            tanhExpm1(x, xo + b, ts, m);
            tanhRatio(x, xo + b, ts, y, yo + b, m);
        }
        for (int i = up; i < n; i++) y[yo + i] = DetMath.tanh(x[xo + i]);
    }

    /** tanh's first pass over a block: ts = expm1(2 min(|x|, TANH_MAX)) (two loops: one exceeds C2's NodeCountInliningCutoff). */
    private static void tanhExpm1(double[] x, int xo, double[] ts, int m) {
        for (int i = 0; i < m; i += DL) {
            expm1Unclamped(DoubleVector.fromArray(DS, x, xo + i).abs().min(V_TANH_MAX).mul(V_TWO)).intoArray(ts, i);
        }
    }

    /** tanh's second pass over a block. */
    private static void tanhRatio(double[] x, int xo, double[] ts, double[] y, int yo, int m) {
        for (int i = 0; i < m; i += DL) {
            DoubleVector xv = DoubleVector.fromArray(DS, x, xo + i);
            tanhFinish(xv, xv.abs().min(V_TANH_MAX), DoubleVector.fromArray(DS, ts, i)).intoArray(y, yo + i);
        }
    }

    /** DetMath.expm1 for lanes within its clamp range (or NaN). */
    private static DoubleVector expm1Unclamped(DoubleVector xc) {
        DoubleVector t = xc.fma(V_INV_LN2, V_ZERO.blend(V_MINUS_HALF, xc.compare(VectorOperators.GT, V_ZERO))).add(V_SHIFT);
        DoubleVector kd = t.sub(V_SHIFT);
        DoubleVector hi = xc.sub(kd.mul(V_LN2_HI)), lo = kd.mul(V_LN2_LO), r = hi.sub(lo);
        DoubleVector cr = hi.sub(r).sub(lo);
        DoubleVector p = r.add(r.mul(r).fma(expm1Poly(r), cr.fma(r, cr)));
        DoubleVector u = pow2One(bits(t).sub(L_SHIFT_BITS).sub(L_ONE));
        DoubleVector e = u.fma(p, u.sub(V_HALF)).mul(V_TWO);
        return e.blend(xc, xc.abs().compare(VectorOperators.LT, V_TINY_EXPM1));
    }

    /** DetMath.expm1's q: the Taylor series of (expm1(r) - r) / r^2. */
    private static DoubleVector expm1Poly(DoubleVector r) {
        DoubleVector q = r.fma(V_E17, V_E16).fma(r, V_E15).fma(r, V_E14).fma(r, V_E13).fma(r, V_E12).fma(r, V_E11).fma(r, V_E10).fma(r, V_E9);
        return q.fma(r, V_E8).fma(r, V_E7).fma(r, V_E6).fma(r, V_E5).fma(r, V_E4).fma(r, V_E3).fma(r, V_E2);
    }

    /** DetMath.tanhFinish: t / (t + 2) corrected by its residual, |x| below 2^-55 kept, x's sign. */
    private static DoubleVector tanhFinish(DoubleVector xv, DoubleVector a, DoubleVector t) {
        DoubleVector s = t.add(V_TWO), bb = s.sub(t), se = t.sub(s.sub(bb)).add(V_TWO.sub(bb));
        DoubleVector qv = t.div(s);
        DoubleVector z = qv.add(qv.neg().fma(s, t).sub(qv.mul(se)).div(s));
        z = z.blend(a, a.compare(VectorOperators.LT, V_TINY_TANH));
        return (DoubleVector) bits(z).and(L_SIGN.not()).or(bits(xv).and(L_SIGN)).viewAsFloatingLanes();
    }

    /** sigmoid in two passes per block, as tanh: e = exp(-|x|) by exp's one-pass code, then the ratio. */
    private static void sigmoid(double[] x, int xo, double[] y, int yo, int n) {
        int up = DS.loopBound(n);
        double[] es = new double[Math.min(BLOCK, up)];
        for (int b = 0; b < up; b += BLOCK) {
            int m = Math.min(BLOCK, up - b);
            sigmoidExp(x, xo + b, es, m);
            sigmoidFinish(x, xo + b, es, y, yo + b, m);
        }
        for (int i = up; i < n; i++) y[yo + i] = DetMath.sigmoid(x[xo + i]);
    }

    /** es = DetMath.exp(-|x|) over a block. */
    private static void sigmoidExp(double[] x, int xo, double[] es, int m) {
        for (int i = 0; i < m; i += DL) {
            DoubleVector xv = DoubleVector.fromArray(DS, x, xo + i).abs().neg();
            boolean fast = xv.compare(VectorOperators.GE, V_EXP_FAST.neg()).allTrue();
            (fast ? expReduced(xv).mul(pow2One(bits(xv.fma(V_INV_LN2, V_SHIFT)).sub(L_SHIFT_BITS))) : expFull(xv)).intoArray(es, i);
        }
    }

    /** sigmoid's last pass, given e = exp(-|x|) (DetMath.sigmoidFinish). */
    private static void sigmoidFinish(double[] x, int xo, double[] es, double[] y, int yo, int m) {
        for (int i = 0; i < m; i += DL) {
            DoubleVector xv = DoubleVector.fromArray(DS, x, xo + i), e = DoubleVector.fromArray(DS, es, i);
            DoubleVector num = e.blend(1.0, xv.compare(VectorOperators.GE, 0.0));
            DoubleVector s = e.add(1.0), bb = s.sub(e), se = e.sub(s.sub(bb)).add(c(1.0).sub(bb));
            DoubleVector qv = num.div(s);
            qv.add(qv.neg().fma(s, num).sub(qv.mul(se)).div(s)).intoArray(y, yo + i);
        }
    }
}
