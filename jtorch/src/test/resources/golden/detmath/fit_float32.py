#!/usr/bin/env python3
"""Near-minimax polynomial coefficients for FloatMath (float32 exp, expm1, log, sin, cos, tanh), rounded to float32.

Each fit is a weighted least-squares fit on Chebyshev points, reweighted (Lawson's algorithm) until the
relative error levels out, in float64 against mpmath's values; the coefficients are then rounded to float32
(the lowest one is refitted after the others are rounded, which removes most of the rounding's effect), and
the error of the rounded polynomial, evaluated in float64, is printed beside them. Run: /usr/bin/python3 fit_float32.py
"""
import mpmath
import numpy as np

mpmath.mp.prec = 120


def f32(v):
    return float(np.float32(v))


def fit(name, lo, hi, basis_exps, target, base, npts=3000, iters=60):
    """Coefficients c_i for target(x) ~ base(x) + sum c_i * x**e_i, minimizing the maximum relative error on [lo, hi]."""
    k = np.arange(npts)
    x = (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.pi * (k + 0.5) / npts)
    t = np.array([float(target(mpmath.mpf(v))) for v in x])
    b = np.array([float(base(mpmath.mpf(v))) for v in x])
    tt = np.array([target(mpmath.mpf(v)) - base(mpmath.mpf(v)) for v in x])
    A = np.array([[v ** e for e in basis_exps] for v in x])
    rhs = np.array([float(v) for v in tt])
    scale = 1 / np.abs(t)
    w = np.ones(npts)
    for _ in range(iters):
        sw = np.sqrt(w) * scale
        c, *_ = np.linalg.lstsq(A * sw[:, None], rhs * sw, rcond=None)
        err = np.abs((A @ c - rhs) * scale)
        w = w * err
        w /= w.sum()
    c32 = [f32(v) for v in c]
    # refit the last (highest) coefficients after rounding the first, from the top down: rounding a coefficient
    # is compensated by the ones not yet rounded
    for j in range(len(c)):
        fixed = np.array(c32[:j])
        r2 = rhs - (A[:, :j] @ fixed if j else 0)
        sw = scale
        cj, *_ = np.linalg.lstsq(A[:, j:] * sw[:, None], r2 * sw, rcond=None)
        c32[j] = f32(cj[0])
        for i in range(j + 1, len(c)):
            c32[i] = f32(cj[i - j])
    err = np.max(np.abs((A @ np.array(c32) - rhs) * scale))
    print(f"{name}: on [{lo:.6g}, {hi:.6g}], max relative error {err:.3g} ({err / 2**-24:.3f} ulp at worst)")
    for e, v in zip(basis_exps, c32):
        print(f"    x^{e}: {float.hex(v)}f  ({v!r})")
    return c32


LN2 = float(mpmath.log(2))
PIO4 = float(mpmath.pi / 4)
# exp: e^r = 1 + r + r^2 (c0 + c1 r + ... + c4 r^4) for |r| <= ln2/2 (relative to e^r)
fit("exp", -LN2 / 2 * 1.001, LN2 / 2 * 1.001, range(2, 7), mpmath.exp, lambda r: 1 + r)
# expm1: expm1(r) = r + r^2 (c0 + ... ) for r in [-ln2/2, ln2] (relative to expm1(r))
fit("expm1", -LN2 / 2 * 1.001, LN2 * 1.001, range(2, 9), mpmath.expm1, lambda r: r)
# log: log(1+f) = 2s + s R(s^2), R(z) = c1 z + c2 z^2 + c3 z^3, s = f / (2 + f) in [-0.1716, 0.1716]
SMAX = float((mpmath.sqrt(2) - 1) / (mpmath.sqrt(2) + 1)) * 1.001
fit("log (in s)", 1e-6, SMAX, [3, 5, 7], lambda s: 2 * mpmath.atanh(s), lambda s: 2 * s)
# sin: sin(x) = x + x^3 (c0 + c1 x^2 + c2 x^4) for |x| <= pi/4 (and a little beyond: n = rint(x / (pi/2)) in float)
fit("sin", 1e-6, PIO4 * 1.005, [3, 5, 7], mpmath.sin, lambda v: v)
# cos: cos(x) = 1 - x^2/2 + x^4 (c0 + c1 x^2 + c2 x^4) for |x| <= pi/4
fit("cos", 1e-6, PIO4 * 1.005, [4, 6, 8], mpmath.cos, lambda v: 1 - v * v / 2)
# tanh for small arguments: tanh(x) = x + x^3 (c0 + ... + c4 x^8) for |x| <= 0.55
fit("tanh", 1e-6, 0.5501, [3, 5, 7, 9, 11], mpmath.tanh, lambda v: v)
