package dev.jtorch.backend.cpu;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Double-precision log, log1p, sin and cos rounding exactly like glibc on x86-64 (the
 * run-time selected FMA variants; glibc 2.28 and later). glibc's results are not correctly
 * rounded (about 0.1% of them are an ulp off), so the same evaluation order is needed:
 * <ul>
 * <li>log: Arm optimized-routines' method (MIT/Apache-2.0): 128 subintervals with
 *     1/c and log(c), {@code r = z/c - 1} by one FMA, a degree-6 polynomial, and a degree-12
 *     one next to 1.</li>
 * <li>log1p: fdlibm's reduction ({@code 1+x = 2^k (1+f)}, {@code s = f/(2+f)}) with the
 *     pairwise polynomial glibc uses.</li>
 * <li>sin/cos: reduction by pi/2 with a three-part constant, then a table of sin and cos at
 *     multiples of 1/128 (recomputed here, correctly rounded, with its rounding error as a
 *     second double) corrected by short Taylor polynomials.</li>
 * </ul>
 * GCC compiled those variants with {@code -mfma}, fusing each multiply that only feeds an
 * add; the {@code Math.fma} calls are where that happens.
 */
final class GlibcDouble {
    private GlibcDouble() {
    }

    // ---- log
    private static final double[] LOG_INVC = {
        0x1.734f0c3e0de9fp+0, 0x1.713786a2ce91fp+0, 0x1.6f26008fab5ap+0, 0x1.6d1a61f138c7dp+0,
        0x1.6b1490bc5b4d1p+0, 0x1.69147332f0cbap+0, 0x1.6719f18224223p+0, 0x1.6524f99a51ed9p+0,
        0x1.63356aa8f24c4p+0, 0x1.614b36b9ddc14p+0, 0x1.5f66452c65c4cp+0, 0x1.5d867b5912c4fp+0,
        0x1.5babccb5b90dep+0, 0x1.59d61f2d91a78p+0, 0x1.5805612465687p+0, 0x1.56397cee76bd3p+0,
        0x1.54725e2a77f93p+0, 0x1.52aff42064583p+0, 0x1.50f22dbb2bddfp+0, 0x1.4f38f4734ded7p+0,
        0x1.4d843cfde284p+0, 0x1.4bd3ec078a3c8p+0, 0x1.4a27fc3e0258ap+0, 0x1.4880524d48434p+0,
        0x1.46dce1b192d0bp+0, 0x1.453d9d3391854p+0, 0x1.43a2744b4845ap+0, 0x1.420b54115f8fbp+0,
        0x1.40782da3ef4b1p+0, 0x1.3ee8f5d57fe8fp+0, 0x1.3d5d9a00b4ce9p+0, 0x1.3bd60c010c12bp+0,
        0x1.3a5242b75dab8p+0, 0x1.38d22cd9fd002p+0, 0x1.3755bc5847a1cp+0, 0x1.35dce49ad36e2p+0,
        0x1.34679984dd44p+0, 0x1.32f5cceffcb24p+0, 0x1.3187775a10d49p+0, 0x1.301c8373e399p+0,
        0x1.2eb4ebb95f841p+0, 0x1.2d50a0219a9d1p+0, 0x1.2bef9a8b7fd2ap+0, 0x1.2a91c7a0c1babp+0,
        0x1.293726014b53p+0, 0x1.27dfa5757a1f5p+0, 0x1.268b39b1d3bbfp+0, 0x1.2539d838ff5bdp+0,
        0x1.23eb7aac9083bp+0, 0x1.22a012ba940b6p+0, 0x1.2157996cc4132p+0, 0x1.201201dd2fc9bp+0,
        0x1.1ecf4494d480bp+0, 0x1.1d8f5528f6569p+0, 0x1.1c52311577e7cp+0, 0x1.1b17c74cb26e9p+0,
        0x1.19e010c2c1ab6p+0, 0x1.18ab07bb670bdp+0, 0x1.1778a25efbcb6p+0, 0x1.1648d354c31dap+0,
        0x1.151b990275fddp+0, 0x1.13f0ea432d24cp+0, 0x1.12c8b7210f9dap+0, 0x1.11a3028ecb531p+0,
        0x1.107fbda8434afp+0, 0x1.0f5ee0f4e6bb3p+0, 0x1.0e4065d2a9fcep+0, 0x1.0d244632ca521p+0,
        0x1.0c0a77ce2981ap+0, 0x1.0af2f83c636d1p+0, 0x1.09ddb98a01339p+0, 0x1.08cabaf52e7dfp+0,
        0x1.07b9f2f4e28fbp+0, 0x1.06ab58c358f19p+0, 0x1.059eea5ecf92cp+0, 0x1.04949cdd12c9p+0,
        0x1.038c6c6f0ada9p+0, 0x1.02865137932a9p+0, 0x1.0182427ea7348p+0, 0x1.008040614b195p+0,
        0x1.fe01ff726fa1ap-1, 0x1.fa11cc261ea74p-1, 0x1.f6310b081992ep-1, 0x1.f25f63ceeadcdp-1,
        0x1.ee9c8039113e7p-1, 0x1.eae8078cbb1abp-1, 0x1.e741aa29d0c9bp-1, 0x1.e3a91830a99b5p-1,
        0x1.e01e009609a56p-1, 0x1.dca01e577bb98p-1, 0x1.d92f20b7c9103p-1, 0x1.d5cac66fb5ccep-1,
        0x1.d272caa5ede9dp-1, 0x1.cf26e3e6b2ccdp-1, 0x1.cbe6da2a77902p-1, 0x1.c8b266d37086dp-1,
        0x1.c5894bd5d5804p-1, 0x1.c26b533bb9f8cp-1, 0x1.bf583eeece73fp-1, 0x1.bc4fd75db96c1p-1,
        0x1.b951e0c864a28p-1, 0x1.b65e2c5ef3e2cp-1, 0x1.b374867c9888bp-1, 0x1.b094b211d304ap-1,
        0x1.adbe885f2ef7ep-1, 0x1.aaf1d31603da2p-1, 0x1.a82e63fd358a7p-1, 0x1.a5740ef09738bp-1,
        0x1.a2c2a90ab4b27p-1, 0x1.a01a01393f2d1p-1, 0x1.9d79f24db3c1bp-1, 0x1.9ae2505c7b19p-1,
        0x1.9852ef297ce2fp-1, 0x1.95cbaeea44b75p-1, 0x1.934c69de74838p-1, 0x1.90d4f2f6752e6p-1,
        0x1.8e6528effd79dp-1, 0x1.8bfce9fcc007cp-1, 0x1.899c0dabec30ep-1, 0x1.87427aa2317fbp-1,
        0x1.84f00acb39a08p-1, 0x1.82a49e8653e55p-1, 0x1.8060195f4026p-1, 0x1.7e22563e0a329p-1,
        0x1.7beb377dcb5adp-1, 0x1.79baa679725c2p-1, 0x1.77907f2170657p-1, 0x1.756cadbd6130cp-1,
    };
    private static final double[] LOG_LOGC = {
        -0x1.7cc7f79e69p-2, -0x1.76feec20dp-2, -0x1.713e31351ep-2, -0x1.6b85b382878p-2,
        -0x1.65d55908078p-2, -0x1.602d07618p-2, -0x1.5a8ca86909p-2, -0x1.54f4356035p-2,
        -0x1.4f637c36b4p-2, -0x1.49da7fda85p-2, -0x1.445923989a8p-2, -0x1.3edf439b0b8p-2,
        -0x1.396ce448f7p-2, -0x1.3401e17bdap-2, -0x1.2e9e2ef468p-2, -0x1.2941b3830ep-2,
        -0x1.23ec58cda88p-2, -0x1.1e9e129279p-2, -0x1.1956d2b48f8p-2, -0x1.141679ab9f8p-2,
        -0x1.0edd094ef98p-2, -0x1.09aa518db1p-2, -0x1.047e65263b8p-2, -0x1.feb224586fp-3,
        -0x1.f474a7517bp-3, -0x1.ea4443d103p-3, -0x1.e020d44e9bp-3, -0x1.d60a22977fp-3,
        -0x1.cc00104959p-3, -0x1.c202956891p-3, -0x1.b81178d811p-3, -0x1.ae2c9ccd3dp-3,
        -0x1.a45402e129p-3, -0x1.9a877681dfp-3, -0x1.90c6d69483p-3, -0x1.87120a645cp-3,
        -0x1.7d68fb4143p-3, -0x1.73cb83c627p-3, -0x1.6a39a9b376p-3, -0x1.60b3154b7ap-3,
        -0x1.5737d76243p-3, -0x1.4dc7b8fc23p-3, -0x1.4462c51d2p-3, -0x1.3b08abc83p-3,
        -0x1.31b996b49p-3, -0x1.2875490a44p-3, -0x1.1f3b9f879ap-3, -0x1.160c8252cap-3,
        -0x1.0ce7f57f72p-3, -0x1.03cdc49feap-3, -0x1.f57bdbc4b8p-4, -0x1.e370896404p-4,
        -0x1.d17983ef94p-4, -0x1.bf9674ed8ap-4, -0x1.adc79202f6p-4, -0x1.9c0c3e7288p-4,
        -0x1.8a646b372cp-4, -0x1.78d01b3acp-4, -0x1.674f14538p-4, -0x1.55e0e6d878p-4,
        -0x1.4485cdea1ep-4, -0x1.333d94d6aap-4, -0x1.22079f8c56p-4, -0x1.10e4698622p-4,
        -0x1.ffa6c6ad2p-5, -0x1.dda8d4a774p-5, -0x1.bbcece485p-5, -0x1.9a1894012cp-5,
        -0x1.788583302cp-5, -0x1.5715e67d68p-5, -0x1.35c8a49658p-5, -0x1.149e364154p-5,
        -0x1.e72c082eb8p-6, -0x1.a55f152528p-6, -0x1.63d62cf818p-6, -0x1.228fb8caap-6,
        -0x1.c317b20f9p-7, -0x1.419355daap-7, -0x1.81203c2ecp-8, -0x1.004097924p-9,
        0x1.feff3849p-9, 0x1.7dc41353dp-7, 0x1.3cea3c4c28p-6, 0x1.b9fc11489p-6,
        0x1.1b0d8ce11p-5, 0x1.58a5bd001cp-5, 0x1.95c8340d88p-5, 0x1.d276aef578p-5,
        0x1.07598e598cp-4, 0x1.253f5e30d2p-4, 0x1.42edd8b38p-4, 0x1.606598757cp-4,
        0x1.7da76356ap-4, 0x1.9ab434e1c6p-4, 0x1.b78c7bb0d6p-4, 0x1.d431332e72p-4,
        0x1.f0a3171de6p-4, 0x1.067152b914p-3, 0x1.147858292bp-3, 0x1.2266ecdca3p-3,
        0x1.303d7a6c55p-3, 0x1.3dfc33c331p-3, 0x1.4ba366b7a8p-3, 0x1.5933928d1fp-3,
        0x1.66acd2418fp-3, 0x1.740f8ec669p-3, 0x1.815c0f51afp-3, 0x1.8e92954f68p-3,
        0x1.9bb3602f84p-3, 0x1.a8bed1c2cp-3, 0x1.b5b515c01dp-3, 0x1.c2967ccbccp-3,
        0x1.cf635d5486p-3, 0x1.dc1bd3446cp-3, 0x1.e8c01b8cfep-3, 0x1.f5509c0179p-3,
        0x1.00e6c121fb8p-2, 0x1.071b80e93dp-2, 0x1.0d46b9e867p-2, 0x1.13687334bdp-2,
        0x1.1980d672348p-2, 0x1.1f8ffe0cc8p-2, 0x1.2595fd76368p-2, 0x1.2b9300914a8p-2,
        0x1.3187210436p-2, 0x1.377266dec18p-2, 0x1.3d54ffbaf3p-2, 0x1.432eee32fep-2,
    };
    private static final double LN2_HI = 0x1.62e42fefa3800p-1;
    private static final double LN2_LO = 0x1.ef35793c76730p-45;
    private static final double[] LOG_A = {
        -0x1.0000000000001p-1, 0x1.555555551305bp-2, -0x1.fffffffeb459p-3, 0x1.999b324f10111p-3,
        -0x1.55575e506c89fp-3,
    };
    private static final double[] LOG_B = {
        -0x1p-1, 0x1.5555555555577p-2, -0x1.ffffffffffdcbp-3, 0x1.999999995dd0cp-3,
        -0x1.55555556745a7p-3, 0x1.24924a344de3p-3, -0x1.fffffa4423d65p-4, 0x1.c7184282ad6cap-4,
        -0x1.999eb43b068ffp-4, 0x1.78182f7afd085p-4, -0x1.5521375d145cdp-4,
    };
    private static final long LOG_NEAR1_LO = Double.doubleToRawLongBits(1.0 - 0x1p-4);
    private static final long LOG_NEAR1_HI = Double.doubleToRawLongBits(1.0 + 0x1.09p-4);
    private static final long LOG_OFF = 0x3fe6000000000000L;

    static double log(double x) {
        long ix = Double.doubleToRawLongBits(x);
        if (Long.compareUnsigned(ix - LOG_NEAR1_LO, LOG_NEAR1_HI - LOG_NEAR1_LO) < 0) {
            if (x == 1.0) {
                return 0.0;
            }
            double[] b = LOG_B;
            double r = x - 1.0;
            double r2 = r * r;
            double r3 = r * r2;
            double p3 = Math.fma(r3, b[10], Math.fma(r2, b[9], Math.fma(r, b[8], b[7])));
            double p2 = Math.fma(r3, p3, Math.fma(r2, b[6], Math.fma(r, b[5], b[4])));
            double p1 = Math.fma(r3, p2, Math.fma(r2, b[3], Math.fma(r, b[2], b[1])));
            double w = r * 0x1p27;
            double rhi = r + w - w;
            double rlo = r - rhi;
            w = rhi * rhi * b[0];
            double hi = r + w;
            double lo = r - hi + w;
            lo = Math.fma(b[0] * rlo, rhi + r, lo);
            double y = Math.fma(r3, p1, lo);
            return y + hi;
        }
        int top = (int) (ix >>> 48);
        if (top - 0x0010 >= 0x7ff0 - 0x0010 || top - 0x0010 < 0) {
            if (!(x > 0) || Double.isInfinite(x)) {
                return Math.log(x); // 0, negative, inf, NaN
            }
            ix = Double.doubleToRawLongBits(x * 0x1p52) - (52L << 52); // subnormal
        }
        long tmp = ix - LOG_OFF;
        int i = (int) ((tmp >>> 45) & 127);
        int k = (int) (tmp >> 52);
        long iz = ix - (tmp & (0xfffL << 52));
        double z = Double.longBitsToDouble(iz);
        double invc = LOG_INVC[i];
        double logc = LOG_LOGC[i];
        double r = Math.fma(z, invc, -1.0);
        double kd = k;
        double w = Math.fma(kd, LN2_HI, logc);
        double hi = w + r;
        double lo = Math.fma(kd, LN2_LO, w - hi + r);
        double r2 = r * r;
        double[] a = LOG_A;
        double p = Math.fma(r2, Math.fma(r, a[4], a[3]), Math.fma(r, a[2], a[1]));
        double y = Math.fma(r * r2, p, Math.fma(r2, a[0], lo));
        return y + hi;
    }

    // ---- log1p
    private static final double L1P_LN2_HI = 6.93147180369123816490e-01;
    private static final double L1P_LN2_LO = 1.90821492927058770002e-10;
    private static final double[] LP = {
        0.0, 6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
        2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
        1.479819860511658591e-01,
    };

    /** log1p; {@code fused} selects glibc's FMA build (x86-64 glibc 2.39+) over the plain one. */
    static double log1p(double x, boolean fused) {
        long bits = Double.doubleToRawLongBits(x);
        int hx = (int) (bits >>> 32);
        int ax = hx & 0x7fffffff;
        int k = 1;
        int hu = 0;
        double f = 0;
        double c = 0;
        if (hx < 0x3FDA827A) {
            if (ax >= 0x3ff00000) {
                return x == -1.0 ? Double.NEGATIVE_INFINITY : Double.NaN;
            }
            if (ax < 0x3e200000) {
                if (ax < 0x3c900000) {
                    return x;
                }
                return x - x * x * 0.5;
            }
            if (hx > 0 || hx <= 0xbfd2bec3) {
                k = 0;
                f = x;
                hu = 1;
            }
        } else if (hx >= 0x7ff00000) {
            return x + x;
        }
        if (k != 0) {
            double u;
            if (hx < 0x43400000) {
                u = 1.0 + x;
                hu = (int) (Double.doubleToRawLongBits(u) >>> 32);
                k = (hu >> 20) - 1023;
                c = (k > 0) ? 1.0 - (u - x) : x - (u - 1.0);
                c /= u;
            } else {
                u = x;
                hu = (int) (Double.doubleToRawLongBits(u) >>> 32);
                k = (hu >> 20) - 1023;
                c = 0;
            }
            hu &= 0x000fffff;
            long low = Double.doubleToRawLongBits(u) & 0xffffffffL;
            if (hu < 0x6a09e) {
                u = Double.longBitsToDouble(((long) (hu | 0x3ff00000) << 32) | low);
            } else {
                k += 1;
                u = Double.longBitsToDouble(((long) (hu | 0x3fe00000) << 32) | low);
                hu = (0x00100000 - hu) >> 2;
            }
            f = u - 1.0;
        }
        double hfsq = 0.5 * f * f;
        if (hu == 0) {
            if (f == 0) {
                if (k == 0) {
                    return 0.0;
                }
                c = fused ? Math.fma(k, L1P_LN2_LO, c) : c + k * L1P_LN2_LO;
                return fused ? Math.fma(k, L1P_LN2_HI, c) : k * L1P_LN2_HI + c;
            }
            double r = hfsq * (fused ? Math.fma(-0.66666666666666666, f, 1.0) : 1.0 - 0.66666666666666666 * f);
            if (k == 0) {
                return f - r;
            }
            double t = (r - (fused ? Math.fma(k, L1P_LN2_LO, c) : k * L1P_LN2_LO + c)) - f;
            return fused ? Math.fma(k, L1P_LN2_HI, -t) : k * L1P_LN2_HI - t;
        }
        double s = f / (2.0 + f);
        double z = s * s;
        double z2 = z * z;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double r;
        if (fused) {
            double r2 = Math.fma(z, LP[3], LP[2]);
            double r3 = Math.fma(z, LP[5], LP[4]);
            double r4 = Math.fma(z, LP[7], LP[6]);
            r = Math.fma(z, LP[1], z2 * r2);
            r = Math.fma(z4, r3, r);
            r = Math.fma(z6, r4, r);
            double p = s * (hfsq + r); // shared by both branches, so GCC left it unfused
            if (k == 0) {
                return f - (hfsq - p);
            }
            return Math.fma(k, L1P_LN2_HI, -((hfsq - (p + Math.fma(k, L1P_LN2_LO, c))) - f));
        }
        r = z * LP[1] + z2 * (LP[2] + z * LP[3]) + z4 * (LP[4] + z * LP[5]) + z6 * (LP[6] + z * LP[7]);
        if (k == 0) {
            return f - (hfsq - s * (hfsq + r));
        }
        return k * L1P_LN2_HI - ((hfsq - (s * (hfsq + r) + (k * L1P_LN2_LO + c))) - f);
    }

    // ---- sin / cos
    private static final double S1 = -0x1.5555555555555p-3;
    private static final double S2 = 0x1.1111111110ECEp-7;
    private static final double S3 = -0x1.A01A019DB08B8p-13;
    private static final double S4 = 0x1.71DE27B9A7ED9p-19;
    private static final double S5 = -0x1.ADDFFC2FCDF59p-26;
    private static final double SN3 = -1.66666666666664880952546298448555E-01;
    private static final double SN5 = 8.33333214285722277379541354343671E-03;
    private static final double CS2 = 4.99999999999999999999950396842453E-01;
    private static final double CS4 = -4.16666666666664434524222570944589E-02;
    private static final double CS6 = 1.38888874007937613028114285595617E-03;
    private static final double BIG = 0x1.8p45;          // adding it rounds to a multiple of 1/128
    private static final double HP0 = 0x1.921FB54442D18p0; // pi/2 = HP0 + HP1
    private static final double HP1 = 0x1.1A62633145C07p-54;
    private static final double MP1 = 0x1.921FB58000000p0; // pi/2 = MP1 + MP2 + PP3 + PP4
    private static final double MP2 = -0x1.DDE973C000000p-27;
    private static final double PP3 = -0x1.CB3B398000000p-55;
    private static final double PP4 = -0x1.d747f23e32ed7p-83;
    private static final double HPINV = 0x1.45F306DC9C883p-1;
    private static final double TOINT = 0x1.8p52;
    /** For i/128, i = 0..127: sin, its rounding error, cos, its rounding error. */
    private static final double[] TABLE = new double[4 * 128];

    static {
        MathContext mc = new MathContext(60);
        for (int i = 0; i < 128; i++) {
            BigDecimal x = BigDecimal.valueOf(i).divide(BigDecimal.valueOf(128), mc);
            BigDecimal x2 = x.multiply(x, mc);
            BigDecimal sin = BigDecimal.ZERO;
            BigDecimal cos = BigDecimal.ZERO;
            BigDecimal sinTerm = x;
            BigDecimal cosTerm = BigDecimal.ONE;
            for (int n = 1; n < 40; n++) {
                sin = sin.add(sinTerm, mc);
                cos = cos.add(cosTerm, mc);
                sinTerm = sinTerm.multiply(x2, mc).divide(BigDecimal.valueOf(-(2L * n) * (2L * n + 1)), mc);
                cosTerm = cosTerm.multiply(x2, mc).divide(BigDecimal.valueOf(-(2L * n - 1) * (2L * n)), mc);
            }
            double sn = sin.doubleValue();
            double cs = cos.doubleValue();
            TABLE[4 * i] = sn;
            TABLE[4 * i + 1] = sin.subtract(new BigDecimal(sn), mc).doubleValue();
            TABLE[4 * i + 2] = cs;
            TABLE[4 * i + 3] = cos.subtract(new BigDecimal(cs), mc).doubleValue();
        }
    }

    private static double taylorSin(double xx, double x, double dx) {
        double p = Math.fma(Math.fma(Math.fma(Math.fma(S5, xx, S4), xx, S3), xx, S2), xx, S1);
        double t = Math.fma(Math.fma(p, x, -(0.5 * dx)), xx, dx);
        return x + t;
    }

    private static double doCos(double x, double dx) {
        if (x < 0) {
            dx = -dx;
        }
        double u = BIG + Math.abs(x);
        x = Math.abs(x) - (u - BIG) + dx;
        double xx = x * x;
        double s = Math.fma(x * xx, Math.fma(xx, SN5, SN3), x);
        double c = xx * Math.fma(xx, Math.fma(xx, CS6, CS4), CS2);
        int k = (int) Double.doubleToRawLongBits(u) << 2;
        double sn = TABLE[k];
        double ssn = TABLE[k + 1];
        double cs = TABLE[k + 2];
        double ccs = TABLE[k + 3];
        double cor = Math.fma(-cs, c, Math.fma(-s, ssn, ccs));
        cor = Math.fma(-sn, s, cor);
        return cs + cor;
    }

    private static double doSin(double x, double dx) {
        double xold = x;
        if (Math.abs(x) < 0.126) {
            return taylorSin(x * x, x, dx);
        }
        if (x <= 0) {
            dx = -dx;
        }
        double u = BIG + Math.abs(x);
        x = Math.abs(x) - (u - BIG);
        double xx = x * x;
        double s = x + Math.fma(x * xx, Math.fma(xx, SN5, SN3), dx);
        double c = Math.fma(x, dx, xx * Math.fma(xx, Math.fma(xx, CS6, CS4), CS2));
        int k = (int) Double.doubleToRawLongBits(u) << 2;
        double sn = TABLE[k];
        double ssn = TABLE[k + 1];
        double cs = TABLE[k + 2];
        double ccs = TABLE[k + 3];
        double cor = Math.fma(-sn, c, Math.fma(s, ccs, ssn));
        cor = Math.fma(cs, s, cor);
        return Math.copySign(sn + cor, xold);
    }

    /** Reduces by pi/2: returns the quadrant, writes the reduced argument as a + da into out. */
    private static int reduce(double x, double[] out) {
        double t = Math.fma(x, HPINV, TOINT);
        double xn = t - TOINT;
        double y = Math.fma(-xn, MP2, Math.fma(-xn, MP1, x));
        int n = (int) Double.doubleToRawLongBits(t) & 3;
        double t2 = Math.fma(-xn, PP3, y);
        double db = Math.fma(-xn, PP3, y - t2);
        double b = Math.fma(-xn, PP4, t2);
        db += Math.fma(-xn, PP4, t2 - b);
        out[0] = b;
        out[1] = db;
        return n;
    }

    private static double quadrant(double a, double da, int n) {
        double v = (n & 1) != 0 ? doCos(a, da) : doSin(a, da);
        return (n & 2) != 0 ? -v : v;
    }

    static double sin(double x) {
        int k = (int) (Double.doubleToRawLongBits(x) >>> 32) & 0x7fffffff;
        if (k < 0x3e500000) {
            return x;
        }
        if (k < 0x3feb6000) {
            return doSin(x, 0);
        }
        if (k < 0x400368fd) {
            return Math.copySign(doCos(HP0 - Math.abs(x), HP1), x);
        }
        if (k < 0x419921FB) {
            double[] ad = new double[2];
            int n = reduce(x, ad);
            return quadrant(ad[0], ad[1], n);
        }
        return StrictMath.sin(x); // never reached by the samplers (|theta| < 2 pi)
    }

    static double cos(double x) {
        int k = (int) (Double.doubleToRawLongBits(x) >>> 32) & 0x7fffffff;
        if (k < 0x3e400000) {
            return 1.0;
        }
        if (k < 0x3feb6000) {
            return doCos(x, 0);
        }
        if (k < 0x400368fd) {
            double y = HP0 - Math.abs(x);
            double a = y + HP1;
            double da = (y - a) + HP1;
            return doSin(a, da);
        }
        if (k < 0x419921FB) {
            double[] ad = new double[2];
            int n = reduce(x, ad);
            return quadrant(ad[0], ad[1], n + 1);
        }
        return StrictMath.cos(x); // never reached by the samplers
    }
}
