#!/usr/bin/env python3
"""Goldens for gradients at zero of norms, std and var (PyTorch masks where the norm or std is 0).

Usage:  python3 gen_zero_grads.py        (writes zero_grads_cases.txt beside it)

Same record format and helpers as gen_autograd.py; ZeroGradsGoldenTest holds the Java twins. Uses
torch.linalg.vector_norm, which is what x.norm(p, dim, keepdim) calls in PyTorch 2.x, so the
goldens are alike on 1.13 and 2.x.
"""
import torch

from gen_autograd import Recorder, goldenlib, loss_of, vals

INF = float("inf")
PS = [("2", 2.0), ("1", 1.0), ("3", 3.0), ("1.5", 1.5), ("0.5", 0.5), ("-1", -1.0), ("inf", INF), ("-inf", -INF), ("0", 0.0)]

PROGRAMS = []


def program(f):
    PROGRAMS.append(f)
    return f


def mixed():
    """Rows and columns that are all zero next to ones that are not, and zeros inside non-zero rows."""
    x = torch.tensor([[0.0, 0.0, 0.0, 0.0], [1.0, -2.0, 0.0, 0.5], [0.0, 0.0, 0.0, 0.0]], dtype=torch.float64)
    return x.requires_grad_()


@program
def norm_all_zero(r):
    for name, p in PS:
        x = torch.zeros(2, 3, dtype=torch.float64, requires_grad=True)
        y = torch.linalg.vector_norm(x, p)
        r.fn(f"p={name}", y)
        y.backward()
        r.grad(f"p={name}", x)


@program
def norm_dim_zero_rows(r):
    for name, p in PS:
        for keepdim in (False, True):
            x = mixed()
            y = torch.linalg.vector_norm(x, p, dim=1, keepdim=keepdim)
            loss_of(y).backward()
            r.grad(f"p={name} keepdim={keepdim}", x)


@program
def norm_dims_3d(r):
    for name, p in PS:
        x = vals((2, 3, 4), k=5, m=7, off=3, scale=0.5)
        with torch.no_grad():
            x[:, 1, :] = 0.0
            x[1, :, 2] = 0.0
        y = torch.linalg.vector_norm(x, p, dim=(0, 2), keepdim=False)
        loss_of(y).backward()
        r.grad(f"p={name}", x)


@program
def norm_scalar_zero(r):
    for name, p in PS:
        x = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
        torch.linalg.vector_norm(x, p).backward()
        r.grad(f"p={name}", x)


@program
def std_zero(r):
    x = mixed()
    r.fn("std", x.std(1))
    loss_of(x.std(1)).backward()
    r.grad("std(1)", x)
    x = mixed()
    loss_of(x.std(1, keepdim=True)).backward()
    r.grad("std(1, keepdim)", x)
    x = mixed()
    loss_of(x.std(0, unbiased=False)).backward()
    r.grad("std(0, unbiased=False)", x)
    x = mixed()
    loss_of(torch.std(x, 1, correction=2)).backward()
    r.grad("std(1, correction=2)", x)
    x = torch.full((2, 3), 1.5, dtype=torch.float64, requires_grad=True)
    x.std().backward()
    r.grad("std() constant", x)
    x = torch.full((2, 3, 2), -0.5, dtype=torch.float64, requires_grad=True)
    loss_of(x.std((0, 2))).backward()
    r.grad("std((0, 2)) constant", x)


@program
def var_edges(r):
    x = mixed()
    r.fn("var", x.var(1))
    loss_of(x.var(1)).backward()
    r.grad("var(1)", x)
    x = mixed()
    loss_of(torch.var(x, 0, correction=0, keepdim=True)).backward()
    r.grad("var(0, correction=0, keepdim)", x)
    # A reduction over everything with no degrees of freedom left (numel <= correction) is left out: PyTorch 1.13
    # and 2.x differ there; ZeroGradsGoldenTest checks 2.x's formula instead.
    x = torch.tensor([[1.0, -1.0, 2.0]], dtype=torch.float64, requires_grad=True)
    loss_of(x.var(0)).backward()
    r.grad("var(0) one row", x)
    x = torch.tensor([[1.0, -1.0, 2.0]], dtype=torch.float64, requires_grad=True)
    loss_of(x.std(0)).backward()
    r.grad("std(0) one row", x)


def main():
    r = Recorder()
    for p in PROGRAMS:
        r.program(p.__name__)
        p(r)
    goldenlib.write(__file__, "zero_grads_cases.txt", r.lines)


if __name__ == "__main__":
    main()
