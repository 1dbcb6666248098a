package dev.jtorch.backend.cpu;

/**
 * Single-precision log, sin and cos rounding exactly like glibc's (2.28 and later), whose
 * implementations come from Arm's optimized-routines (MIT licence): a double-precision
 * evaluation (table + short polynomial for log; one-step reduction by pi/2 + polynomials for
 * sin/cos) rounded once to float. These are not correctly rounded (about 1% of results differ
 * from the correctly rounded float by an ulp), so the same method and coefficients are needed
 * to get the same floats. The multiply-adds are fused as in glibc's FMA variants, which x86-64
 * machines with AVX2 select at run time.
 */
final class GlibcFloat {
    private GlibcFloat() {
    }

    // log: 16 subintervals of [0x3f330000, 2 * 0x3f330000); 1/c and log(c) for each.
    private static final double[] LOG_INVC = {
        0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
        0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
        0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
        0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1,
    };
    private static final double[] LOG_LOGC = {
        -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
        -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
        -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4,
        0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2,
    };
    private static final double LOG_LN2 = 0x1.62e42fefa39efp-1;
    private static final double LOG_A0 = -0x1.00ea348b88334p-2;
    private static final double LOG_A1 = 0x1.5575b0be00b6ap-2;
    private static final double LOG_A2 = -0x1.ffffef20a4123p-2;
    private static final int LOG_OFF = 0x3f330000;

    static float logf(float x) {
        int ix = Float.floatToRawIntBits(x);
        if (ix == 0x3f800000) {
            return 0.0f;
        }
        if (Integer.compareUnsigned(ix - 0x00800000, 0x7f800000 - 0x00800000) >= 0) {
            if (ix << 1 == 0 || ix == 0x7f800000 || ix < 0 || (ix << 1) >>> 1 > 0x7f800000) {
                return (float) Math.log(x); // 0, inf, negative, NaN
            }
            ix = Float.floatToRawIntBits(x * 0x1p23f) - (23 << 23); // subnormal
        }
        int tmp = ix - LOG_OFF;
        int i = (tmp >>> 19) & 15;
        int k = tmp >> 23;
        int iz = ix - (tmp & (0x1ff << 23));
        double z = Float.intBitsToFloat(iz);
        double r = Math.fma(z, LOG_INVC[i], -1.0);
        double y0 = Math.fma(k, LOG_LN2, LOG_LOGC[i]);
        double r2 = r * r;
        double y = Math.fma(LOG_A1, r, LOG_A2);
        y = Math.fma(LOG_A0, r2, y);
        y = Math.fma(y, r2, y0 + r);
        return (float) y;
    }

    // sin/cos: 2/pi scaled by 2^24 for the integer quadrant trick, pi/2, and the two polynomial
    // sets (the second computes -cos, so quadrants 2 and 3 get their sign for free).
    private static final double HPI_INV = 0x1.45F306DC9C883p+23;
    private static final double HPI = 0x1.921FB54442D18p0;
    private static final double[] SIGN = {1.0, -1.0, -1.0, 1.0};
    private static final double[][] COS_C = {
        {0x1p0, -0x1.ffffffd0c621cp-2, 0x1.55553e1068f19p-5, -0x1.6c087e89a359dp-10, 0x1.99343027bf8c3p-16},
        {-0x1p0, 0x1.ffffffd0c621cp-2, -0x1.55553e1068f19p-5, 0x1.6c087e89a359dp-10, -0x1.99343027bf8c3p-16},
    };
    private static final double SIN_S1 = -0x1.555545995a603p-3;
    private static final double SIN_S2 = 0x1.1107605230bc4p-7;
    private static final double SIN_S3 = -0x1.994eb3774cf24p-13;
    private static final int TOP12_PIO4 = top12((float) 0x1.921FB54442D18p-1);
    private static final int TOP12_TINY = top12(0x1p-12f);
    private static final int TOP12_120 = top12(120.0f);

    private static int top12(float x) {
        return (Float.floatToRawIntBits(x) >>> 20) & 0x7ff;
    }

    /** sin (n even) or cos (n odd) polynomial on the reduced argument. */
    private static float poly(double x, double x2, int table, int n) {
        if ((n & 1) == 0) {
            double x3 = x * x2;
            double s1 = Math.fma(x2, SIN_S3, SIN_S2);
            double x7 = x3 * x2;
            double s = Math.fma(x3, SIN_S1, x);
            return (float) Math.fma(x7, s1, s);
        }
        double[] c = COS_C[table];
        double x4 = x2 * x2;
        double c2 = Math.fma(x2, c[4], c[3]);
        double c1 = Math.fma(x2, c[1], c[0]);
        double x6 = x4 * x2;
        double cc = Math.fma(x4, c[2], c1);
        return (float) Math.fma(x6, c2, cc);
    }

    static float sinf(float y) {
        return sincosf(y, 0);
    }

    static float cosf(float y) {
        return sincosf(y, 1);
    }

    private static float sincosf(float y, int cos) {
        double x = y;
        int t = top12(y);
        if (t < TOP12_PIO4) {
            if (t < TOP12_TINY) {
                return cos == 0 ? y : 1.0f;
            }
            return poly(x, x * x, 0, cos);
        }
        if (t < TOP12_120) {
            double r = x * HPI_INV;
            int n = ((int) r + 0x800000) >> 24;
            x = Math.fma(-(double) n, HPI, x);
            double s = SIGN[n & 3];
            return poly(x * s, x * x, (n & 2) != 0 ? 1 : 0, n ^ cos);
        }
        // never reached by the samplers (|theta| < 2 pi)
        return (float) (cos == 0 ? StrictMath.sin(y) : StrictMath.cos(y));
    }
}
