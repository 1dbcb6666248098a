package dev.jtorch.backend.cpu;

/**
 * PyTorch's {@code normal_fill_16_AVX2}: Box-Muller in float with the Cephes-style
 * {@code log256_ps} and {@code sincos256_ps} of {@code avx_mathfun.h}, one lane at a time.
 * GCC contracts the multiply-then-add steps of those routines into FMAs (the kernels are built
 * with {@code -mfma}); the {@code Math.fma} calls below sit exactly where it does.
 */
final class CephesAvx {
    private CephesAvx() {}

    private static final float TWO_PI_F = (float) (2.0 * Math.PI);
    private static final float SQRTHF = 0.707106781186547524f;
    private static final float[] LOG_P = {
        7.0376836292E-2f, -1.1514610310E-1f, 1.1676998740E-1f, -1.2420140846E-1f,
        1.4249322787E-1f, -1.6668057665E-1f, 2.0000714765E-1f, -2.4999993993E-1f,
        3.3333331174E-1f,
    };
    private static final float LOG_Q1 = -2.12194440e-4f;
    private static final float LOG_Q2 = 0.693359375f;
    private static final float MINUS_DP1 = -0.78515625f;
    private static final float MINUS_DP2 = -2.4187564849853515625e-4f;
    private static final float MINUS_DP3 = -3.77489497744594108e-8f;
    private static final float SIN_P0 = -1.9515295891E-4f;
    private static final float SIN_P1 = 8.3321608736E-3f;
    private static final float SIN_P2 = -1.6666654611E-1f;
    private static final float COS_P0 = 2.443315711809948E-005f;
    private static final float COS_P1 = -1.388731625493765E-003f;
    private static final float COS_P2 = 4.166664568298827E-002f;
    private static final float FOPI = 1.27323954473516f;

    static void boxMuller16(float[] d, int o, float mean, float std) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1.0f - d[o + j];
            float u2 = d[o + j + 8];
            float radius = (float) Math.sqrt(-2.0f * log(u1));
            float theta = TWO_PI_F * u2;
            long sc = sincos(theta);
            float sin = Float.intBitsToFloat((int) (sc >>> 32));
            float cos = Float.intBitsToFloat((int) sc);
            d[o + j] = Math.fma(radius * cos, std, mean);
            d[o + j + 8] = Math.fma(radius * sin, std, mean);
        }
    }

    /** {@code log256_ps} for one positive lane. */
    static float log(float x) {
        x = Math.max(x, Float.MIN_NORMAL);
        int bits = Float.floatToRawIntBits(x);
        float e = (float) ((bits >>> 23) - 0x7f) + 1.0f;
        x = Float.intBitsToFloat((bits & ~0x7f800000) | 0x3f000000); // mantissa in [0.5, 1)
        boolean small = x < SQRTHF;
        float tmp = small ? x : 0.0f;
        x = x - 1.0f;
        e = e - (small ? 1.0f : 0.0f);
        x = x + tmp;
        float z = x * x;
        float y = LOG_P[0];
        for (int k = 1; k < LOG_P.length; k++) {
            y = Math.fma(y, x, LOG_P[k]);
        }
        y = y * x;
        y = Math.fma(y, z, e * LOG_Q1);
        y = Math.fma(-z, 0.5f, y);
        x = x + y;
        return Math.fma(e, LOG_Q2, x);
    }

    /** {@code sincos256_ps} for one lane; sin in the high 32 bits, cos in the low 32 bits. */
    static long sincos(float x) {
        int signSin = Float.floatToRawIntBits(x) & 0x80000000;
        x = Math.abs(x);
        float y = x * FOPI;
        int j = (int) y;               // truncation, like cvttps
        j = (j + 1) & ~1;
        y = (float) j;
        int swapSignSin = (j & 4) << 29;
        boolean polyMask = (j & 2) == 0;
        x = Math.fma(y, MINUS_DP1, x);
        x = Math.fma(y, MINUS_DP2, x);
        x = Math.fma(y, MINUS_DP3, x);
        int signCos = (~(j - 2) & 4) << 29;
        signSin ^= swapSignSin;
        float z = x * x;
        float c = Math.fma(COS_P0, z, COS_P1);
        c = Math.fma(c, z, COS_P2);
        c = c * z;
        c = Math.fma(c, z, -(z * 0.5f));
        c = c + 1.0f;
        float s = Math.fma(SIN_P0, z, SIN_P1);
        s = Math.fma(s, z, SIN_P2);
        s = s * z;
        s = Math.fma(s, x, x);
        // lane selection by masking and adding, exactly as the vector code does it
        float sinFromS = polyMask ? s : 0.0f;
        float sinFromC = polyMask ? 0.0f : c;
        float sinV = sinFromC + sinFromS;
        float cosV = (c - sinFromC) + (s - sinFromS);
        int sinBits = Float.floatToRawIntBits(sinV) ^ signSin;
        int cosBits = Float.floatToRawIntBits(cosV) ^ signCos;
        return ((long) sinBits << 32) | Integer.toUnsignedLong(cosBits);
    }
}
