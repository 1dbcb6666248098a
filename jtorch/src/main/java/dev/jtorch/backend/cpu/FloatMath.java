package dev.jtorch.backend.cpu;

/**
 * exp, expm1, log, log1p, log10, sin, cos, tanh and sigmoid in float32 arithmetic, built only from
 * operations IEEE 754 rounds exactly (float +, -, *, /, fma, min, max, comparisons, bit moves), so that
 * they give the same bits interpreted or compiled, on every path. {@link FloatVectorMath} computes the
 * same functions on float vector lanes with exactly these operation sequences (the order of every
 * addition and the place of every fma is the same): this class is its scalar twin, used for the tails
 * that do not fill a vector, for vectors with a lane the vector form leaves out (sin and cos of large
 * arguments), on the plain-Java path and for float16 / bfloat16 (computed in float32, as PyTorch does).
 *
 * <p>The algorithms are the classic single-precision ones (as in Cephes and SLEEF): Cody-Waite range
 * reduction with fma, polynomials on the reduced argument, the result scaled by 2^k through its exponent
 * bits. The polynomial coefficients are near-minimax fits rounded to float32, made by
 * {@code src/test/resources/golden/detmath/fit_float32.py} (which prints their errors); their own error is
 * below 0.07 ulp, and rounding errors that would matter are carried (the part of the reduced argument
 * that rounding lost, exact two-term sums for 1 + r, t + 2 and 1 + e). {@code VectorMathTest} checks every
 * function against the correctly rounded float of StrictMath's double value: at most one ulp apart.
 */
final class FloatMath {
    private FloatMath() {}

    /** The op on float32 compute types: float32 itself, and float16 / bfloat16, which PyTorch computes in float32. */
    static boolean computesIn(dev.jtorch.DType t) {
        return t == dev.jtorch.DType.float32 || t == dev.jtorch.DType.float16 || t == dev.jtorch.DType.bfloat16;
    }

    // ---------------------------------------------------------------- shared constants

    /** 1.5 * 2^23: adding it rounds a float below 2^22 in magnitude to an integer, kept in the low mantissa bits. */
    static final float SHIFT = 0x1.8p23f;
    static final int SHIFT_BITS = Float.floatToRawIntBits(SHIFT);
    static final int SIGN = 0x8000_0000;
    static final float INV_LN2 = 0x1.715476p0f;
    /** -ln 2 in two parts: x - k LN2_HI is exact for the k here, and LN2_LO is ln 2 - LN2_HI rounded. */
    static final float NEG_LN2_HI = -0x1.62e43p-1f, NEG_LN2_LO = 0x1.05c61p-29f;

    /** 2^k for an integer k in [-126, 127]. */
    static float pow2(int k) { return Float.intBitsToFloat((k + 127) << 23); }

    // ---------------------------------------------------------------- exp

    /** Beyond these exp is 0 or inf in float32; clamping keeps 2^k representable in two factors. */
    static final float EXP_LO = -104f, EXP_HI = 89f;
    /** Up to this |x|, k is in [-126, 126] and 2^k one normal float (FloatVectorMath's fast path). */
    static final float EXP_FAST = 87f;
    /** e^r = 1 + r + r^2 (E2 + E3 r + E4 r^2 + E5 r^3 + E6 r^4) for |r| <= ln2 / 2. */
    static final float E2 = 0x1.fffff8p-2f, E3 = 0x1.55548ep-3f, E4 = 0x1.555b9ap-5f, E5 = 0x1.123bf0p-7f, E6 = 0x1.684fe4p-10f;

    /**
     * e^x = 2^k e^r with k = round(x / ln2) and r = x - k ln2 (r plus rc, what its rounding lost); 1 + r is
     * kept as an exact sum hi + e, so that the result is rounded about once, then scaled by 2^k in two
     * factors (k down to -150, subnormal results, and up to 128, overflow).
     */
    static float exp(float x) {
        float xc = Math.min(Math.max(x, EXP_LO), EXP_HI); // NaN stays NaN
        float t = Math.fma(xc, INV_LN2, SHIFT);
        float k = t - SHIFT;
        int ki = Float.floatToRawIntBits(t) - SHIFT_BITS;
        float r1 = Math.fma(k, NEG_LN2_HI, xc); // exact
        float r = Math.fma(k, NEG_LN2_LO, r1);
        float rc = Math.fma(k, NEG_LN2_LO, r1 - r);
        float q = Math.fma(Math.fma(Math.fma(Math.fma(E6, r, E5), r, E4), r, E3), r, E2);
        float p = Math.fma(r * r, q, rc);
        float hi = 1f + r, e = (1f - hi) + r;
        float y = hi + (e + p);
        int k1 = ki >> 1;
        return y * pow2(k1) * pow2(ki - k1);
    }

    // ---------------------------------------------------------------- expm1

    /** expm1 is -1 below EXPM1_LO and overflows above EXPM1_HI in float32. */
    static final float EXPM1_LO = -18f, EXPM1_HI = 89f;
    /** expm1(r) = r + r^2 (M2 + M3 r + ... + M8 r^6) for r in [-ln2 / 2, ln2]. */
    static final float M2 = 0.5f, M3 = 0x1.555554p-3f, M4 = 0x1.555566p-5f, M5 = 0x1.11130cp-7f, M6 = 0x1.6be676p-10f,
            M7 = 0x1.9e1ee0p-13f, M8 = 0x1.e55bdep-16f;
    /** Below this |x| expm1(x) rounds to x (and -0 stays -0). */
    static final float EXPM1_TINY = 0x1p-25f;

    /**
     * expm1(x) = 2^k (1 + expm1(r)) - 1 with r = x - k ln2: k = floor(x / ln2) above 0, so that r is in
     * [0, ln2] and the sum has no cancellation, k = round(x / ln2) below; k = 0 for -ln2/2 < x < ln2, where
     * r = x exactly. The last step, 2 (2^(k-1) p + (2^(k-1) - 1/2)), rounds once.
     */
    static float expm1(float x) {
        float xc = Math.min(Math.max(x, EXPM1_LO), EXPM1_HI);
        float t = Math.fma(xc, INV_LN2, xc > 0 ? -0.5f : 0f) + SHIFT;
        float k = t - SHIFT;
        int ki = Float.floatToRawIntBits(t) - SHIFT_BITS;
        float r1 = Math.fma(k, NEG_LN2_HI, xc);
        float r = Math.fma(k, NEG_LN2_LO, r1);
        float rc = Math.fma(k, NEG_LN2_LO, r1 - r);
        float q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(M8, r, M7), r, M6), r, M5), r, M4), r, M3), r, M2);
        float p = r + Math.fma(r * r, q, Math.fma(rc, r, rc)); // expm1(r + rc) ~ expm1(r) + rc (1 + r)
        float u = pow2(ki - 1);
        float y = 2f * Math.fma(u, p, u - 0.5f);
        return Math.abs(x) < EXPM1_TINY ? x : y;
    }

    // ---------------------------------------------------------------- log, log1p, log10

    /** The bits of sqrt(1/2) rounded: subtracting them splits x into 2^k m with m in [sqrt(1/2), sqrt(2)). */
    static final int SQRT_HALF_BITS = 0x3f35_04f3;
    static final float MIN_NORMAL = 0x1p-126f, TWO23 = 0x1p23f;
    /** ln 2 in two parts, LN2_HI with 16 bits so that k LN2_HI is exact for |k| < 256. */
    static final float LN2_HI = 0x1.62e4p-1f, LN2_LO = 0x1.7f7d1cp-20f;
    /** log(1 + f) = 2s + s R(s^2) with s = f / (2 + f), R(z) = z (L3 + L5 z + L7 z^2), for |s| <= 0.1716. */
    static final float L3 = 0x1.555578p-1f, L5 = 0x1.996064p-2f, L7 = 0x1.31bd50p-2f;
    /** 1 / ln 10 and log10(2) in two parts; LOG10_2HI has 11 bits, so k LOG10_2HI is exact. */
    static final float IVLN10_HI = 0x1.bcb7b2p-2f, IVLN10_LO = -0x1.5b235ep-27f, LOG10_2HI = 0x1.344p-2f, LOG10_2LO = 0x1.3509f8p-18f;

    /** The exponent k of x = 2^k m, m in [sqrt(1/2), sqrt(2)), as an int (x > 0 finite; subnormals scaled by 2^23 first). */
    static int logExponent(float x) {
        boolean sub = x < MIN_NORMAL;
        int ix = Float.floatToRawIntBits(sub ? x * TWO23 : x) - SQRT_HALF_BITS;
        return (ix >> 23) - (sub ? 23 : 0);
    }

    /** The f = m - 1 of {@link #logExponent} (exact). */
    static float logF(float x) {
        int bits = Float.floatToRawIntBits(x < MIN_NORMAL ? x * TWO23 : x);
        return Float.intBitsToFloat(bits - (((bits - SQRT_HALF_BITS) >> 23) << 23)) - 1f;
    }

    /** R(s^2) of log(1 + f) = f - hfsq + s (hfsq + R). */
    static float logR(float s) {
        float z = s * s;
        return z * Math.fma(Math.fma(L7, z, L5), z, L3);
    }

    /** log(x) + c for x > 0 finite, c far below one ulp of the result (log1p's correction); other x by {@link #logSpecial}. */
    static float logPlus(float x, float c) {
        float k = logExponent(x), f = logF(x);
        float hfsq = 0.5f * f * f, s = f / (2f + f);
        float a = Math.fma(s, hfsq + logR(s), Math.fma(k, LN2_LO, c));
        float y = k * LN2_HI - ((hfsq - a) - f);
        return logSpecial(x, y);
    }

    /** y where log is finite; -inf at 0, inf at inf, NaN below 0 and for NaN. */
    static float logSpecial(float x, float y) {
        if (x > 0 && x < Float.POSITIVE_INFINITY) return y;
        return x == 0 ? Float.NEGATIVE_INFINITY : x == Float.POSITIVE_INFINITY ? x : Float.NaN;
    }

    static float log(float x) { return logPlus(x, 0f); }

    /** log(u) plus the rounding error of u = 1 + x, divided by u; -0 stays -0. */
    static float log1p(float x) {
        float u = 1f + x;
        float c = (x - (u - 1f)) / u;
        float y = logPlus(u, c);
        return x == 0 ? x : y;
    }

    /**
     * log10(x) = k log10(2) + (hi + lo) / ln 10 with hi + lo = log(1 + f), hi = f - hfsq: the two large
     * terms, k LOG10_2HI and hi IVLN10_HI, summed exactly as three floats, the small ones added to the
     * smaller two, the result rounded about once.
     */
    static float log10(float x) {
        float k = logExponent(x), f = logF(x);
        float hfsq = 0.5f * f * f, s = f / (2f + f);
        float hi = f - hfsq;
        float lo = ((f - hi) - hfsq) + s * (hfsq + logR(s));
        float small = Math.fma(lo, IVLN10_HI, Math.fma(hi + lo, IVLN10_LO, k * LOG10_2LO));
        float p = hi * IVLN10_HI, pe = Math.fma(hi, IVLN10_HI, -p); // p + pe = hi IVLN10_HI exactly
        float kh = k * LOG10_2HI, sum = kh + p, se = (kh - sum) + p; // exact: |kh| >= |p| unless k = 0
        return logSpecial(x, sum + ((se + pe) + small));
    }

    // ---------------------------------------------------------------- sin, cos

    /** Above this |x| (and for inf) the float reduction below is not accurate enough: DetMath's double sin and cos take over. */
    static final float TRIG_MAX = 0x1p16f;
    /** Below this |x| sin(x) rounds to x. */
    static final float SIN_TINY = 0x1p-12f;
    static final float INV_PIO2 = 0x1.45f306p-1f;
    /** pi/2 = PIO2_1 + PIO2_2 + PIO2_3 to about 75 bits. */
    static final float PIO2_1 = 0x1.921fb6p0f, PIO2_2 = -0x1.777a5cp-25f, PIO2_3 = -0x1.ee59dap-50f;
    /** sin(r) = r + r^3 (S3 + S5 r^2 + S7 r^4) and cos(r) = 1 - r^2/2 + r^4 (C4 + C6 r^2 + C8 r^4) for |r| <= pi/4. */
    static final float S3 = -0x1.555546p-3f, S5 = 0x1.11076ep-7f, S7 = -0x1.994e2cp-13f;
    static final float C4 = 0x1.55554ap-5f, C6 = -0x1.6c0c22p-10f, C8 = 0x1.99e506p-16f;

    static float sin(float x) {
        if (!(Math.abs(x) <= TRIG_MAX) && !Float.isNaN(x)) return (float) DetMath.sin(x);
        return Math.abs(x) < SIN_TINY ? x : sinCos(x, 0);
    }

    static float cos(float x) {
        if (!(Math.abs(x) <= TRIG_MAX) && !Float.isNaN(x)) return (float) DetMath.cos(x);
        return sinCos(x, 1);
    }

    /**
     * sin(x + quadrant pi/2) for |x| <= TRIG_MAX: x - n pi/2 as hi + lo (x - n PIO2_1 is exact, n PIO2_2 is
     * split exactly by an fma and subtracted with an exact two-sum), then the sin or cos polynomial by quadrant.
     */
    static float sinCos(float x, int quadrant) {
        float t = Math.fma(x, INV_PIO2, SHIFT);
        float n = t - SHIFT;
        int q = Float.floatToRawIntBits(t) - SHIFT_BITS + quadrant;
        float r1 = Math.fma(-n, PIO2_1, x);
        float th = n * PIO2_2, tl = Math.fma(n, PIO2_2, -th);
        float hi = r1 - th, bb = hi - r1;
        float e = (r1 - (hi - bb)) - (th + bb);
        float lo = Math.fma(-n, PIO2_3, e - tl);
        float z = hi * hi, hz = 0.5f * z;
        float sin = hi + Math.fma(z * hi, Math.fma(Math.fma(S7, z, S5), z, S3), Math.fma(hz, -lo, lo));
        float w = 1f - hz;
        float cos = w + (((1f - w) - hz) + Math.fma(z * z, Math.fma(Math.fma(C8, z, C6), z, C4), -(hi * lo)));
        float r = (q & 1) == 0 ? sin : cos;
        return Float.intBitsToFloat(Float.floatToRawIntBits(r) ^ ((q << 30) & SIGN));
    }

    // ---------------------------------------------------------------- tanh, sigmoid

    /** tanh rounds to 1 above TANH_MAX; below TANH_SMALL the odd polynomial is used. */
    static final float TANH_MAX = 9.5f, TANH_SMALL = 0.55f;
    /** tanh(a) = a + a^3 (T3 + T5 a^2 + T7 a^4 + T9 a^6 + T11 a^8) for |a| <= 0.55. */
    static final float T3 = -0x1.55554cp-2f, T5 = 0x1.110d6ap-3f, T7 = -0x1.b931eep-5f, T9 = 0x1.598196p-6f, T11 = -0x1.9c8dc0p-8f;

    /**
     * tanh|x| = 1 - 2 / (t + 2) with t = expm1(2|x|) (t + 2 as an exact two-term sum, the quotient corrected
     * by its residual), an odd polynomial below 0.55; the sign copied from x.
     */
    static float tanh(float x) {
        float a = Math.abs(x);
        return tanhFinish(x, a, expm1(2f * Math.min(a, TANH_MAX)));
    }

    static float tanhFinish(float x, float a, float t) {
        float s = t + 2f, se = (t - s) + 2f; // exact for t >= 2, which holds above TANH_SMALL
        float q = 2f / s;
        float res = Math.fma(-q, s, 2f) - q * se;
        float big = 1f - Math.fma(res, 0.5f * q, q);
        float z = a * a;
        float small = Math.fma(a * z, Math.fma(Math.fma(Math.fma(Math.fma(T11, z, T9), z, T7), z, T5), z, T3), a);
        float y = a < TANH_SMALL ? small : big;
        return Float.intBitsToFloat((Float.floatToRawIntBits(y) & ~SIGN) | (Float.floatToRawIntBits(x) & SIGN));
    }

    /**
     * 1 / (1 + e) for x >= 0 and e / (1 + e) below, e = exp(-|x|) as {@link #exp} computes it but kept
     * unrounded as e + el (below 0, sigmoid(x) ~ e, and one ulp of e can be two of the result); 1 + e as an
     * exact sum, the quotient corrected by its residual.
     */
    static float sigmoid(float x) {
        float xc = Math.max(-Math.abs(x), EXP_LO);
        float t = Math.fma(xc, INV_LN2, SHIFT);
        float k = t - SHIFT;
        int ki = Float.floatToRawIntBits(t) - SHIFT_BITS;
        float r1 = Math.fma(k, NEG_LN2_HI, xc);
        float r = Math.fma(k, NEG_LN2_LO, r1);
        float rc = Math.fma(k, NEG_LN2_LO, r1 - r);
        float q = Math.fma(Math.fma(Math.fma(Math.fma(E6, r, E5), r, E4), r, E3), r, E2);
        float p = Math.fma(r * r, q, rc);
        float hi = 1f + r, el = ((1f - hi) + r) + p;
        float y = hi + el, ylo = (hi - y) + el;
        int k1 = ki >> 1;
        float scale1 = pow2(k1), scale2 = pow2(ki - k1);
        return sigmoidFinish(x, y * scale1 * scale2, ylo * scale1 * scale2);
    }

    static float sigmoidFinish(float x, float e, float el) {
        float s = 1f + e, se = ((1f - s) + e) + el;
        boolean pos = x >= 0;
        float num = pos ? 1f : e;
        float inv = 1f / s, q = num * inv;
        float res = (Math.fma(-q, s, num) + (pos ? 0f : el)) - q * se;
        return Math.fma(res, inv, q);
    }
}
