#!/usr/bin/env python3
"""Golden values (and polynomial coefficients) for dev.jtorch.backend.cpu.SpecialMath.

Usage:
    python3 gen_special.py                 # (re)writes special.csv next to this script
    python3 gen_special.py --coefficients  # prints the Java coefficient tables of SpecialMath

special.csv holds one line per sample point:  x,erf,erfc,erfinv,lgamma,digamma
every value written with float.hex() ('inf', '-inf', 'nan' for non-finite values).

Reference values come from mpmath at 50 significant digits when it is importable
(Debian: python3-mpmath), which gives correctly rounded doubles.  Without mpmath the
script falls back to math.erf / math.erfc / math.lgamma and scipy.special for
erfinv / digamma (accurate to about an ulp only).

Special-value semantics follow PyTorch:
  erf(+-inf) = +-1, erfc(-inf) = 2, erfc(+inf) = 0
  erfinv(+-1) = +-inf, erfinv(|x| > 1) = nan
  lgamma(poles: 0, -0, negative integers) = +inf, lgamma(+-inf) = +inf
  digamma(+0) = -inf, digamma(-0) = +inf, digamma(negative integer or -inf) = nan, digamma(+inf) = +inf
"""
import math
import os
import random
import sys

try:
    import mpmath as mp
    mp.mp.dps = 50
except ImportError:  # pragma: no cover - fallback path
    mp = None

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import goldenlib  # noqa: E402  (golden/goldenlib.py: the shared header)
NAN = float("nan")
INF = float("inf")


# --------------------------------------------------------------------------- references
def _f(v):
    return float(v)


def ref_erf(x):
    if math.isnan(x):
        return NAN
    if math.isinf(x):
        return math.copysign(1.0, x)
    if x == 0:
        return x
    if abs(x) > 10:  # erfc(10) < 2^-53 / 1e27
        return math.copysign(1.0, x)
    return _f(mp.erf(x)) if mp else math.erf(x)


def ref_erfc(x):
    if math.isnan(x):
        return NAN
    if math.isinf(x):
        return 0.0 if x > 0 else 2.0
    if abs(x) > 30:  # erfc(30) ~ 1e-393 underflows; erfc(-30) rounds to 2
        return 0.0 if x > 0 else 2.0
    return _f(mp.erfc(x)) if mp else math.erfc(x)


def ref_erfinv(x):
    if math.isnan(x) or abs(x) > 1:
        return NAN
    if abs(x) == 1:
        return math.copysign(INF, x)
    if x == 0:
        return x
    if mp:
        return _f(mp.erfinv(x))
    import scipy.special
    return float(scipy.special.erfinv(x))


def ref_lgamma(x):
    if math.isnan(x):
        return NAN
    if math.isinf(x):
        return INF
    if x <= 0 and x == math.floor(x):
        return INF
    if not mp:
        return math.lgamma(x)
    if x > 0:
        return _f(mp.loggamma(x))
    return _f(mp.log(abs(mp.gamma(x))))


def ref_digamma(x):
    if math.isnan(x):
        return NAN
    if x == 0:
        return math.copysign(INF, -x)
    if math.isinf(x):
        return x if x > 0 else NAN
    if x < 0 and x == math.floor(x):  # negative integers
        return NAN
    if mp:
        return _f(mp.digamma(x))
    import scipy.special
    return float(scipy.special.digamma(x))


# --------------------------------------------------------------------------- sample points
def points():
    rnd = random.Random(20240917)
    pts = [NAN, INF, -INF, 0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308,
           -2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308]
    # powers of two, both signs (tiny .. huge)
    for k in list(range(-1074, -1000, 7)) + list(range(-1000, -100, 61)) + list(range(-100, 64)) + \
            [100, 200, 500, 800, 1000, 1016, 1020, 1023]:
        v = math.ldexp(1.0, k)
        pts += [v, -v]
    # every integer/half-integer in [-25, 25], and neighbours of the integers
    for n in range(-25, 26):
        pts += [float(n), n + 0.5]
        for k in (1, 4, 10, 20, 30, 40, 50):
            d = math.ldexp(1.0, -k) * max(1, abs(n))
            pts += [n + d, n - d]
        pts += [math.nextafter(float(n), INF), math.nextafter(float(n), -INF)]
    # large integers / half integers (poles of lgamma and digamma far out)
    for v in [1e6, 1e9 + 0.5, 2.0 ** 51 + 0.5, 2.0 ** 52 - 0.5, 2.0 ** 52, 2.0 ** 53, 1e17, 1e20, 1e100, 1e300,
              2.55e305, 2.6e305, 1e306]:
        pts += [v, -v]
    # erf / erfc interval boundaries and the erfc underflow region
    for b in [0.25, 0.5, 0.75, 0.84375, 1.25, 2.0, 2.857142857142857, 3.0, 6.0, 26.0, 26.5, 26.6, 27.0, 27.2,
              27.25, 27.3, 28.0, 30.0, 40.0]:
        pts += [b, -b, math.nextafter(b, INF), math.nextafter(b, 0.0), -math.nextafter(b, 0.0)]
    # erfinv near +-1: 1 - 2^-k and random offsets
    for k in range(1, 54):
        v = 1.0 - math.ldexp(1.0, -k)
        pts += [v, -v]
        w = 1.0 - math.ldexp(rnd.random(), -k)
        if w < 1.0:
            pts += [w, -w]
    pts += [math.nextafter(1.0, 0.0), math.nextafter(1.0, 2.0), -math.nextafter(1.0, 2.0)]
    # roots of lgamma (1, 2, and the negative ones) and digamma, with neighbourhoods
    roots = [1.0, 2.0, 1.4616321449683623]
    if mp:
        for a in [-2.46, -2.75, -3.14, -3.96, -4.04, -4.99, -5.0013]:
            roots.append(float(mp.findroot(lambda t: mp.log(abs(mp.gamma(t))), a)))
        for a in [-0.5, -1.57, -2.61, -3.63, -4.65, -10.7]:
            roots.append(float(mp.findroot(mp.digamma, a)))
    for r in roots:
        pts.append(r)
        for k in (10, 20, 30, 40, 45, 50):
            d = math.ldexp(abs(r), -k)
            pts += [r + d, r - d]
    # random samples in assorted ranges
    for lo, hi, n in [(-1, 1, 300), (-6, 6, 300), (-30, 30, 150), (0, 0.5, 100), (0.5, 2.5, 150), (2.5, 12, 150),
                      (12, 200, 80), (-25, 0, 300), (-1, 0, 80)]:
        pts += [rnd.uniform(lo, hi) for _ in range(n)]
    for _ in range(150):  # log-uniform positive / negative
        v = math.exp(rnd.uniform(math.log(1e-300), math.log(1e300)))
        pts += [v, -v]
    for _ in range(60):  # negative, large magnitude, non-integer
        pts.append(-math.exp(rnd.uniform(math.log(25), math.log(1e14))) - rnd.random())
    # dedupe, keeping -0.0 and nan distinct
    seen, out = set(), []
    for v in pts:
        key = "nan" if math.isnan(v) else v.hex()
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def hexs(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v.hex()


def write_golden():
    pts = points()
    path = os.path.join(HERE, "special.csv")
    rows = ["# x,erf,erfc,erfinv,lgamma,digamma  (float.hex)"]
    for x in pts:
        row = [x, ref_erf(x), ref_erfc(x), ref_erfinv(x), ref_lgamma(x), ref_digamma(x)]
        rows.append(",".join(hexs(v) for v in row))
    if mp is None:
        goldenlib.write(__file__, "special.csv", rows, reference=("math/scipy", "-"))
    else:
        goldenlib.write(__file__, "special.csv", rows, reference=("mpmath", mp.__version__), digits=mp.mp.dps)
    print("wrote %d points to %s" % (len(pts), path))


# --------------------------------------------------------------------------- coefficient tables
def _chebyshev(f, a, b, nodes):
    a, b = mp.mpf(a), mp.mpf(b)
    m, h = (a + b) / 2, (b - a) / 2
    u = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / nodes) for k in range(nodes)]
    vals = [f(m + h * t) for t in u]
    c = [2 * mp.fsum(vals[k] * mp.cos(mp.pi * j * (k + mp.mpf(1) / 2) / nodes) for k in range(nodes)) / nodes
         for j in range(nodes)]
    c[0] /= 2
    return c, m, h


def _monomial(c, n):
    res = [mp.mpf(0)] * (n + 1)
    t_prev, t_cur = [mp.mpf(1)], [mp.mpf(0), mp.mpf(1)]
    res[0] += c[0]
    if n >= 1:
        res[1] += c[1]
    for j in range(2, n + 1):
        t_next = [mp.mpf(0)] * (j + 1)
        for i, t in enumerate(t_cur):
            t_next[i + 1] += 2 * t
        for i, t in enumerate(t_prev):
            t_next[i] -= t
        for i, t in enumerate(t_next):
            res[i] += c[j] * t
        t_prev, t_cur = t_cur, t_next
    return res


def fit(f, a, b, tol, nodes=72):
    """Chebyshev interpolant of f on [a, b] (nodes first-kind points), truncated where the
    Chebyshev coefficients drop below tol (plus one guard term), as monomials in (v - centre)."""
    c, m, h = _chebyshev(f, a, b, nodes)
    n = len(c) - 1
    while n > 0 and abs(c[n]) < tol:
        n -= 1
    n = min(n + 1, len(c) - 1)
    mono = _monomial(c, n)
    return float(m), [float(mono[k] / h ** k) for k in range(n + 1)]


def coefficients():
    mp.mp.dps = 60
    two = mp.mpf(2)
    out = []

    def emit(name, a, b, fm):
        centre, co = fm
        out.append("    // %s on [%s, %s], centre %r, degree %d" % (name, a, b, centre, len(co) - 1))
        out.append("    private static final double %s_C = %r;" % (name, centre))
        out.append("    private static final double[] %s = {" % name)
        for i in range(0, len(co), 3):
            out.append("        " + ", ".join(repr(v) for v in co[i:i + 3]) + ",")
        out.append("    };")

    # erf(x) = x + x*P(x^2), |x| < 0.75
    erf_small = lambda z: mp.erf(mp.sqrt(z)) / mp.sqrt(z) - 1
    emit("ERF_SMALL", 0, 0.5625, fit(erf_small, 0, 0.5625, two ** -62))
    # erf(1 + s) = ERF_ONE + P(s), |s| <= 0.25 ; ERF_ONE = erf(1) rounded to 24 bits
    mant, e = math.frexp(float(mp.erf(1)))
    erf_one = math.ldexp(round(mant * 2 ** 24), e - 24)
    out.append("    private static final double ERF_ONE = %r;" % erf_one)
    emit("ERF_MID", -0.25, 0.25, fit(lambda s: mp.erf(1 + s) - erf_one, -0.25, 0.25, two ** -64))
    # erfc(x) = exp(-x^2) * K(w) / x, w = 1/x^2, K(w) = x e^{x^2} erfc(x)
    kk = lambda w: mp.erfc(1 / mp.sqrt(w)) * mp.exp(1 / w) / mp.sqrt(w)
    for name, (a, b) in [("ERFC_T1", (0.25, 0.64)), ("ERFC_T2", (1 / 9., 0.25)), ("ERFC_T3", (1 / 36., 1 / 9.)),
                         ("ERFC_T4", (0, 1 / 36.))]:
        emit(name, a, b, fit(kk, a, b, two ** -60, nodes=92))
    # erfinv(x) = x + x*P(x^2), |x| < 0.5
    emit("ERFINV_SMALL", 0, 0.25, fit(lambda z: mp.erfinv(mp.sqrt(z)) / mp.sqrt(z) - 1, 0, 0.25, two ** -62))
    # initial guess erfinv(1 - q) ~ P(r), r = sqrt(-log q), refined by one Halley step
    tail = lambda r: mp.erfinv(1 - mp.exp(-r * r))
    emit("ERFINV_T1", 0.83, 2.0, fit(tail, 0.83, 2.0, 2e-9))
    emit("ERFINV_T2", 2.0, 6.07, fit(tail, 2.0, 6.07, 6e-9))
    # lgamma(1 + v) = v * G0(v), lgamma(2 + v) = v * G2(v)
    g0 = lambda v: mp.loggamma(1 + v) / v
    g2 = lambda v: mp.loggamma(2 + v) / v
    emit("LGAMMA_G0A", -0.5, -0.25, fit(g0, -0.5, -0.25, two ** -62 * abs(g0(mp.mpf(-0.25))), nodes=92))
    emit("LGAMMA_G0B", -0.25, 0, fit(g0, -0.25, 0, two ** -62 * 0.57, nodes=92))
    emit("LGAMMA_G0C", 0, 0.5, fit(g0, 0, 0.5, two ** -62 * abs(g0(mp.mpf(0.5))), nodes=92))
    emit("LGAMMA_G2", -0.5, 0.5, fit(g2, -0.5, 0.5, two ** -62 * abs(g2(mp.mpf(0.5))), nodes=92))
    # digamma(1 + u) = (u - r) * P(u), r = x0 - 1 where x0 is the positive root of digamma
    x0 = mp.findroot(mp.digamma, mp.mpf("1.46"))
    r = x0 - 1
    rhi = float(r)
    out.append("    private static final double DIGAMMA_ROOT_M1_HI = %r;" % rhi)
    out.append("    private static final double DIGAMMA_ROOT_M1_LO = %r;" % float(r - rhi))
    p = lambda u: mp.digamma(1 + u) / (u - r)
    emit("DIGAMMA_PA", 0, 0.5, fit(p, 0, 0.5, two ** -62 * 0.8, nodes=92))
    emit("DIGAMMA_PB", 0.5, 1.0, fit(p, 0.5, 1.0, two ** -62 * 0.7, nodes=92))
    print("\n".join(out))


if __name__ == "__main__":
    if "--coefficients" in sys.argv[1:]:
        if mp is None:
            sys.exit("--coefficients needs mpmath")
        coefficients()
    else:
        write_golden()
