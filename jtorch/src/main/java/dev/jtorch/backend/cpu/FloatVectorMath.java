package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.FloatMath.*;

import dev.jtorch.ops.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatMath}'s functions on float vector lanes: each line the lane-wise image of the scalar line,
 * the same operations in the same order (an fma there is an fma here, a * b + c there is a multiply and
 * an add here, a ternary there a blend here), so that a lane and the scalar twin give the same bits. The
 * tail that does not fill a vector, and a vector with a lane the vector form leaves out (sin and cos
 * beyond {@link FloatMath#TRIG_MAX}, log of a lane that is not a positive normal float), go to the twin.
 * Where a vector's lanes allow a shorter sequence with the same result (exp and sigmoid within
 * {@link FloatMath#EXP_FAST}: one power of two instead of two, the same single rounding), the vector
 * takes it. Only reached when {@link Simd#AVAILABLE}.
 *
 * <p>Each loop body is one short method of vector operations, so that C2 inlines all of it (a vector
 * that crosses a call C2 did not inline is boxed, tens of times slower).
 */
final class FloatVectorMath {
    private FloatVectorMath() {}

    static final VectorSpecies<Float> FS = VectorKernels.FS;
    private static final VectorSpecies<Integer> IS = FS.withLanes(int.class);
    private static final int FL = FS.length();

    // FloatMath's constants as vectors: a static final vector costs C2 fewer nodes than a broadcast in the loop
    // (C2 stops inlining once a method reaches a node budget, and a vector op it did not inline is boxed)
    private static final FloatVector V_C4 = FloatVector.broadcast(FS, C4);
    private static final FloatVector V_C6 = FloatVector.broadcast(FS, C6);
    private static final FloatVector V_C8 = FloatVector.broadcast(FS, C8);
    private static final FloatVector V_E2 = FloatVector.broadcast(FS, E2);
    private static final FloatVector V_E3 = FloatVector.broadcast(FS, E3);
    private static final FloatVector V_E4 = FloatVector.broadcast(FS, E4);
    private static final FloatVector V_E5 = FloatVector.broadcast(FS, E5);
    private static final FloatVector V_E6 = FloatVector.broadcast(FS, E6);
    private static final FloatVector V_EXPM1_HI = FloatVector.broadcast(FS, EXPM1_HI);
    private static final FloatVector V_EXPM1_LO = FloatVector.broadcast(FS, EXPM1_LO);
    private static final FloatVector V_EXPM1_TINY = FloatVector.broadcast(FS, EXPM1_TINY);
    private static final FloatVector V_EXP_HI = FloatVector.broadcast(FS, EXP_HI);
    private static final FloatVector V_EXP_LO = FloatVector.broadcast(FS, EXP_LO);
    private static final FloatVector V_HALF = FloatVector.broadcast(FS, 0.5f);
    private static final FloatVector V_INF = FloatVector.broadcast(FS, Float.POSITIVE_INFINITY);
    private static final FloatVector V_INV_LN2 = FloatVector.broadcast(FS, INV_LN2);
    private static final FloatVector V_INV_PIO2 = FloatVector.broadcast(FS, INV_PIO2);
    private static final FloatVector V_IVLN10_HI = FloatVector.broadcast(FS, IVLN10_HI);
    private static final FloatVector V_IVLN10_LO = FloatVector.broadcast(FS, IVLN10_LO);
    private static final FloatVector V_L3 = FloatVector.broadcast(FS, L3);
    private static final FloatVector V_L5 = FloatVector.broadcast(FS, L5);
    private static final FloatVector V_L7 = FloatVector.broadcast(FS, L7);
    private static final FloatVector V_LN2_HI = FloatVector.broadcast(FS, LN2_HI);
    private static final FloatVector V_LN2_LO = FloatVector.broadcast(FS, LN2_LO);
    private static final FloatVector V_LOG10_2HI = FloatVector.broadcast(FS, LOG10_2HI);
    private static final FloatVector V_LOG10_2LO = FloatVector.broadcast(FS, LOG10_2LO);
    private static final FloatVector V_M2 = FloatVector.broadcast(FS, M2);
    private static final FloatVector V_M3 = FloatVector.broadcast(FS, M3);
    private static final FloatVector V_M4 = FloatVector.broadcast(FS, M4);
    private static final FloatVector V_M5 = FloatVector.broadcast(FS, M5);
    private static final FloatVector V_M6 = FloatVector.broadcast(FS, M6);
    private static final FloatVector V_M7 = FloatVector.broadcast(FS, M7);
    private static final FloatVector V_M8 = FloatVector.broadcast(FS, M8);
    private static final FloatVector V_MINUS_HALF = FloatVector.broadcast(FS, -0.5f);
    private static final FloatVector V_MIN_NORMAL = FloatVector.broadcast(FS, MIN_NORMAL);
    private static final FloatVector V_NEG_LN2_HI = FloatVector.broadcast(FS, NEG_LN2_HI);
    private static final FloatVector V_NEG_LN2_LO = FloatVector.broadcast(FS, NEG_LN2_LO);
    private static final FloatVector V_ONE = FloatVector.broadcast(FS, 1f);
    private static final FloatVector V_EXP_FAST = FloatVector.broadcast(FS, EXP_FAST);
    private static final FloatVector V_SIN_TINY = FloatVector.broadcast(FS, SIN_TINY);
    private static final FloatVector V_TANH_MAX = FloatVector.broadcast(FS, TANH_MAX);
    private static final FloatVector V_TRIG_MAX = FloatVector.broadcast(FS, TRIG_MAX);
    private static final IntVector I_ZERO = IntVector.zero(IS), I_ONE = I_ZERO.add(1), I_127 = I_ZERO.add(127),
            I_SHIFT_BITS = I_ZERO.add(SHIFT_BITS), I_SQRT_HALF_BITS = I_ZERO.add(SQRT_HALF_BITS), I_SIGN = I_ZERO.add(SIGN), I_NOT_SIGN = I_ZERO.add(~SIGN);
    private static final FloatVector V_PIO2_1 = FloatVector.broadcast(FS, PIO2_1);
    private static final FloatVector V_PIO2_2 = FloatVector.broadcast(FS, PIO2_2);
    private static final FloatVector V_PIO2_3 = FloatVector.broadcast(FS, PIO2_3);
    private static final FloatVector V_S3 = FloatVector.broadcast(FS, S3);
    private static final FloatVector V_S5 = FloatVector.broadcast(FS, S5);
    private static final FloatVector V_S7 = FloatVector.broadcast(FS, S7);
    private static final FloatVector V_SHIFT = FloatVector.broadcast(FS, SHIFT);
    private static final FloatVector V_T11 = FloatVector.broadcast(FS, T11);
    private static final FloatVector V_T3 = FloatVector.broadcast(FS, T3);
    private static final FloatVector V_T5 = FloatVector.broadcast(FS, T5);
    private static final FloatVector V_T7 = FloatVector.broadcast(FS, T7);
    private static final FloatVector V_T9 = FloatVector.broadcast(FS, T9);
    private static final FloatVector V_TANH_SMALL = FloatVector.broadcast(FS, TANH_SMALL);
    private static final FloatVector V_TWO = FloatVector.broadcast(FS, 2f);
    private static final FloatVector V_ZERO = FloatVector.broadcast(FS, 0f);

    /** One op's loop over a range. */
    private interface Kernel {
        void run(float[] x, int xo, float[] y, int yo, int n);
    }

    /**
     * The loops by op ordinal, each its own class: the call through this table is megamorphic, so C2 compiles each
     * loop on its own rather than inlining every loop a caller has seen into the caller, past its node budget.
     */
    private static final Kernel[] KERNELS = new Kernel[UnaryOp.values().length];

    static {
        KERNELS[UnaryOp.EXP.ordinal()] = FloatVectorMath::exp;
        KERNELS[UnaryOp.EXPM1.ordinal()] = FloatVectorMath::expm1;
        KERNELS[UnaryOp.LOG.ordinal()] = FloatVectorMath::log;
        KERNELS[UnaryOp.LOG1P.ordinal()] = FloatVectorMath::log1p;
        KERNELS[UnaryOp.LOG10.ordinal()] = FloatVectorMath::log10;
        KERNELS[UnaryOp.SIN.ordinal()] = (x, xo, y, yo, n) -> sinCos(0, x, xo, y, yo, n);
        KERNELS[UnaryOp.COS.ordinal()] = (x, xo, y, yo, n) -> sinCos(1, x, xo, y, yo, n);
        KERNELS[UnaryOp.TANH.ordinal()] = FloatVectorMath::tanh;
        KERNELS[UnaryOp.SIGMOID.ordinal()] = FloatVectorMath::sigmoid;
    }

    /** y = op(x) over n elements; x may be y. */
    static void unary(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
        Kernel k = KERNELS[op.ordinal()];
        if (k == null) throw new IllegalArgumentException(op.name());
        k.run(x, xo, y, yo, n);
    }

    /** The scalar twin over a range. */
    static void scalar(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
        if (!UnaryKernels.LIBM.contains(op)) throw new IllegalArgumentException(op.name());
        switch (op) { // UnaryKernels.LIBM
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

    // ---------------------------------------------------------------- loops

    // exp and sigmoid: a vector whose lanes are all within EXP_FAST needs no clamp, and 2^k is one float
    // (FloatMath scales by two factors for the sake of the extremes: the product is the same single rounding)

    private static boolean expFast(FloatVector x) { return x.abs().compare(VectorOperators.LE, V_EXP_FAST).allTrue(); }

    private static void exp(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = FS.loopBound(n);
        for (; i < up; i += FL) {
            FloatVector xv = FloatVector.fromArray(FS, x, xo + i);
            (expFast(xv) ? expInRange(xv) : exp(xv)).intoArray(y, yo + i);
        }
        scalar(UnaryOp.EXP, x, xo + i, y, yo + i, n - i);
    }

    private static void expm1(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = FS.loopBound(n);
        for (; i < up; i += FL) {
            expm1(FloatVector.fromArray(FS, x, xo + i)).intoArray(y, yo + i);
        }
        scalar(UnaryOp.EXPM1, x, xo + i, y, yo + i, n - i);
    }

    /** Whether every lane is a positive normal finite float, where the log kernels below need no special case. */
    private static boolean normal(FloatVector x) {
        return x.compare(VectorOperators.GE, V_MIN_NORMAL).and(x.compare(VectorOperators.LT, V_INF)).allTrue();
    }

    // log, log1p, log10: a vector with a lane that is not a positive normal float (0, a subnormal, a negative, inf,
    // NaN) is computed by the twin, which keeps the vector code within C2's inlining budget

    private static void log(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = FS.loopBound(n);
        for (; i < up; i += FL) {
            FloatVector xv = FloatVector.fromArray(FS, x, xo + i);
            if (normal(xv)) logPlus(xv, V_ZERO).intoArray(y, yo + i);
            else scalar(UnaryOp.LOG, x, xo + i, y, yo + i, FL);
        }
        scalar(UnaryOp.LOG, x, xo + i, y, yo + i, n - i);
    }

    private static void log1p(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = FS.loopBound(n);
        for (; i < up; i += FL) {
            FloatVector xv = FloatVector.fromArray(FS, x, xo + i);
            FloatVector u = xv.add(V_ONE);
            if (normal(u)) {
                FloatVector c = xv.sub(u.sub(V_ONE)).div(u);
                logPlus(u, c).blend(xv, xv.compare(VectorOperators.EQ, V_ZERO)).intoArray(y, yo + i);
            } else {
                scalar(UnaryOp.LOG1P, x, xo + i, y, yo + i, FL);
            }
        }
        scalar(UnaryOp.LOG1P, x, xo + i, y, yo + i, n - i);
    }

    private static void log10(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = FS.loopBound(n);
        for (; i < up; i += FL) {
            FloatVector xv = FloatVector.fromArray(FS, x, xo + i);
            if (normal(xv)) log10(xv).intoArray(y, yo + i);
            else scalar(UnaryOp.LOG10, x, xo + i, y, yo + i, FL);
        }
        scalar(UnaryOp.LOG10, x, xo + i, y, yo + i, n - i);
    }

    /** sin (quadrant 0) or cos (1); a vector with a lane above TRIG_MAX (or infinite) is computed by the twin. */
    private static void sinCos(int quadrant, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = FS.loopBound(n);
        UnaryOp op = quadrant == 0 ? UnaryOp.SIN : UnaryOp.COS;
        for (; i < up; i += FL) {
            FloatVector xv = FloatVector.fromArray(FS, x, xo + i), ax = xv.abs();
            if (ax.compare(VectorOperators.GT, V_TRIG_MAX).anyTrue()) {
                scalar(op, x, xo + i, y, yo + i, FL);
                continue;
            }
            // sinCos(xv, quadrant) written out: as a helper, once C2 has compiled it on its own (short tensors) it is
            // "already compiled into a big method", not inlined, and its vectors boxed (3x slower)
            FloatVector t = xv.fma(V_INV_PIO2, V_SHIFT);
            FloatVector nn = t.sub(V_SHIFT);
            IntVector q = bits(t).sub(I_SHIFT_BITS).add(quadrant);
            FloatVector r1 = nn.neg().fma(V_PIO2_1, xv);
            FloatVector th = nn.mul(V_PIO2_2), tl = nn.fma(V_PIO2_2, th.neg());
            FloatVector hi = r1.sub(th), bb = hi.sub(r1);
            FloatVector e = r1.sub(hi.sub(bb)).sub(th.add(bb));
            FloatVector lo = nn.neg().fma(V_PIO2_3, e.sub(tl));
            FloatVector r = sinPoly(hi, lo).blend(cosPoly(hi, lo), q.and(I_ONE).compare(VectorOperators.NE, I_ZERO).cast(FS));
            r = floats(bits(r).lanewise(VectorOperators.XOR, q.lanewise(VectorOperators.LSHL, 30).and(I_SIGN)));
            if (quadrant == 0) r = r.blend(xv, ax.compare(VectorOperators.LT, V_SIN_TINY));
            r.intoArray(y, yo + i);
        }
        scalar(op, x, xo + i, y, yo + i, n - i);
    }

    /**
     * FloatMath.tanh: where every lane is below TANH_SMALL only the odd polynomial, where none is only the quotient,
     * both only for a vector with lanes on both sides. Everything is written out in the loop, with no helper of this
     * class: C2 stops inlining ordinary methods once the loop passes NodeCountInliningCutoff (and a helper compiled on
     * its own first is "already compiled into a big method"), and what it does not inline boxes its vectors (3x
     * slower); the Vector API's own methods are force-inlined past that cutoff.
     */
    private static void tanh(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = FS.loopBound(n);
        for (; i < up; i += FL) {
            FloatVector xv = FloatVector.fromArray(FS, x, xo + i), a = xv.abs();
            VectorMask<Float> small = a.compare(VectorOperators.LT, V_TANH_SMALL);
            FloatVector r = V_ZERO;
            if (!small.allTrue()) {
                // 1 - 2 / (expm1(2 min(a, TANH_MAX)) + 2), the same bits as FloatMath for every lane with a >= TANH_SMALL
                // (or NaN): there expm1's argument is in [1.1, 19], where its clamp and its tiny-argument blend cannot
                // bind and its offset is -1/2; lanes below TANH_SMALL are replaced below
                FloatVector xc = a.min(V_TANH_MAX).mul(V_TWO);
                FloatVector t = xc.fma(V_INV_LN2, V_MINUS_HALF).add(V_SHIFT);
                FloatVector k = t.sub(V_SHIFT);
                FloatVector r1 = k.fma(V_NEG_LN2_HI, xc);
                FloatVector rr = k.fma(V_NEG_LN2_LO, r1);
                FloatVector rc = k.fma(V_NEG_LN2_LO, r1.sub(rr));
                FloatVector q = V_M8.fma(rr, V_M7).fma(rr, V_M6).fma(rr, V_M5).fma(rr, V_M4).fma(rr, V_M3).fma(rr, V_M2);
                FloatVector p = rr.add(rr.mul(rr).fma(q, rc.fma(rr, rc)));
                FloatVector u = ((IntVector) t.viewAsIntegralLanes()).sub(I_SHIFT_BITS).sub(I_ONE).add(I_127)
                        .lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes().reinterpretAsFloats();
                FloatVector e = u.fma(p, u.sub(V_HALF)).mul(V_TWO);
                FloatVector s = e.add(V_TWO), se = e.sub(s).add(V_TWO);
                FloatVector qt = V_TWO.div(s);
                FloatVector res = qt.neg().fma(s, V_TWO).sub(qt.mul(se));
                r = V_ONE.sub(res.fma(qt.mul(V_HALF), qt));
            }
            if (small.anyTrue()) {
                FloatVector z = a.mul(a);
                r = r.blend(a.mul(z).fma(V_T11.fma(z, V_T9).fma(z, V_T7).fma(z, V_T5).fma(z, V_T3), a), small);
            }
            IntVector rb = (IntVector) r.viewAsIntegralLanes(), xb = (IntVector) xv.viewAsIntegralLanes();
            rb.and(I_NOT_SIGN).or(xb.and(I_SIGN)).reinterpretAsFloats().intoArray(y, yo + i);
        }
        scalar(UnaryOp.TANH, x, xo + i, y, yo + i, n - i);
    }

    private static void sigmoid(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = FS.loopBound(n);
        for (; i < up; i += FL) {
            FloatVector xv = FloatVector.fromArray(FS, x, xo + i);
            if (!expFast(xv)) {
                sigmoid(xv).intoArray(y, yo + i);
                continue;
            }
            // sigmoidInRange and sigmoidFinish written out: as helpers, once C2 has compiled them on their own (short
            // tensors) they are "already compiled into a big method", not inlined, and their vectors boxed (3x slower)
            FloatVector xc = xv.abs().neg();
            FloatVector t = xc.fma(V_INV_LN2, V_SHIFT);
            FloatVector k = t.sub(V_SHIFT);
            FloatVector r1 = k.fma(V_NEG_LN2_HI, xc);
            FloatVector r = k.fma(V_NEG_LN2_LO, r1);
            FloatVector rc = k.fma(V_NEG_LN2_LO, r1.sub(r));
            FloatVector q = V_E6.fma(r, V_E5).fma(r, V_E4).fma(r, V_E3).fma(r, V_E2);
            FloatVector p = r.mul(r).fma(q, rc);
            FloatVector hi = r.add(V_ONE), el0 = V_ONE.sub(hi).add(r).add(p);
            FloatVector ey = hi.add(el0), ylo = hi.sub(ey).add(el0);
            FloatVector scale = pow2(bits(t).sub(I_SHIFT_BITS));
            FloatVector e = ey.mul(scale), el = ylo.mul(scale);
            FloatVector s = e.add(V_ONE), se = V_ONE.sub(s).add(e).add(el);
            VectorMask<Float> pos = xv.compare(VectorOperators.GE, V_ZERO);
            FloatVector num = e.blend(V_ONE, pos);
            FloatVector inv = V_ONE.div(s), qq = num.mul(inv);
            FloatVector res = qq.neg().fma(s, num).add(el.blend(V_ZERO, pos)).sub(qq.mul(se));
            res.fma(inv, qq).intoArray(y, yo + i);
        }
        scalar(UnaryOp.SIGMOID, x, xo + i, y, yo + i, n - i);
    }

    // ---------------------------------------------------------------- helpers

    private static IntVector bits(FloatVector v) { return (IntVector) v.viewAsIntegralLanes(); }

    private static FloatVector floats(IntVector v) { return (FloatVector) v.viewAsFloatingLanes(); }

    /** FloatMath.pow2. */
    private static FloatVector pow2(IntVector k) { return floats(k.add(I_127).lanewise(VectorOperators.LSHL, 23)); }

    // ---------------------------------------------------------------- exp, expm1 (FloatMath.exp, expm1)

    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(V_EXP_LO).min(V_EXP_HI);
        FloatVector t = xc.fma(V_INV_LN2, V_SHIFT);
        FloatVector k = t.sub(V_SHIFT);
        IntVector ki = bits(t).sub(I_SHIFT_BITS);
        FloatVector r1 = k.fma(V_NEG_LN2_HI, xc);
        FloatVector r = k.fma(V_NEG_LN2_LO, r1);
        FloatVector rc = k.fma(V_NEG_LN2_LO, r1.sub(r));
        FloatVector q = V_E6.fma(r, V_E5).fma(r, V_E4).fma(r, V_E3).fma(r, V_E2);
        FloatVector p = r.mul(r).fma(q, rc);
        FloatVector hi = r.add(V_ONE), e = V_ONE.sub(hi).add(r);
        FloatVector y = hi.add(e.add(p));
        IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
        return y.mul(pow2(k1)).mul(pow2(ki.sub(k1)));
    }

    /** exp for |x| <= EXP_FAST: 2^k with k in [-126, 126] is one normal float. */
    static FloatVector expInRange(FloatVector x) {
        FloatVector t = x.fma(V_INV_LN2, V_SHIFT);
        FloatVector k = t.sub(V_SHIFT);
        FloatVector r1 = k.fma(V_NEG_LN2_HI, x);
        FloatVector r = k.fma(V_NEG_LN2_LO, r1);
        FloatVector rc = k.fma(V_NEG_LN2_LO, r1.sub(r));
        FloatVector q = V_E6.fma(r, V_E5).fma(r, V_E4).fma(r, V_E3).fma(r, V_E2);
        FloatVector p = r.mul(r).fma(q, rc);
        FloatVector hi = r.add(V_ONE), e = V_ONE.sub(hi).add(r);
        return hi.add(e.add(p)).mul(pow2(bits(t).sub(I_SHIFT_BITS)));
    }

    static FloatVector expm1(FloatVector x) {
        FloatVector xc = x.max(V_EXPM1_LO).min(V_EXPM1_HI);
        FloatVector t = xc.fma(V_INV_LN2, V_ZERO.blend(V_MINUS_HALF, xc.compare(VectorOperators.GT, V_ZERO))).add(V_SHIFT);
        FloatVector k = t.sub(V_SHIFT);
        IntVector ki = bits(t).sub(I_SHIFT_BITS);
        FloatVector r1 = k.fma(V_NEG_LN2_HI, xc);
        FloatVector r = k.fma(V_NEG_LN2_LO, r1);
        FloatVector rc = k.fma(V_NEG_LN2_LO, r1.sub(r));
        FloatVector q = V_M8.fma(r, V_M7).fma(r, V_M6).fma(r, V_M5).fma(r, V_M4).fma(r, V_M3).fma(r, V_M2);
        FloatVector p = r.add(r.mul(r).fma(q, rc.fma(r, rc)));
        FloatVector u = pow2(ki.sub(I_ONE));
        FloatVector y = u.fma(p, u.sub(V_HALF)).mul(V_TWO);
        return y.blend(x, x.abs().compare(VectorOperators.LT, V_EXPM1_TINY));
    }

    // ---------------------------------------------------------------- log, log1p, log10 (FloatMath.logPlus, log10)

    /** FloatMath.logExponent, as a float, for positive normal x. */
    private static FloatVector logK(FloatVector x) {
        IntVector k = bits(x).sub(I_SQRT_HALF_BITS).lanewise(VectorOperators.ASHR, 23);
        return (FloatVector) k.convert(VectorOperators.I2F, 0);
    }

    /** FloatMath.logF for positive normal x. */
    private static FloatVector logF(FloatVector x) {
        IntVector b = bits(x);
        return floats(b.sub(b.sub(I_SQRT_HALF_BITS).lanewise(VectorOperators.ASHR, 23).lanewise(VectorOperators.LSHL, 23))).sub(V_ONE);
    }

    /** FloatMath.logR. */
    private static FloatVector logR(FloatVector s) {
        FloatVector z = s.mul(s);
        return z.mul(V_L7.fma(z, V_L5).fma(z, V_L3));
    }

    /** FloatMath.logPlus for positive normal x. */
    static FloatVector logPlus(FloatVector x, FloatVector c) {
        FloatVector k = logK(x), f = logF(x);
        FloatVector hfsq = f.mul(V_HALF).mul(f), s = f.div(V_TWO.add(f));
        FloatVector a = s.fma(hfsq.add(logR(s)), k.fma(V_LN2_LO, c));
        return k.mul(V_LN2_HI).sub(hfsq.sub(a).sub(f));
    }

    /** FloatMath.log10 for positive normal x. */
    static FloatVector log10(FloatVector x) {
        FloatVector k = logK(x), f = logF(x);
        FloatVector hfsq = f.mul(V_HALF).mul(f), s = f.div(V_TWO.add(f));
        FloatVector hi = f.sub(hfsq);
        FloatVector lo = f.sub(hi).sub(hfsq).add(s.mul(hfsq.add(logR(s))));
        FloatVector small = lo.fma(V_IVLN10_HI, hi.add(lo).fma(V_IVLN10_LO, k.mul(V_LOG10_2LO)));
        FloatVector p = hi.mul(V_IVLN10_HI), pe = hi.fma(V_IVLN10_HI, p.neg());
        FloatVector kh = k.mul(V_LOG10_2HI), sum = kh.add(p), se = kh.sub(sum).add(p);
        return sum.add(se.add(pe).add(small));
    }

    // ---------------------------------------------------------------- sin, cos (FloatMath.sinCos)

    /** sin(hi + lo) for |hi| <= pi/4 (k_sin). */
    private static FloatVector sinPoly(FloatVector hi, FloatVector lo) {
        FloatVector z = hi.mul(hi), hz = z.mul(V_HALF);
        return hi.add(z.mul(hi).fma(V_S7.fma(z, V_S5).fma(z, V_S3), hz.fma(lo.neg(), lo)));
    }

    /** cos(hi + lo) for |hi| <= pi/4 (k_cos). */
    private static FloatVector cosPoly(FloatVector hi, FloatVector lo) {
        FloatVector z = hi.mul(hi), hz = z.mul(V_HALF);
        FloatVector w = V_ONE.sub(hz);
        return w.add(V_ONE.sub(w).sub(hz).add(z.mul(z).fma(V_C8.fma(z, V_C6).fma(z, V_C4), hi.mul(lo).neg())));
    }

    // ---------------------------------------------------------------- tanh, sigmoid (FloatMath.tanhFinish, sigmoid)

    static FloatVector sigmoid(FloatVector x) {
        FloatVector xc = x.abs().neg().max(V_EXP_LO);
        FloatVector t = xc.fma(V_INV_LN2, V_SHIFT);
        FloatVector k = t.sub(V_SHIFT);
        IntVector ki = bits(t).sub(I_SHIFT_BITS);
        FloatVector r1 = k.fma(V_NEG_LN2_HI, xc);
        FloatVector r = k.fma(V_NEG_LN2_LO, r1);
        FloatVector rc = k.fma(V_NEG_LN2_LO, r1.sub(r));
        FloatVector q = V_E6.fma(r, V_E5).fma(r, V_E4).fma(r, V_E3).fma(r, V_E2);
        FloatVector p = r.mul(r).fma(q, rc);
        FloatVector hi = r.add(V_ONE), el = V_ONE.sub(hi).add(r).add(p);
        FloatVector y = hi.add(el), ylo = hi.sub(y).add(el);
        IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
        FloatVector scale1 = pow2(k1), scale2 = pow2(ki.sub(k1));
        return sigmoidFinish(x, y.mul(scale1).mul(scale2), ylo.mul(scale1).mul(scale2));
    }

    static FloatVector sigmoidFinish(FloatVector x, FloatVector e, FloatVector el) {
        FloatVector s = e.add(V_ONE), se = V_ONE.sub(s).add(e).add(el);
        VectorMask<Float> pos = x.compare(VectorOperators.GE, V_ZERO);
        FloatVector num = e.blend(V_ONE, pos);
        FloatVector inv = V_ONE.div(s), q = num.mul(inv);
        FloatVector res = q.neg().fma(s, num).add(el.blend(V_ZERO, pos)).sub(q.mul(se));
        return res.fma(inv, q);
    }
}
