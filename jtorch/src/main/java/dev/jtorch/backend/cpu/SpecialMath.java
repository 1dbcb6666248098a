package dev.jtorch.backend.cpu;

/**
 * Scalar special functions for the CPU kernels, in {@code double}: {@link #erf}, {@link #erfc},
 * {@link #erfinv}, {@link #lgamma}, {@link #digamma} and a numerically stable {@link #sigmoid}.
 * ({@code expm1}/{@code log1p} come from {@link Math}.)
 *
 * <p>Special values follow PyTorch: {@code erfinv(±1) = ±inf}, {@code erfinv(|x| > 1) = NaN};
 * {@code lgamma} is {@code log|Γ(x)|} with {@code +inf} at the poles (0, -0, negative integers)
 * and at ±inf; {@code digamma(+0) = -inf}, {@code digamma(-0) = +inf}, {@code NaN} at the
 * negative integers and at -inf.
 *
 * <p>Accuracy, as worst error against correctly rounded references (mpmath at 50 digits, see
 * {@code src/test/resources/golden/special/gen_special.py}) over ~300k random and edge points:
 * erf 1 ulp, erfinv 1 ulp, erfc 3 ulp (the {@code exp(-x²)} factor and the products around it
 * dominate), lgamma and digamma 3 ulp for {@code x > 0}, including the neighbourhoods of their
 * positive zeros (1, 2 and 1.4616…), whose factors are split off exactly. For {@code x < 0}
 * both use the reflection formula; the result then carries an absolute error of about one ulp of
 * the reflection's terms ({@code log|π/(x sin πx)|} and {@code lgamma(-x)}, resp.
 * {@code ψ(1-x)} and {@code π cot πx}), which shows up as large relative error only very close
 * to the zeros of lgamma/digamma on the negative axis (e.g. lgamma near -2.457, digamma near
 * -0.504). Subnormal results of erfc (x > 26.5) are within a couple of units of the last place.
 *
 * <p>Method: piecewise polynomials (Chebyshev interpolants of the mpmath functions converted to
 * monomials around each piece's centre; the tables are printed by
 * {@code gen_special.py --coefficients}) with the zeros factored out exactly, the Stirling and
 * digamma asymptotic series for large arguments, recurrences in between, reflection for
 * negative arguments, and one Halley step on erfc for the tails of erfinv.
 */
final class SpecialMath {

    private SpecialMath() {}

    private static final double PI = Math.PI;
    /** 2/sqrt(pi) - 1. */
    private static final double TWO_OVER_SQRT_PI_M1 = 0.1283791670955126;
    /** 2/sqrt(pi). */
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    /** sqrt(pi)/2. */
    private static final double SQRT_PI_OVER_2 = 0.886226925452758;
    /** 0.5*log(2*pi) - 0.5. */
    private static final double HALF_LOG_2PI_M_HALF = 0.4189385332046727;
    /** pi^2/3. */
    private static final double PI2_OVER_3 = 3.289868133696453;

    // ---------------------------------------------------------------- coefficient tables
    // ERF_SMALL on [0, 0.5625], centre 0.28125, degree 12
    private static final double ERF_SMALL_C = 0.28125;
    private static final double[] ERF_SMALL = {
        0.030952815601264103, -0.3185911719434663, 0.09246954173096404,
        -0.021614855089355896, 0.004153972768139497, -0.0006742642449638121,
        9.452721473913938e-05, -1.1650599151009329e-05, 1.280423896571772e-06,
        -1.2692752827986712e-07, 1.1456678175401456e-08, -9.503863762341979e-10,
        7.273284987597545e-11,
    };
    private static final double ERF_ONE = 0.8427007794380188;
    // ERF_MID on [-0.25, 0.25], centre 0.0, degree 16
    private static final double ERF_MID_C = 0.0;
    private static final double[] ERF_MID = {
        1.3511696070513108e-08, 0.4151074974205947, -0.4151074974205947,
        0.13836916580686495, 0.06918458290343246, -0.069184582903441,
        0.004612305526893022, 0.01515471816066042, -0.004777030724080945,
        -0.0018851884160918338, 0.0012262875711473113, 8.552538475258593e-05,
        -0.00020005489139659263, 1.8692557581186873e-05, 2.370304422297243e-05,
        -5.256736154747129e-06, -2.0464662731365893e-06,
    };
    // ERFC_T1 on [0.25, 0.64], centre 0.445, degree 20
    private static final double ERFC_T1_C = 0.445;
    private static final double[] ERFC_T1 = {
        0.4823067565861134, -0.12842028218036786, 0.07608753392998464,
        -0.06029945268565482, 0.05617571613931426, -0.05818687340824776,
        0.06503750939296783, -0.07703273597992387, 0.09553254112840431,
        -0.12301168008669383, 0.1634537136089138, -0.2230993596897055,
        0.3116450052550564, -0.44371704402708595, 0.6436663699974476,
        -0.9674131533075987, 1.454745034479075, -1.827100610571256,
        2.7127441332941684, -8.627457802872518, 13.996457383090169,
    };
    // ERFC_T2 on [0.1111111111111111, 0.25], centre 0.18055555555555555, degree 16
    private static final double ERFC_T2_C = 0.18055555555555555;
    private static final double[] ERFC_T2 = {
        0.5230854290703457, -0.18769256801198514, 0.16674985080426072,
        -0.21160589604667362, 0.3303212577372987, -0.5929514185429633,
        1.1791443747233945, -2.5379907125430856, 5.821081841539219,
        -14.069682479860528, 35.54421359959689, -93.31951687752175,
        253.145308279931, -695.1868960236542, 1983.9316444824574,
        -7189.756474329324, 21938.912921223513,
    };
    // ERFC_T3 on [0.027777777777777776, 0.1111111111111111], centre 0.06944444444444445, degree 16
    private static final double ERFC_T3_C = 0.06944444444444445;
    private static final double[] ERFC_T3 = {
        0.5463523909757899, -0.23501696330273913, 0.27395614649234856,
        -0.4867428545580647, 1.1178157915297968, -3.070488256565924,
        9.649666382977196, -33.72348059434157, 128.5194468934805,
        -526.5726813198717, 2294.9748298847835, -10563.026640247666,
        50929.30114230561, -249120.34077393508, 1288917.4092228415,
        -9162708.482370207, 52424781.23963883,
    };
    // ERFC_T4 on [0, 0.027777777777777776], centre 0.013888888888888888, degree 12
    private static final double ERFC_T4_C = 0.013888888888888888;
    private static final double[] ERFC_T4 = {
        0.5603505205560211, -0.27091619086158103, 0.38294925015699205,
        -0.8800565750214988, 2.7643699946502793, -10.90839826719903,
        51.4438054297923, -280.5532528499745, 1728.560624445338,
        -11815.839057989722, 88521.31845897493, -758424.0057225946,
        6699239.020918394,
    };
    // ERFINV_SMALL on [0, 0.25], centre 0.125, degree 16
    private static final double ERFINV_SMALL_C = 0.125;
    private static final double[] ERFINV_SMALL = {
        -0.0825916329477299, 0.26853944237639576, 0.1672977500966767,
        0.12916467464939954, 0.11049779613787897, 0.10039275106118711,
        0.09489256607678481, 0.09223856979761345, 0.09154562030481216,
        0.09233268802505823, 0.09432804126066972, 0.09738233450941187,
        0.10140850920993631, 0.10610756499741615, 0.11195924172868123,
        0.12862360857918426, 0.1378588068682898,
    };
    // ERFINV_T1 on [0.83, 2.0], centre 1.415, degree 11
    private static final double ERFINV_T1_C = 1.415;
    private static final double[] ERFINV_T1 = {
        1.0567994722069738, 1.0346824810222328, 0.03291197341779523,
        -0.03709955245309462, 0.025976297049106135, -0.014596786813293716,
        0.0067592506279538405, -0.00240138875554375, 0.00046180927722244583,
        0.0002684016621704217, -0.0005396860126166362, 0.0003322402423476434,
    };
    // ERFINV_T2 on [2.0, 6.07], centre 4.035, degree 13
    private static final double ERFINV_T2_C = 4.035;
    private static final double[] ERFINV_T2 = {
        3.7874689769925083, 1.0315551209749843, -0.004230672398093452,
        0.0004753632654931565, -1.662672364106141e-05, -1.4374370196173644e-05,
        6.845210001657303e-06, -2.2904466739998067e-06, 7.351071360748282e-07,
        -1.98389759328079e-07, 2.643864793208296e-08, -6.500443303196266e-09,
        5.852266673213238e-09, -1.34116992287715e-09,
    };
    // LGAMMA_G0A on [-0.5, -0.25], centre -0.375, degree 18
    private static final double LGAMMA_G0A_C = -0.375;
    private static final double[] LGAMMA_G0A = {
        -0.9622119879705071, 1.3079914042828251, -1.0469338192996778,
        1.1497682072718214, -1.4196053454359945, 1.8594303088473485,
        -2.523821135554396, 3.5091565162122014, -4.965823722627263,
        7.122934256952512, -10.327919187214647, 15.10759844288638,
        -22.26286866774237, 33.03104759717066, -49.2501886148705,
        72.69465971390106, -109.11173287676027, 198.99478722017213,
        -304.38472551729166,
    };
    // LGAMMA_G0B on [-0.25, 0], centre -0.125, degree 16
    private static final double LGAMMA_G0B_C = -0.125;
    private static final double[] LGAMMA_G0B = {
        -0.6868696578026746, 0.9371793099601664, -0.5255293520183417,
        0.4076948287425653, -0.35807653547792906, 0.33491599281810647,
        -0.3251849721172974, 0.32364913863159894, -0.3278765376476565,
        0.33664280806163555, -0.34931910761439355, 0.3656198430876766,
        -0.38541828288060304, 0.4076868392446455, -0.4344551447581722,
        0.5043165183052445, -0.5450109180566749,
    };
    // LGAMMA_G0C on [0, 0.5], centre 0.25, degree 19
    private static final double LGAMMA_G0C_C = 0.25;
    private static final double[] LGAMMA_G0C = {
        -0.3930873456872526, 0.6625352492439489, -0.2554826879615743,
        0.13677079348835042, -0.08339250575533373, 0.054390401756881084,
        -0.03692956435408772, 0.025743857660126324, -0.018282076088702616,
        0.013163093763098035, -0.009579131776662071, 0.007030890987486478,
        -0.005196922037979858, 0.003864193357525236, -0.0028898483569539746,
        0.0021694947611863255, -0.0016073760393030653, 0.0012127176469649429,
        -0.001125675376082749, 0.0008646932646773664,
    };
    // LGAMMA_G2 on [-0.5, 0.5], centre 0.0, degree 20
    private static final double LGAMMA_G2_C = 0.0;
    private static final double[] LGAMMA_G2 = {
        0.42278433509846713, 0.3224670334241132, -0.06735230105319809,
        0.02058080842778463, -0.007385551028674112, 0.0028905103307343394,
        -0.0011927539116953513, 0.0005096695250262799, -0.00022315475870541318,
        9.945750665169756e-05, -4.4926232067590164e-05, 2.0507292365464966e-05,
        -9.439542157811552e-06, 4.374221208333783e-06, -2.0388179147899775e-06,
        9.584290249224467e-07, -4.511226578219266e-07, 2.0192169921430407e-07,
        -9.500561364952553e-08, 6.473973449314896e-08, -3.132113095718165e-08,
    };
    private static final double DIGAMMA_ROOT_M1_HI = 0.46163214496836236;
    private static final double DIGAMMA_ROOT_M1_LO = -1.5522348162858677e-17;
    // DIGAMMA_PA on [0, 0.5], centre 0.25, degree 19
    private static final double DIGAMMA_PA_C = 0.25;
    private static final double[] DIGAMMA_PA = {
        1.0747589096650145, -0.5791664818235417, 0.4002392309428281,
        -0.29981946865738923, 0.23226650153041103, -0.18277734928267197,
        0.14495836771170745, -0.115428312251721, 0.09210988122401266,
        -0.07358633026235936, 0.05882450042997741, -0.047039955323261655,
        0.03762221862137334, -0.030093678874667178, 0.024097075208497958,
        -0.01928056402649931, 0.015099934237549947, -0.012050517173384205,
        0.012081241845019915, -0.009763594232791061,
    };
    // DIGAMMA_PB on [0.5, 1.0], centre 0.75, degree 17
    private static final double DIGAMMA_PB_C = 0.75;
    private static final double[] DIGAMMA_PB = {
        0.8581832171262995, -0.3262546278681057, 0.15712011335204246,
        -0.08228558635577812, 0.04479965445278853, -0.02489004848894208,
        0.013985786183700732, -0.007910468780347677, 0.004491813726355047,
        -0.0025566864221112035, 0.0014573735151899568, -0.0008314976764927886,
        0.0004747161152869977, -0.0002711038288881643, 0.00015425631877078984,
        -8.808119109576437e-05, 5.544115305478261e-05, -3.184093992132635e-05,
    };

    /** Stirling series B_2k / (2k (2k-1)), k = 1..8, in powers of 1/x^2. */
    private static final double[] STIRLING = {
        1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360, 1.0 / 156,
        -3617.0 / 122400,
    };
    /** Digamma asymptotic series B_2k / (2k), k = 1..8, in powers of 1/x^2. */
    private static final double[] DIGAMMA_ASYMPTOTIC = {
        1.0 / 12, -1.0 / 120, 1.0 / 252, -1.0 / 240, 1.0 / 132, -691.0 / 32760, 1.0 / 12,
        -3617.0 / 8160,
    };

    private static double poly(double[] c, double s) {
        double r = c[c.length - 1];
        for (int k = c.length - 2; k >= 0; k--) {
            r = c[k] + s * r;
        }
        return r;
    }

    // ---------------------------------------------------------------- erf / erfc

    /** The error function. */
    static double erf(double x) {
        double a = Math.abs(x);
        if (a < 0.75) {
            if (a < 0x1p-28) {
                if (a < 0x1p-1000) { // keep full precision for subnormal results
                    double y = x * 0x1p60;
                    return (y + TWO_OVER_SQRT_PI_M1 * y) * 0x1p-60;
                }
                return x + TWO_OVER_SQRT_PI_M1 * x;
            }
            return x + x * poly(ERF_SMALL, x * x - ERF_SMALL_C);
        }
        double r;
        if (a < 1.25) {
            r = ERF_ONE + poly(ERF_MID, a - 1.0);
        } else if (a < 6.0) {
            r = 1.0 - erfcTail(a);
        } else if (a >= 6.0) {
            r = 1.0;
        } else {
            return x; // NaN
        }
        return x > 0 ? r : -r;
    }

    /** The complementary error function 1 - erf(x), accurate also where it is tiny. */
    static double erfc(double x) {
        double a = Math.abs(x);
        if (a < 0.75) {
            if (a < 0x1p-56) {
                return 1.0 - x;
            }
            double y = poly(ERF_SMALL, x * x - ERF_SMALL_C);
            if (x < 0.25) {
                return 1.0 - (x + x * y);
            }
            return 0.5 - ((x - 0.5) + x * y); // x - 0.5 is exact here
        }
        if (a < 1.25) {
            double d = poly(ERF_MID, a - 1.0);
            return x > 0 ? (1.0 - ERF_ONE) - d : 1.0 + (ERF_ONE + d);
        }
        if (x > 0) {
            return erfcTail(x);
        }
        if (a < 6.0) {
            return 2.0 - erfcTail(a);
        }
        return a >= 6.0 ? 2.0 : x; // x is NaN in the last case
    }

    /** erfc(x) for x >= 1.25 as exp(-x^2) * K(1/x^2) / x, with x^2 split exactly. */
    private static double erfcTail(double x) {
        if (x >= 28.0) {
            return 0.0; // erfc(27.3) already underflows
        }
        double hi = x * x;
        double c = 134217729.0 * x; // Veltkamp split: x = xh + xl, 26 bits each
        double xh = c - (c - x);
        double xl = x - xh;
        double lo = ((xh * xh - hi) + 2.0 * xh * xl) + xl * xl; // x^2 = hi + lo exactly
        double w = 1.0 / hi;
        double k;
        if (x < 2.0) {
            k = poly(ERFC_T1, w - ERFC_T1_C);
        } else if (x < 3.0) {
            k = poly(ERFC_T2, w - ERFC_T2_C);
        } else if (x < 6.0) {
            k = poly(ERFC_T3, w - ERFC_T3_C);
        } else {
            k = poly(ERFC_T4, w - ERFC_T4_C);
        }
        double p = Math.exp(-hi) * k / x;
        return p - p * lo; // exp(-lo) = 1 - lo to within lo^2 < 1e-26
    }

    /**
     * The inverse error function on [-1, 1]: erfinv(±1) = ±inf, NaN outside.
     */
    static double erfinv(double x) {
        double a = Math.abs(x);
        if (!(a < 1.0)) {
            return a == 1.0 ? Math.copySign(Double.POSITIVE_INFINITY, x) : Double.NaN;
        }
        if (a < 0x1p-27) {
            return SQRT_PI_OVER_2 * x;
        }
        if (a < 0.5) {
            return x + x * poly(ERFINV_SMALL, x * x - ERFINV_SMALL_C);
        }
        double q = 1.0 - a; // exact
        double r = Math.sqrt(-Math.log(q));
        double y = r < 2.0 ? poly(ERFINV_T1, r - ERFINV_T1_C) : poly(ERFINV_T2, r - ERFINV_T2_C);
        // One Halley step on erfc(y) = q (the guess is good to ~1e-9, so this converges fully).
        double u = (q - erfc(y)) / (TWO_OVER_SQRT_PI * Math.exp(-y * y));
        y -= u / (1.0 + y * u);
        return x > 0 ? y : -y;
    }

    // ---------------------------------------------------------------- lgamma

    /** log|Γ(x)|; +inf at the poles (0, -0, negative integers) and at ±inf. */
    static double lgamma(double x) {
        if (x > 0) {
            return lgammaPositive(x);
        }
        if (x != x) {
            return x;
        }
        if (x == Math.floor(x)) {
            return Double.POSITIVE_INFINITY; // 0, -0, negative integers, -inf
        }
        if (x > -0.5) {
            return x * lgammaG0(x) - Math.log(-x); // log Γ(1+x) - log|x|
        }
        // Reflection: Γ(x) Γ(-x) = -π / (x sin(πx)).
        double r = x - Math.rint(x); // |r| <= 0.5, exact
        double s = Math.abs(x * Math.sin(PI * r));
        return Math.log(PI / s) - lgammaPositive(-x);
    }

    /** lgamma(1 + v) / v for v in [-0.5, 0.5]. */
    private static double lgammaG0(double v) {
        if (v < -0.25) {
            return poly(LGAMMA_G0A, v - LGAMMA_G0A_C);
        }
        if (v < 0) {
            return poly(LGAMMA_G0B, v - LGAMMA_G0B_C);
        }
        return poly(LGAMMA_G0C, v - LGAMMA_G0C_C);
    }

    private static double lgammaPositive(double x) {
        if (x < 0.5) {
            return x * lgammaG0(x) - Math.log(x);
        }
        if (x < 1.5) {
            double u = x - 1.0; // exact
            return u * lgammaG0(u) + 0.0; // + 0.0: lgamma(1) = +0, not -0
        }
        if (x < 2.5) {
            double v = x - 2.0; // exact
            return v * poly(LGAMMA_G2, v - LGAMMA_G2_C);
        }
        if (x < 10.0) {
            double p = 1.0;
            while (x >= 2.5) {
                x -= 1.0; // exact
                p *= x;
            }
            double v = x - 2.0;
            return Math.log(p) + v * poly(LGAMMA_G2, v - LGAMMA_G2_C);
        }
        double lx = Math.log(x);
        if (x >= 0x1p60) {
            return x * (lx - 1.0); // +inf once it overflows (x > 2.55e305), and for x = +inf
        }
        double t = 1.0 / x;
        double series = t * poly(STIRLING, t * t);
        return (x - 0.5) * (lx - 1.0) + (HALF_LOG_2PI_M_HALF + series);
    }

    // ---------------------------------------------------------------- digamma

    /**
     * The digamma function ψ(x) = Γ'(x)/Γ(x) with PyTorch's conventions: ψ(+0) = -inf,
     * ψ(-0) = +inf, NaN at negative integers and -inf.
     */
    static double digamma(double x) {
        if (x > 0) {
            return digammaPositive(x);
        }
        if (x == 0) {
            return Math.copySign(Double.POSITIVE_INFINITY, -x);
        }
        if (!(x > Math.floor(x))) {
            return Double.NaN; // NaN, negative integers, -inf
        }
        // Reflection: ψ(x) = ψ(1 - x) - π cot(πx), with 1 - x carried to double-double.
        double y = 1.0 - x;
        double bv = y - 1.0;
        double lo = (1.0 - (y - bv)) + (-x - bv);
        double iy = 1.0 / y;
        double trigamma = iy * (1.0 + iy * (0.5 + iy * (1.0 / 6.0))); // ψ'(y), a few % suffices
        double base = digammaPositive(y) + lo * trigamma;
        return base - piCotPi(x);
    }

    /** π cot(πx) for non-integer x, reduced so that tan only sees |arguments| <= π/4. */
    private static double piCotPi(double x) {
        double r = x - Math.rint(x); // |r| <= 0.5, exact
        double ar = Math.abs(r);
        if (ar <= 0.25) {
            if (ar < 0x1p-28) {
                return 1.0 / r - PI2_OVER_3 * r;
            }
            return PI / Math.tan(PI * r);
        }
        return -PI * Math.tan(PI * (r - Math.copySign(0.5, r))); // r ∓ 0.5 is exact
    }

    /** ψ(1 + u) for u in [0, 1]; the zero at u = x0 - 1 is factored out exactly. */
    private static double digamma1p(double u) {
        double p = u < 0.5 ? poly(DIGAMMA_PA, u - DIGAMMA_PA_C) : poly(DIGAMMA_PB, u - DIGAMMA_PB_C);
        return ((u - DIGAMMA_ROOT_M1_HI) - DIGAMMA_ROOT_M1_LO) * p;
    }

    private static double digammaPositive(double x) {
        if (x < 1.0) {
            return digamma1p(x) - 1.0 / x;
        }
        if (x <= 2.0) {
            return digamma1p(x - 1.0);
        }
        if (x < 10.0) {
            double s = 0.0;
            while (x > 2.0) {
                x -= 1.0; // exact
                s += 1.0 / x;
            }
            return s + digamma1p(x - 1.0);
        }
        if (x >= 1e17) {
            return Math.log(x) - 0.5 / x; // also +inf for +inf
        }
        double w = 1.0 / (x * x);
        return (Math.log(x) - 0.5 / x) - w * poly(DIGAMMA_ASYMPTOTIC, w);
    }

    // ---------------------------------------------------------------- sigmoid

    /** The logistic function 1 / (1 + e^-x), without overflow for any x ({@link DetMath#sigmoid}). */
    static double sigmoid(double x) {
        return DetMath.sigmoid(x);
    }
}
