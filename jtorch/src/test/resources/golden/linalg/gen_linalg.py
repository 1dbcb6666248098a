#!/usr/bin/env python3
"""Golden values for dev.jtorch.LinalgTest (torch.linalg).

Usage:
    python3 gen_linalg.py            # (re)writes linalg_cases.txt next to this script

Runs with PyTorch 1.13 (Debian python3-torch) and 2.x.  The committed file was written by
PyTorch 2.11 (x86-64 wheel, LAPACK = MKL); the header records which ("lapack mkl").

Format, one block per case:
    case <op> <name>
    opt <key> <value>                          (optional, repeated)
    arg <dtype> <shape> <values...>           (inputs, in order)
    out <field> <dtype> <shape> <values...>   (outputs)
    end
<shape> is the sizes joined by 'x' ('-' for a 0-dim tensor, e.g. '0x3' for an empty one);
floating values are written with float.hex(), integers in decimal.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import goldenlib  # noqa: E402  (golden/goldenlib.py: the shared header)

HERE = os.path.dirname(os.path.abspath(__file__))
gen = torch.Generator().manual_seed(20240611)
lines = []


def lapack_name():
    try:
        cfg = torch.__config__.show()
    except Exception:  # pragma: no cover
        return "unknown"
    return "mkl" if "LAPACK_INFO=mkl" in cfg.replace(" ", "") else "other"


def shape_str(t):
    return "x".join(str(s) for s in t.shape) if t.dim() > 0 else "-"


def vals(t):
    flat = t.detach().reshape(-1).tolist()
    if t.dtype.is_floating_point:
        return " ".join(float(v).hex() for v in flat)
    return " ".join(str(int(v)) for v in flat)


def dname(t):
    return str(t.dtype).replace("torch.", "")


def tensor_line(prefix, t):
    s = "%s %s %s" % (prefix, dname(t), shape_str(t))
    v = vals(t)
    return s + (" " + v if v else "")


def case(op, name, args, outs, **opts):
    lines.append("case %s %s" % (op, name))
    for k, v in opts.items():
        lines.append("opt %s %s" % (k, v))
    for a in args:
        lines.append(tensor_line("arg", a))
    for field, t in outs:
        lines.append(tensor_line("out " + field, t))
    lines.append("end")


def randn(*shape, dtype=torch.float64):
    return torch.randn(*shape, generator=gen, dtype=torch.float64).to(dtype)


def well_conditioned(n, batch=(), dtype=torch.float64):
    a = torch.randn(*batch, n, n, generator=gen, dtype=torch.float64)
    return (a + n * torch.eye(n, dtype=torch.float64)).to(dtype)


def spd(n, batch=(), dtype=torch.float64):
    a = torch.randn(*batch, n, n, generator=gen, dtype=torch.float64)
    return (a @ a.mT + n * torch.eye(n, dtype=torch.float64)).to(dtype)


def symmetric(n, batch=(), dtype=torch.float64):
    a = torch.randn(*batch, n, n, generator=gen, dtype=torch.float64)
    return (a + a.mT).to(dtype)


L = torch.linalg
F32 = torch.float32

# ---------------------------------------------------------------- inv
for name, a in [("3x3", well_conditioned(3)), ("4x4", randn(4, 4)), ("1x1", randn(1, 1)),
                ("batch2x3x3", well_conditioned(3, (2,))), ("batch2x2x2x2", well_conditioned(2, (2, 2))),
                ("f32_4x4", well_conditioned(4, dtype=F32)), ("empty0x0", torch.zeros(0, 0, dtype=torch.float64))]:
    case("inv", name, [a], [("out", L.inv(a))])

# ---------------------------------------------------------------- det
for name, a in [("3x3", randn(3, 3)), ("5x5", randn(5, 5)), ("1x1", randn(1, 1)), ("batch4x2x2", randn(4, 2, 2)),
                ("f32_4x4", randn(4, 4, dtype=F32)), ("empty0x0", torch.zeros(0, 0, dtype=torch.float64))]:
    case("det", name, [a], [("out", L.det(a))])

# ---------------------------------------------------------------- solve
for name, a, b in [("3x3_3x2", well_conditioned(3), randn(3, 2)),
                   ("vector", well_conditioned(4), randn(4)),
                   ("batchA_vector", well_conditioned(3, (2,)), randn(3)),
                   ("batched_vectors", well_conditioned(3, (2,)), randn(2, 3)),
                   ("broadcast", well_conditioned(3, (2, 1)), randn(4, 3, 2)),
                   ("f32", well_conditioned(3, dtype=F32), randn(3, 1, dtype=F32))]:
    case("solve", name, [a, b], [("out", L.solve(a, b))])

# ---------------------------------------------------------------- svd (full_matrices=False)
svd_inputs = [("seed_1x3", torch.tensor([[2.4062, 1.2434, 0.3095]])),
              ("1x3", randn(1, 3)), ("3x1", randn(3, 1)), ("2x2", randn(2, 2)), ("3x3", randn(3, 3)),
              ("4x3", randn(4, 3)), ("3x4", randn(3, 4)), ("5x2", randn(5, 2)), ("2x5", randn(2, 5)),
              ("6x4", randn(6, 4)), ("5x4", randn(5, 4)), ("8x8", randn(8, 8)), ("2x45", randn(2, 45)),
              ("12x7", randn(12, 7)), ("batch2x3x4", randn(2, 3, 4)), ("f32_4x3", randn(4, 3, dtype=F32)),
              ("f32_3x5", randn(3, 5, dtype=F32))]
for name, a in svd_inputs:
    U, S, Vh = L.svd(a, full_matrices=False)
    case("svd", name, [a], [("U", U), ("S", S), ("Vh", Vh)])
for name, a in [("4x3", randn(4, 3)), ("f32_2x5", randn(2, 5, dtype=F32))]:
    case("svdvals", name, [a], [("out", L.svdvals(a))])

# ---------------------------------------------------------------- qr
for name, a, mode in [("4x3", randn(4, 3), "reduced"), ("3x4", randn(3, 4), "reduced"), ("3x3", randn(3, 3), "reduced"),
                      ("batch2x4x2", randn(2, 4, 2), "reduced"), ("f32_5x3", randn(5, 3, dtype=F32), "reduced"),
                      ("complete_4x2", randn(4, 2), "complete"), ("r_3x2", randn(3, 2), "r")]:
    Q, R = L.qr(a, mode=mode)
    case("qr", name, [a], [("Q", Q), ("R", R)], mode=mode)

# ---------------------------------------------------------------- eigh / eigvalsh
for name, a, uplo in [("3x3", symmetric(3), "L"), ("5x5", symmetric(5), "L"), ("batch2x4x4", symmetric(4, (2,)), "L"),
                      ("f32_4x4", symmetric(4, dtype=F32), "L"), ("upper_nonsym", randn(4, 4), "U"),
                      ("lower_nonsym", randn(3, 3), "L")]:
    w, V = L.eigh(a, UPLO=uplo)
    case("eigh", name, [a], [("eigenvalues", w), ("eigenvectors", V)], uplo=uplo)
    case("eigvalsh", name, [a], [("out", L.eigvalsh(a, UPLO=uplo))], uplo=uplo)

# ---------------------------------------------------------------- cholesky
for name, a, upper in [("4x4", spd(4), False), ("batch3x3x3", spd(3, (3,)), False), ("f32_5x5", spd(5, dtype=F32), False),
                       ("upper_3x3", spd(3), True)]:
    case("cholesky", name, [a], [("out", L.cholesky(a, upper=upper))], upper=str(upper).lower())

# ---------------------------------------------------------------- matrix_rank
for name, a in [("full_4x3", randn(4, 3)), ("rank2_5x4", randn(5, 2) @ randn(2, 4)),
                ("batch_rank1", randn(3, 4, 1) @ randn(3, 1, 4)), ("f32_rank2", (randn(4, 2) @ randn(2, 6)).to(F32)),
                ("zeros", torch.zeros(3, 3, dtype=torch.float64))]:
    case("matrix_rank", name, [a], [("out", L.matrix_rank(a))])

# ---------------------------------------------------------------- pinv
for name, a in [("5x3", randn(5, 3)), ("3x5", randn(3, 5)), ("rank2_4x4", randn(4, 2) @ randn(2, 4)),
                ("batch2x2x3", randn(2, 2, 3)), ("f32_4x2", randn(4, 2, dtype=F32))]:
    case("pinv", name, [a], [("out", L.pinv(a))])

# ---------------------------------------------------------------- matrix_norm
a = randn(3, 4)
for ord_ in ["fro", "nuc", 2, -2, 1, -1, float("inf"), float("-inf")]:
    case("matrix_norm", "3x4_" + str(ord_), [a], [("out", L.matrix_norm(a, ord=ord_))], ord=ord_)
b = randn(2, 3, 3, dtype=F32)
case("matrix_norm", "f32_batch_fro", [b], [("out", L.matrix_norm(b))], ord="fro")

goldenlib.write(__file__, "linalg_cases.txt", lines, lapack=lapack_name())
print("wrote %d cases" % sum(1 for l in lines if l.startswith("case ")))
