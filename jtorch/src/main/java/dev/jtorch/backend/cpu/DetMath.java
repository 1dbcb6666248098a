package dev.jtorch.backend.cpu;

/**
 * exp, expm1, log, log1p, log10, sin, cos, tanh and sigmoid in double precision, built only from
 * operations IEEE 754 rounds exactly (+, -, *, /, fma, comparisons, bit moves), so that they give the
 * same bits interpreted or compiled, on every path. {@link VectorMath} computes the same functions on
 * vector lanes with exactly these operation sequences: this class is its scalar twin (tails, strided
 * runs, the plain-Java fallback, the half types), and {@code VectorMathTest} checks the two agree bit
 * for bit. The Vector API's own transcendental lane operations are avoided on purpose: they are a Java
 * fallback until C2 compiles the loop, then an intrinsic stub that rounds differently.
 *
 * <p>The algorithms and coefficients are FDLIBM's ({@code java.lang.FdLibm}, e_exp.c, e_log.c,
 * e_log10.c, k_sin.c, k_cos.c, s_tanh.c), restated without data-dependent branches; expm1 is a
 * Taylor polynomial on the reduced argument. Worst errors measured against mpmath are in
 * {@code VectorMathTest}: below one ulp. float32 computes these in double and rounds once.
 */
final class DetMath {
    private DetMath() {}

    // ---------------------------------------------------------------- shared constants

    /** 1.5 * 2^52: adding it rounds a double below 2^51 in magnitude to an integer, kept in the low mantissa bits. */
    static final double SHIFT = 0x1.8p52;
    static final long SHIFT_BITS = Double.doubleToRawLongBits(SHIFT);
    static final long SIGN = 0x8000_0000_0000_0000L, MANTISSA = 0x000f_ffff_ffff_ffffL, ONE_BITS = 0x3ff0_0000_0000_0000L;
    static final double INV_LN2 = 0x1.71547652b82fep0;
    /** ln 2 split so that k * LN2_HI is exact for |k| < 2^20. */
    static final double LN2_HI = 0x1.62e42feep-1, LN2_LO = 0x1.a39ef35793c76p-33;

    /** 2^k for an integer k in [-1022, 1023] held as a long. */
    static double pow2(long k) { return Double.longBitsToDouble((k + 1023) << 52); }

    // ---------------------------------------------------------------- exp (FDLIBM e_exp.c)

    static final double EXP_LO = -746, EXP_HI = 710; // beyond these exp is 0 or inf; clamping keeps 2^k in range
    static final double EXP_P1 = 0x1.555555555553ep-3, EXP_P2 = -0x1.6c16c16bebd93p-9, EXP_P3 = 0x1.1566aaf25de2cp-14,
            EXP_P4 = -0x1.bbd41c5d26bf1p-20, EXP_P5 = 0x1.6376972bea4d0p-25;

    static double exp(double x) {
        double xc = Math.min(Math.max(x, EXP_LO), EXP_HI); // NaN stays NaN
        double t = Math.fma(xc, INV_LN2, SHIFT);
        double kd = t - SHIFT;
        long k = Double.doubleToRawLongBits(t) - SHIFT_BITS;
        double hi = xc - kd * LN2_HI, lo = kd * LN2_LO, r = hi - lo;
        double z = r * r;
        double c = r - z * Math.fma(Math.fma(Math.fma(Math.fma(z, EXP_P5, EXP_P4), z, EXP_P3), z, EXP_P2), z, EXP_P1);
        double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
        // 2^k in two factors, so that k down to -1076 (subnormal results) and up to 1024 (overflow) stay representable
        long k1 = Double.doubleToRawLongBits(Math.fma(kd, 0.5, SHIFT)) - SHIFT_BITS;
        return y * pow2(k1) * pow2(k - k1);
    }

    // ---------------------------------------------------------------- expm1

    static final double EXPM1_LO = -40, EXPM1_HI = 709.8; // expm1 is -1 below, inf above
    /** 1/n! for n = 2 ... 17: the Taylor series of (expm1(r) - r) / r^2, enough for |r| <= ln 2. */
    static final double E2 = 1.0 / 2, E3 = 1.0 / 6, E4 = 1.0 / 24, E5 = 1.0 / 120, E6 = 1.0 / 720, E7 = 1.0 / 5040, E8 = 1.0 / 40320,
            E9 = 1.0 / 362880, E10 = 1.0 / 3628800, E11 = 1.0 / 39916800, E12 = 1.0 / 479001600, E13 = 1.0 / 6227020800L,
            E14 = 1.0 / 87178291200L, E15 = 1.0 / 1307674368000L, E16 = 1.0 / 20922789888000L, E17 = 1.0 / 355687428096000L;

    /**
     * expm1(x) = 2^k (1 + expm1(r)) - 1 with r = x - k ln2: k = floor(x / ln2) above 0, so that r is in [0, ln2] and
     * nothing cancels; k = round(x / ln2) below. k = 0 for -ln2/2 < x < ln2, where r = x exactly.
     */
    static double expm1(double x) {
        double xc = Math.min(Math.max(x, EXPM1_LO), EXPM1_HI);
        double t = Math.fma(xc, INV_LN2, xc > 0 ? -0.5 : 0.0) + SHIFT;
        double kd = t - SHIFT;
        long k = Double.doubleToRawLongBits(t) - SHIFT_BITS;
        double hi = xc - kd * LN2_HI, lo = kd * LN2_LO, r = hi - lo;
        double cr = (hi - r) - lo; // what r lost to rounding
        double q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, E17, E16), r, E15), r, E14), r, E13), r, E12), r, E11), r, E10), r, E9);
        q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(q, r, E8), r, E7), r, E6), r, E5), r, E4), r, E3), r, E2);
        double p = r + Math.fma(r * r, q, Math.fma(cr, r, cr)); // expm1(r + cr) ~ expm1(r) + cr (1 + r)
        double u = pow2(k - 1);
        double y = 2.0 * Math.fma(u, p, u - 0.5); // 2^k p + 2^k - 1, with 2^(k-1) representable up to k = 1024
        return Math.abs(x) < 0x1p-54 ? x : y; // keeps -0 and tiny values exact
    }

    // ---------------------------------------------------------------- log, log1p, log10 (FDLIBM e_log.c, s_log1p.c, e_log10.c)

    static final double SQRT2 = 0x1.6a09e667f3bcdp0, MIN_NORMAL = 0x1p-1022, TWO54 = 0x1p54;
    static final double LG1 = 0x1.5555555555593p-1, LG2 = 0x1.999999997fa04p-2, LG3 = 0x1.2492494229359p-2,
            LG4 = 0x1.c71c51d8e78afp-3, LG5 = 0x1.7466496cb03dep-3, LG6 = 0x1.39a09d078c69fp-3, LG7 = 0x1.2f112df3e5244p-3;
    /** 1/ln 10 and log10(2) split so that products with a 21-bit hi are exact (FreeBSD e_log10.c). */
    static final double IVLN10_HI = 0x1.bcb7bp-2, IVLN10_LO = 0x1.526e50e32a6abp-26,
            LOG10_2HI = 0x1.34413509f6p-2, LOG10_2LO = 0x1.9fef311f12b36p-42;
    static final long LOW32 = 0xffff_ffff_0000_0000L;

    /** The exponent k (as a double) of x = 2^k m with m in [sqrt(1/2), sqrt(2)), for x > 0 finite; subnormals scaled first. */
    private static double logExponent(double x) {
        boolean sub = x < MIN_NORMAL;
        double xs = sub ? x * TWO54 : x;
        long bits = Double.doubleToRawLongBits(xs);
        double e = Double.longBitsToDouble((bits >>> 52) + SHIFT_BITS) - SHIFT - (sub ? 1077 : 1023);
        double m = Double.longBitsToDouble((bits & MANTISSA) | ONE_BITS);
        return m > SQRT2 ? e + 1 : e;
    }

    /** The m of {@link #logExponent}. */
    private static double logMantissa(double x) {
        double xs = x < MIN_NORMAL ? x * TWO54 : x;
        double m = Double.longBitsToDouble((Double.doubleToRawLongBits(xs) & MANTISSA) | ONE_BITS);
        return m > SQRT2 ? m * 0.5 : m;
    }

    /** FDLIBM's R(z) with s = f / (2 + f), z = s^2: log(1 + f) = f - hfsq + s (hfsq + R). */
    private static double logR(double z) {
        double w = z * z;
        double t1 = w * Math.fma(w, Math.fma(w, LG6, LG4), LG2);
        double t2 = z * Math.fma(w, Math.fma(w, Math.fma(w, LG7, LG5), LG3), LG1);
        return t2 + t1;
    }

    /** log for x > 0 finite, plus c (a correction far below one ulp of the result); other x give NaN, -inf or inf. */
    static double logPlus(double x, double c) {
        double k = logExponent(x), f = logMantissa(x) - 1.0;
        double hfsq = 0.5 * f * f, s = f / (2.0 + f), R = logR(s * s);
        double y = k * LN2_HI - ((hfsq - (s * (hfsq + R) + (k * LN2_LO + c))) - f);
        return logSpecial(x, y);
    }

    /** y where log is finite; -inf at 0, inf at inf, NaN below 0 and for NaN. */
    static double logSpecial(double x, double y) {
        if (x > 0 && x < Double.POSITIVE_INFINITY) return y;
        return x == 0 ? Double.NEGATIVE_INFINITY : x == Double.POSITIVE_INFINITY ? x : Double.NaN;
    }

    static double log(double x) { return logPlus(x, 0.0); }

    /** log(u) plus the rounding error of u = 1 + x, divided by u (s_log1p.c's correction term). */
    static double log1p(double x) {
        double u = 1.0 + x;
        double c = (x - (u - 1.0)) / u;
        double y = logPlus(u, c);
        return x == 0 ? x : y; // keeps -0
    }

    /** e_log10.c: log(m) as hi + lo with hi's low 32 bits clear, each times 1/ln10 in two parts, added to k log10(2). */
    static double log10(double x) {
        double k = logExponent(x), f = logMantissa(x) - 1.0;
        double hfsq = 0.5 * f * f, s = f / (2.0 + f), R = logR(s * s);
        double hi = Double.longBitsToDouble(Double.doubleToRawLongBits(f - hfsq) & LOW32);
        double lo = ((f - hi) - hfsq) + s * (hfsq + R);
        double valHi = hi * IVLN10_HI, y2 = k * LOG10_2HI;
        double valLo = (k * LOG10_2LO + (lo + hi) * IVLN10_LO) + lo * IVLN10_HI;
        double w = y2 + valHi;
        valLo = valLo + ((y2 - w) + valHi);
        return logSpecial(x, valLo + w);
    }

    // ---------------------------------------------------------------- sin, cos (FDLIBM k_sin.c, k_cos.c)

    /** Above this |x| the reduction below loses accuracy: StrictMath's Payne-Hanek reduction takes over. */
    static final double TRIG_MAX = 0x1p20;
    static final double INV_PIO2 = 0x1.45f306dc9c883p-1;
    /** pi/2 = PIO2_1 + PIO2_2 + PIO2_3 to about 160 bits. */
    static final double PIO2_1 = 0x1.921fb54442d18p0, PIO2_2 = 0x1.1a62633145c07p-54, PIO2_3 = -0x1.f1976b7ed8fbcp-110;
    static final double S1 = -0x1.5555555555549p-3, S2 = 0x1.111111110f8a6p-7, S3 = -0x1.a01a019c161d5p-13,
            S4 = 0x1.71de357b1fe7dp-19, S5 = -0x1.ae5e68a2b9cebp-26, S6 = 0x1.5d93a5acfd57cp-33;
    static final double C1 = 0x1.555555555554cp-5, C2 = -0x1.6c16c16c15177p-10, C3 = 0x1.a01a019cb159p-16,
            C4 = -0x1.27e4f809c52adp-22, C5 = 0x1.1ee9ebdb4b1c4p-29, C6 = -0x1.8fae9be8838d4p-37;
    /** k_cos.c's thresholds on |x| for its qx term (0.3 as its high-word test, and 0.78125). */
    static final double COS_Q_LO = 0x1.33333p-2, COS_Q_HI = 0x1.9p-1, COS_Q_MAX = 0.28125;
    static final long QUARTER_BITS = 0x0020_0000_0000_0000L;

    static double sin(double x) { return Math.abs(x) > TRIG_MAX ? StrictMath.sin(x) : Math.abs(x) < 0x1p-27 ? x : sinCos(x, 0); }

    static double cos(double x) { return Math.abs(x) > TRIG_MAX ? StrictMath.cos(x) : sinCos(x, 1); }

    /** sin(x + quadrant * pi/2) for |x| <= TRIG_MAX (or NaN): x - n pi/2 as hi + lo, then k_sin or k_cos by quadrant. */
    static double sinCos(double x, int quadrant) {
        double t = Math.fma(x, INV_PIO2, SHIFT);
        double n = t - SHIFT;
        long q = Double.doubleToRawLongBits(t) + quadrant; // n's low bits (SHIFT's are 0)
        double r1 = Math.fma(-n, PIO2_1, x); // exact: a multiple of 2^-52 below 1 in magnitude
        double p = n * PIO2_2, pe = Math.fma(n, PIO2_2, -p); // p + pe = n PIO2_2 exactly
        double r2 = r1 - p, bb = r2 - r1, e2 = (r1 - (r2 - bb)) - (p + bb); // r2 + e2 = r1 - p exactly
        double lo = (e2 - pe) - n * PIO2_3;
        double hi = r2 + lo, y = (r2 - hi) + lo;
        double z = hi * hi;
        // k_sin.c: sin(hi + y)
        double v = z * hi;
        double rs = Math.fma(z, Math.fma(z, Math.fma(z, Math.fma(z, S6, S5), S4), S3), S2);
        double sin = hi - ((z * (0.5 * y - v * rs) - y) - v * S1);
        // k_cos.c: cos(hi + y)
        double rc = z * Math.fma(z, Math.fma(z, Math.fma(z, Math.fma(z, Math.fma(z, C6, C5), C4), C3), C2), C1);
        double ah = Math.abs(hi);
        double qx = ah < COS_Q_LO ? 0.0 : ah > COS_Q_HI ? COS_Q_MAX : Double.longBitsToDouble((Double.doubleToRawLongBits(ah) - QUARTER_BITS) & LOW32);
        double cos = (1.0 - qx) - ((0.5 * z - qx) - (z * rc - hi * y));
        double r = (q & 1) == 0 ? sin : cos;
        return (q & 2) == 0 ? r : -r;
    }

    // ---------------------------------------------------------------- tanh, sigmoid

    static final double TANH_MAX = 22; // tanh rounds to 1 above

    /**
     * tanh|x| = t / (t + 2) with t = expm1(2|x|), an identity that passes t's error on at most once; t + 2 is
     * kept exactly as a sum of two doubles and the quotient corrected by its residual.
     */
    static double tanh(double x) { return tanhFinish(x, expm1(2.0 * Math.min(Math.abs(x), TANH_MAX))); }

    static double tanhFinish(double x, double t) {
        double a = Math.min(Math.abs(x), TANH_MAX);
        double z = ratio(t, t, 2.0);
        z = a < 0x1p-55 ? a : z;
        return Double.longBitsToDouble((Double.doubleToRawLongBits(z) & ~SIGN) | (Double.doubleToRawLongBits(x) & SIGN));
    }

    /** 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) below, without overflow. */
    static double sigmoid(double x) { return sigmoidFinish(x, exp(-Math.abs(x))); }

    static double sigmoidFinish(double x, double e) { return ratio(x >= 0 ? 1.0 : e, e, 1.0); }

    /** num / (a + b) rounded about once: a + b as an exact two-term sum, the quotient corrected by its residual. */
    static double ratio(double num, double a, double b) {
        double s = a + b, bb = s - a, se = (a - (s - bb)) + (b - bb);
        double q = num / s;
        return q + (Math.fma(-q, s, num) - q * se) / s;
    }
}
