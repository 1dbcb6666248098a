#!/usr/bin/env python3
"""Generates the differential fuzz goldens for jtorch's FuzzTest: random op calls run in PyTorch.

Usage:  python3 gen_fuzz.py [OUTDIR]        (writes OUTDIR/fuzz_golden.txt and OUTDIR/fuzz_differences.txt; OUTDIR: beside
        this script by default)

Call i draws everything (op, dtypes, shapes, layouts, values, dims, sizes, indices) from
random.Random("<SEED>/<i>"), so the file is the same on every run.  The calls mix 0-size dims,
0-dim tensors, the strided layouts of gen_ops.py (T, s2, x, o3), out-of-range dims and indices
and invalid arguments; where PyTorch raises, the record holds its error and jtorch must raise the
same.

The record format is gen_ops.py's (see its header); repr lines are left out.  The key names the
jtorch call and carries the call's arguments:  NAME or NAME:ARG=VALUE,ARG=VALUE...  where a value
is an integer, a float (Python's repr: it has a '.' or an 'e'), a dtype (f32, i64, ...), a word,
or a list of integers separated by '/' (empty for an empty list).  FuzzTest parses it with one
small parser and maps NAME to the jtorch call.

Where PyTorch 2.x (which jtorch follows) differs from 1.13 in more than a message, the record holds 2.x's
outcome with a note saying what 1.13 did (see TWO_X), and fuzz_differences.txt lists those calls.

Deliberately not drawn (each a PyTorch 1.13 behaviour that is undefined or differs from 2.x, which
jtorch follows):
- float16 matrix products: 1.13 has no CPU kernel for them ("addmm_impl_cpu_" not implemented for
  'Half'); 2.x has.
- integer division of the dtype's minimum by -1 and float-to-integer conversion of values outside the
  target range (undefined behaviour in C++, the values differ by platform).
- sort, argsort and topk of tied values: the order of the tied indices is unspecified.
"""
import os
import random
import re
import sys
import warnings

import torch
import torch.nn.functional as F

from gen_ops import (DTYPES, SHORT, FLOATS, base_shape, apply_layout, draw_float, draw_int, fmt_shape, fmt_values,
                     escape, goldenlib, tensors_of)

SEED = 17
CALLS = 6000
ALL = list(DTYPES)
INTS = ["i64", "i32", "i16", "i8", "u8"]
FLOAT_DOMAINS = ["n"] * 6 + ["sp", "sp2", "int", "pos", "wide", "half"]
INT_DOMAINS = ["n"] * 4 + ["small", "pos", "wide"]


# ------------------------------------------------------------------------------ one call
class Call:
    """The inputs of one call, drawn from its own random stream."""

    def __init__(self, index):
        self.r = random.Random("%d/%d" % (SEED, index))
        self.inputs = []  # (dtype, dims, layout, base values)

    # ---- random pieces
    def dtype(self, choices=None):
        return self.r.choice(choices or ALL)

    def dims(self, rank=None, zero=0.08, hi=4):
        r = self.r
        if rank is None:
            rank = r.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])
        return [0 if r.random() < zero else r.randint(1, hi) for _ in range(rank)]

    def layout(self, dims):
        r = self.r.random()
        if r < 0.55:
            return "-"
        options = ["-"]
        if len(dims) >= 2:
            options.append("T")
        if len(dims) >= 1:
            options += ["s2", "x", "o3"]
        return self.r.choice(options)

    def dim(self, rank, bad=0.08):
        """A dim argument for a tensor of this rank, out of range with probability bad."""
        n = max(rank, 1)
        if self.r.random() < bad:
            return self.r.choice([n, -n - 1, n + 2])
        return self.r.randint(-n, n - 1)

    def bool_(self):
        return self.r.random() < 0.5

    # ---- inputs
    def t(self, dt=None, dims=None, layout=None, domain=None, values=None):
        """Adds an input tensor and returns its name in the expression (a, b, c, d)."""
        r = self.r
        dt = dt or self.dtype()
        dims = self.dims() if dims is None else list(dims)
        layout = self.layout(dims) if layout is None else layout
        if layout == "T" and len(dims) < 2 or layout in ("s2", "x", "o3") and len(dims) < 1:
            layout = "-"
        bshape = base_shape(dims, layout)
        n = 1
        for s in bshape:
            n *= s
        if values is None:
            dom = domain or r.choice(FLOAT_DOMAINS if dt in FLOATS else INT_DOMAINS)
            if dt in FLOATS:
                values = [draw_float(r, dom, i) for i in range(n)]
            else:
                values = [draw_int(r, dt, dom, i) for i in range(n)]
        else:
            values = list(values)
            assert len(values) == n, (len(values), n, dims, layout)
        self.inputs.append((dt, dims, layout, bshape, values))
        return "abcd"[len(self.inputs) - 1]

    def build(self, case):
        env, lines = {}, []
        for i, (dt, dims, layout, bshape, values) in enumerate(self.inputs):
            src = torch.float64 if dt in FLOATS else torch.int64
            base = torch.tensor(values, dtype=src).to(DTYPES[dt]).reshape(bshape)
            t = apply_layout(base, dims, layout)
            assert list(t.shape) == dims, (case, dims, layout, t.shape)
            env["abcd"[i]] = t
            lines.append("in %s %s %s %s : %s" % (dt, fmt_shape(dims), layout, fmt_shape(bshape), fmt_values(base)))
        return env, lines


def numel(dims):
    n = 1
    for d in dims:
        n *= d
    return n


def key(name, **args):
    if not args:
        return name
    parts = []
    for k, v in args.items():
        if isinstance(v, bool):
            v = "1" if v else "0"
        elif isinstance(v, (list, tuple)):
            v = "/".join(str(int(x)) for x in v)
        elif isinstance(v, float):
            v = repr(v)
        parts.append("%s=%s" % (k, v))
    return name + ":" + ",".join(parts)


def scalar(c, integer=None):
    """A Python scalar argument: an int or a float."""
    r = c.r
    if integer is None:
        integer = r.random() < 0.5
    if integer:
        return r.choice([0, 1, 2, -1, 3, -3, 7, 100, -300])
    return r.choice([0.5, -1.5, 2.5, 0.0, -0.0, 1e-3, 3.25, -100.0, 1e10])


def pyval(v):
    if isinstance(v, float):
        return repr(v)
    return str(v)


def broadcast_partner(c, dims):
    """A shape that broadcasts with dims (mostly), or a random one."""
    r = c.r.random()
    if r < 0.15:
        return c.dims()
    if r < 0.4:
        return list(dims)
    drop = c.r.randint(0, len(dims))
    out = list(dims[drop:])
    return [1 if c.r.random() < 0.3 else s for s in out]


def shape_of_numel(c, n, rank=None):
    """A random shape with n elements (n > 0), or with a -1 in it."""
    r = c.r
    rank = rank if rank is not None else r.randint(1, 4)
    if n == 0:
        out = [r.randint(0, 3) for _ in range(rank)]
        out[r.randrange(rank)] = 0
        return out
    out = []
    rest = n
    for _ in range(rank - 1):
        divs = [d for d in range(1, rest + 1) if rest % d == 0]
        d = r.choice(divs)
        out.append(d)
        rest //= d
    out.append(rest)
    r.shuffle(out)
    if r.random() < 0.3:
        out[r.randrange(rank)] = -1
    return out


# ------------------------------------------------------------------------------ the ops
UNARY_FLOAT = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan", "asin",
               "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid", "erf", "erfc", "erfinv",
               "lgamma", "digamma", "reciprocal"]
UNARY_SAME = ["neg", "abs", "sign", "sgn", "ceil", "floor", "round", "trunc", "frac", "square", "relu", "bitwise_not",
              "logical_not", "isnan", "isinf", "isfinite"]
BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "fmax", "fmin", "atan2", "hypot", "pow", "copysign", "eq",
          "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or",
          "bitwise_xor", "xlogy", "remainder", "fmod", "floor_divide", "bitwise_left_shift", "bitwise_right_shift"]
SCALAR = ["add", "sub", "mul", "div", "pow", "remainder", "fmod", "floor_divide", "eq", "ne", "lt", "le", "gt", "ge"]
INT_DIVISIONS = ("remainder", "fmod", "floor_divide")


def unary_float(c):
    name = c.r.choice(UNARY_FLOAT)
    a = c.t()
    return "torch.%s(%s)" % (name, a), key(name)


def unary_same(c):
    name = c.r.choice(UNARY_SAME)
    a = c.t()
    return "torch.%s(%s)" % (name, a), key(name)


def binary(c):
    name = c.r.choice(BINARY)
    dt = c.dtype()
    dt2 = dt if c.r.random() < 0.5 else c.dtype()
    dims = c.dims()
    a = c.t(dt, dims)
    dom2 = None
    if name.startswith("bitwise_") and name.endswith("shift"):
        dom2 = "shift"
    elif name in INT_DIVISIONS and (dt not in FLOATS or dt2 not in FLOATS):
        dom2 = "nz" if c.r.random() < 0.9 else "zero"
    b = c.t(dt2, broadcast_partner(c, dims), domain=dom2)
    if name in ("add", "sub") and c.r.random() < 0.3:
        alpha = scalar(c, integer=dt in INTS and dt2 in INTS or c.bool_())
        return "torch.%s(%s, %s, alpha=%s)" % (name, a, b, pyval(alpha)), key(name, alpha=alpha)
    if name == "div" and c.r.random() < 0.4:
        mode = c.r.choice(["floor", "trunc"])
        return "torch.div(%s, %s, rounding_mode=%r)" % (a, b, mode), key("div", rounding=mode)
    return "torch.%s(%s, %s)" % (name, a, b), key(name)


def binary_scalar(c):
    name = c.r.choice(SCALAR + ["rsub", "rdiv", "rpow"])
    dt = c.dtype()
    a = c.t(dt, domain="pos" if name == "rdiv" and dt not in FLOATS else None)
    s = scalar(c)
    if name in INT_DIVISIONS + ("div",) and s == 0 and not isinstance(s, float):
        s = 3
    if name == "rsub":
        return "torch.rsub(%s, %s)" % (a, pyval(s)), key("rsub_s", s=s)
    if name == "rdiv":
        return "((%s) / %s)" % (pyval(s), a), key("rdiv_s", s=s)
    if name == "rpow":
        s = c.r.choice([2, 3, 0.5, 2.5, -1.5])
        return "((%s) ** %s)" % (pyval(s), a), key("rpow_s", s=s)
    if name == "pow":
        s = c.r.choice([0, 1, 2, 3, -1, -2, 0.5, 2.0, -0.5, 3.0])
    return "torch.%s(%s, %s)" % (name, a, pyval(s)), key(name + "_s", s=s)


def ternary(c):
    r = c.r
    name = r.choice(["where", "lerp", "lerp_s", "addcmul", "addcdiv", "clamp_t"])
    dims = c.dims()
    if name == "where":
        cond = c.t("b", broadcast_partner(c, dims))
        a = c.t(c.dtype(), dims)
        b = c.t(c.dtype() if r.random() < 0.4 else c.inputs[1][0], broadcast_partner(c, dims))
        return "torch.where(%s, %s, %s)" % (cond, a, b), key("where")
    dt = c.dtype(FLOATS) if r.random() < 0.85 else c.dtype()
    a = c.t(dt, dims)
    b = c.t(dt if r.random() < 0.85 else c.dtype(), broadcast_partner(c, dims))
    if name == "lerp_s":
        w = r.choice([0.0, 0.3, 1.0, -0.5, 2.0])
        return "torch.lerp(%s, %s, %s)" % (a, b, w), key("lerp_s", w=w)
    cc = c.t(dt if r.random() < 0.85 else c.dtype(), broadcast_partner(c, dims), domain="nz" if name == "addcdiv" else None)
    if name == "clamp_t":
        return "torch.clamp(%s, %s, %s)" % (a, b, cc), key("clamp_t")
    if name == "lerp":
        return "torch.lerp(%s, %s, %s)" % (a, b, cc), key("lerp")
    v = r.choice([1, 2, 0.5, -1.5])
    return "torch.%s(%s, %s, %s, value=%s)" % (name, a, b, cc, pyval(v)), key(name, v=v)


def clamp(c):
    r = c.r
    a = c.t()
    kind = r.choice(["both", "min", "max"])
    integer = r.random() < 0.5
    lo, hi = scalar(c, integer), scalar(c, integer)
    if kind == "both":
        return "torch.clamp(%s, %s, %s)" % (a, pyval(lo), pyval(hi)), key("clamp", lo=lo, hi=hi)
    if kind == "min":
        return "torch.clamp_min(%s, %s)" % (a, pyval(lo)), key("clamp_min", s=lo)
    return "torch.clamp_max(%s, %s)" % (a, pyval(hi)), key("clamp_max", s=hi)


def dims_arg(c, rank):
    """A list of distinct dims (sometimes repeated or out of range)."""
    n = max(rank, 1)
    k = c.r.randint(1, n)
    ds = c.r.sample(range(-n, n), k) if rank > 0 else [c.r.choice([0, -1])]
    ds = [d for i, d in enumerate(ds) if (d % n) not in [x % n for x in ds[:i]]]
    if c.r.random() < 0.06:
        ds.append(ds[0])
    if c.r.random() < 0.06:
        ds.append(n)
    return ds


def reduction(c):
    r = c.r
    name = r.choice(["sum", "mean", "prod", "amax", "amin", "argmax", "argmin", "max", "min", "all", "any", "std", "var",
                     "logsumexp", "norm", "nansum", "sum_dtype"])
    dt = c.dtype(FLOATS) if name in ("mean", "std", "var", "logsumexp", "norm") and r.random() < 0.85 else c.dtype()
    to = c.dtype()
    dims = c.dims()
    # float-to-integer conversion of values outside the target's range is undefined behaviour in C++
    a = c.t(dt, dims, domain="small" if name == "sum_dtype" and dt in FLOATS and to in INTS else None)
    rank = len(dims)
    keepdim = c.bool_()
    form = r.random()
    if name == "sum_dtype":
        return "torch.sum(%s, dtype=%s)" % (a, DTYPES[to]), key("sum_dtype", dtype=to)
    if name == "nansum":
        return "torch.nansum(%s)" % a, key("nansum")
    if name in ("sum", "mean", "amax", "amin", "logsumexp", "std", "var") and form < 0.4:
        ds = dims_arg(c, rank)
        if name in ("std", "var"):
            corr = r.choice([0, 1, 2])
            return ("torch.%s(%s, dim=%s, correction=%d, keepdim=%s)" % (name, a, ds, corr, keepdim),
                    key(name + "_dims", dims=ds, correction=corr, keepdim=keepdim))
        return "torch.%s(%s, dim=%s, keepdim=%s)" % (name, a, ds, keepdim), key(name + "_dims", dims=ds, keepdim=keepdim)
    if name == "norm":
        p = r.choice([2.0, 1.0, 3.0, 0.0, float("inf")])
        ps = "float('inf')" if p == float("inf") else repr(p)
        if form < 0.5:
            return "torch.norm(%s, %s)" % (a, ps), key("norm", p=p)
        d = c.dim(rank)
        return "torch.norm(%s, %s, dim=%d, keepdim=%s)" % (a, ps, d, keepdim), key("norm_dim", p=p, dim=d, keepdim=keepdim)
    if name in ("amax", "amin", "logsumexp") or form < 0.65:
        if name in ("amax", "amin", "logsumexp"):
            ds = dims_arg(c, rank)
            return "torch.%s(%s, %s, keepdim=%s)" % (name, a, ds, keepdim), key(name + "_dims", dims=ds, keepdim=keepdim)
        if name in ("std", "var"):
            unbiased = c.bool_()
            d = c.dim(rank)
            return ("torch.%s(%s, %d, unbiased=%s, keepdim=%s)" % (name, a, d, unbiased, keepdim),
                    key(name + "_dim", dim=d, unbiased=unbiased, keepdim=keepdim))
        d = c.dim(rank)
        return "torch.%s(%s, %d, keepdim=%s)" % (name, a, d, keepdim), key(name + "_dim", dim=d, keepdim=keepdim)
    return "torch.%s(%s)" % (name, a), key(name)


def scan(c):
    r = c.r
    name = r.choice(["cumsum", "cumprod", "cumsum_dtype", "softmax", "log_softmax"])
    dt = c.dtype(FLOATS) if name in ("softmax", "log_softmax") and r.random() < 0.85 else c.dtype()
    to = c.dtype()
    dims = c.dims()
    dom = "unit" if name == "cumprod" and dt in FLOATS else None
    if name == "cumsum_dtype" and dt in FLOATS and to in INTS:
        dom = "small"  # float-to-integer conversion out of range is undefined behaviour in C++
    a = c.t(dt, dims, domain=dom)
    d = c.dim(len(dims))
    if name == "cumsum_dtype":
        return "torch.cumsum(%s, %d, dtype=%s)" % (a, d, DTYPES[to]), key(name, dim=d, dtype=to)
    if name in ("softmax", "log_softmax"):
        return "F.%s(%s, %d)" % (name, a, d), key(name, dim=d)
    return "torch.%s(%s, %d)" % (name, a, d), key(name, dim=d)


def distinct(c, dt, n):
    """n distinct values exact in dt (the order of tied values is unspecified in sort and topk)."""
    if dt == "b":
        vals = [0, 1][:n] + [1] * max(0, n - 2)
        c.r.shuffle(vals)
        return vals
    lo = 0 if dt == "u8" else -(n // 2)
    vals = list(range(lo, lo + n))
    c.r.shuffle(vals)
    if dt in FLOATS:
        return [v * 0.5 if dt != "f16" or abs(v) < 1000 else v for v in vals]
    return vals


def sorting(c):
    r = c.r
    name = r.choice(["sort", "argsort", "topk"])
    dt = c.dtype([d for d in ALL if d != "b"])
    # int8, uint8 and bfloat16 hold few distinct exact values
    dims = c.dims(r.randint(0, 3), hi=3) if dt in ("i8", "u8", "bf16") else c.dims()
    layout = r.choice(["-", "-", "T", "s2", "o3"])
    if layout == "T" and len(dims) < 2 or layout in ("s2", "o3") and not dims:
        layout = "-"
    a = c.t(dt, dims, layout, values=distinct(c, dt, numel(base_shape(dims, layout))))
    d = c.dim(len(dims))
    if name == "topk":
        size = dims[d] if -len(dims) <= d < len(dims) else 1
        k = r.choice([0, 1, size, size + 1, r.randint(0, max(size, 0))]) if r.random() < 0.9 else -1
        largest = c.bool_()
        return "torch.topk(%s, %d, %d, largest=%s)" % (a, k, d, largest), key("topk", k=k, dim=d, largest=largest)
    desc = c.bool_()
    return "torch.%s(%s, %d, descending=%s)" % (name, a, d, desc), key(name, dim=d, descending=desc)


def view_like(c):
    r = c.r
    name = r.choice(["view", "reshape"])
    dims = c.dims()
    a = c.t(dims=dims)
    n = numel(dims)
    if r.random() < 0.15:
        shape = c.dims(r.randint(0, 3))
        if r.random() < 0.3 and shape:
            shape[0] = r.choice([-1, -2])
    elif n > 0 and r.random() < 0.1:
        shape = []
        if n != 1:
            shape = [n]
    else:
        shape = shape_of_numel(c, n)
    return "%s.%s(%s)" % (a, name, tuple(shape)), key(name, shape=shape)


def permute_like(c):
    r = c.r
    name = r.choice(["permute", "transpose", "t", "squeeze", "squeeze_dim", "unsqueeze", "flatten", "unflatten", "flip",
                     "swapaxes"])
    dims = c.dims(zero=0.05)
    if name.startswith("squeeze"):
        dims = [1 if r.random() < 0.4 else s for s in dims]
    a = c.t(dims=dims)
    rank = len(dims)
    if name == "permute":
        perm = list(range(rank))
        r.shuffle(perm)
        perm = [p - rank if r.random() < 0.2 else p for p in perm]
        if r.random() < 0.1:
            perm = perm[:-1] if perm else [0]
        elif r.random() < 0.08 and rank >= 2:
            perm[0] = perm[1]
        return "%s.permute(%s)" % (a, perm), key("permute", dims=perm)
    if name in ("transpose", "swapaxes"):
        d0, d1 = c.dim(rank), c.dim(rank)
        return "torch.%s(%s, %d, %d)" % (name, a, d0, d1), key(name, d0=d0, d1=d1)
    if name == "t":
        return "torch.t(%s)" % a, key("t")
    if name == "squeeze":
        return "torch.squeeze(%s)" % a, key("squeeze")
    if name == "squeeze_dim":
        d = c.dim(rank)
        return "torch.squeeze(%s, %d)" % (a, d), key("squeeze_dim", dim=d)
    if name == "unsqueeze":
        d = c.dim(rank + 1)
        return "torch.unsqueeze(%s, %d)" % (a, d), key("unsqueeze", dim=d)
    if name == "flatten":
        s, e = c.dim(rank), c.dim(rank)
        return "torch.flatten(%s, %d, %d)" % (a, s, e), key("flatten", start=s, end=e)
    if name == "unflatten":
        d = c.dim(rank)
        size = dims[d] if -rank <= d < rank else 1
        sizes = shape_of_numel(c, size, r.randint(1, 3)) if size > 0 else [0, r.randint(1, 3)]
        if r.random() < 0.1:
            sizes = [size + 1]
        return "%s.unflatten(%d, %s)" % (a, d, tuple(sizes)), key("unflatten", dim=d, sizes=sizes)
    ds = dims_arg(c, rank)
    return "torch.flip(%s, %s)" % (a, ds), key("flip", dims=ds)


def expand_like(c):
    r = c.r
    name = r.choice(["expand", "broadcast_to", "repeat"])
    dims = [1 if r.random() < 0.5 else s for s in c.dims(zero=0.04)]
    a = c.t(dims=dims)
    extra = [r.randint(0, 3) for _ in range(r.randint(0, 2))]
    if name == "repeat":
        reps = extra + [r.randint(0, 3) for _ in dims]
        if r.random() < 0.08:
            reps = reps[1:] if reps else [-1]
        if r.random() < 0.05 and reps:
            reps[0] = -1
        return "%s.repeat(%s)" % (a, tuple(reps)), key("repeat", sizes=reps)
    sizes = extra + [r.randint(0, 4) if s == 1 else (-1 if r.random() < 0.3 else s) for s in dims]
    if r.random() < 0.1 and sizes:
        sizes[-1] = r.randint(2, 5)
    if name == "expand":
        return "%s.expand(%s)" % (a, tuple(sizes)), key("expand", sizes=sizes)
    return "torch.broadcast_to(%s, %s)" % (a, tuple(sizes)), key("broadcast_to", sizes=sizes)


def narrow_like(c):
    r = c.r
    name = r.choice(["narrow", "select", "slice", "get", "chunk", "split", "split_sizes", "unbind"])
    dims = c.dims()
    a = c.t(dims=dims)
    rank = len(dims)
    d = c.dim(rank)
    size = dims[d] if -rank <= d < rank else 3
    if name == "narrow":
        start = r.randint(-size - 1, size + 1)
        length = r.randint(-1, size + 1) if r.random() < 0.15 else r.randint(0, max(0, size - max(start, 0)))
        return "torch.narrow(%s, %d, %d, %d)" % (a, d, start, length), key("narrow", dim=d, start=start, length=length)
    if name == "select":
        i = r.randint(-size - 1, size)
        return "torch.select(%s, %d, %d)" % (a, d, i), key("select", dim=d, index=i)
    if name == "slice":
        if rank == 0:
            d = 0
        else:
            d = d % rank
        size = dims[d] if rank else 0
        start = r.randint(-size - 2, size + 2)
        end = r.randint(-size - 2, size + 2)
        step = r.choice([1, 1, 2, 3]) if r.random() < 0.95 else r.choice([0, -1])
        return "%s[%s%d:%d:%d]" % (a, ":, " * d, start, end, step), key("slice", dim=d, start=start, end=end, step=step)
    if name == "get":
        first = dims[0] if rank else 0
        i = r.randint(-first - 1, first)
        return "%s[%d]" % (a, i), key("get", index=i)
    if name == "chunk":
        n = r.randint(1, 5) if r.random() < 0.93 else r.choice([0, -1])
        return "torch.chunk(%s, %d, %d)" % (a, n, d), key("chunk", chunks=n, dim=d)
    if name == "split":
        s = r.randint(1, 4) if r.random() < 0.93 else r.choice([0, -1])
        return "torch.split(%s, %d, %d)" % (a, s, d), key("split", size=s, dim=d)
    if name == "split_sizes":
        sizes = []
        left = size
        while left > 0 and len(sizes) < 4:
            s = r.randint(0, left)
            sizes.append(s)
            left -= s
        if left or not sizes:
            sizes.append(left)
        if r.random() < 0.15:
            sizes[-1] += r.choice([1, -1])
        return "torch.split(%s, %s, %d)" % (a, sizes, d), key("split_sizes", sizes=sizes, dim=d)
    return "torch.unbind(%s, %d)" % (a, d), key("unbind", dim=d)


def join(c):
    r = c.r
    name = r.choice(["cat", "stack"])
    dt = c.dtype()
    dims = c.dims(r.randint(0, 3) if r.random() < 0.2 else r.randint(1, 3))
    k = r.randint(1, 3)
    rank = len(dims)
    d = c.dim(rank + (1 if name == "stack" else 0))
    names = []
    for _ in range(k):
        other = list(dims)
        if name == "cat" and -rank <= d < rank:
            other[d] = r.randint(0, 3)
        if r.random() < 0.1:
            other = c.dims()
        names.append(c.t(dt if r.random() < 0.75 else c.dtype(), other))
    return "torch.%s([%s], %d)" % (name, ", ".join(names), d), key(name, dim=d)


def index_values(c, size, n, bad=0.06):
    r = c.r
    out = []
    for _ in range(n):
        if r.random() < bad or size == 0:
            out.append(r.choice([size, size + 3, -size - 1]))
        else:
            out.append(r.randint(-size, size - 1) if r.random() < 0.2 else r.randint(0, size - 1))
    return out


def indexing(c):
    r = c.r
    name = r.choice(["index_select", "gather", "take_along_dim", "scatter", "scatter_add", "index", "mask_index",
                     "masked_fill", "masked_select", "nonzero"])
    dims = c.dims(r.randint(0, 3) if r.random() < 0.2 else r.randint(1, 3), zero=0.05)
    rank = len(dims)
    dt = c.dtype()
    a = c.t(dt, dims)
    d = c.dim(rank, bad=0.05)
    dd = d % max(rank, 1) if -max(rank, 1) <= d < max(rank, 1) else 0
    size = dims[dd] if rank else 1
    idt = "i64" if r.random() < 0.9 else r.choice(["i32", "i16", "f32"])
    if name == "index_select":
        n = r.randint(0, 5)
        rk = 1 if r.random() < 0.9 else r.choice([0, 2])
        shape = [n] if rk == 1 else ([] if rk == 0 else [1, n])
        vals = index_values(c, size, numel(shape))
        vals = [v if v >= 0 else v + size for v in vals] if r.random() < 0.9 else vals
        i = c.t(idt, shape, "-", values=vals)
        return "torch.index_select(%s, %d, %s)" % (a, d, i), key("index_select", dim=d)
    if name in ("gather", "take_along_dim"):
        shape = [r.randint(0, s) if j != dd else r.randint(0, 4) for j, s in enumerate(dims)]
        if r.random() < 0.05:
            shape = shape + [1]
        vals = [v if v >= 0 else v + size for v in index_values(c, size, numel(shape))]
        i = c.t(idt, shape, "-", values=vals)
        if name == "gather":
            return "torch.gather(%s, %d, %s)" % (a, d, i), key("gather", dim=d)
        return "torch.take_along_dim(%s, %s, %d)" % (a, i, d), key("take_along_dim", dim=d)
    if name in ("scatter", "scatter_add"):
        shape = [r.randint(0, s) for s in dims]
        if rank and r.random() < 0.05:
            shape[0] += 1
        # distinct targets along the dim: which duplicate write wins is unspecified
        vals = [0] * numel(shape)
        if numel(shape):
            idx = torch.zeros(shape, dtype=torch.int64)
            moved = idx.movedim(dd, -1) if rank else idx
            rows = moved.reshape(-1, moved.shape[-1] if rank else 1)
            for row in range(rows.shape[0]):
                perm = r.sample(range(size), rows.shape[1]) if rows.shape[1] <= size else [0] * rows.shape[1]
                if r.random() < 0.03:
                    perm[0] = size
                rows[row] = torch.tensor(perm)
            vals = (rows.reshape(moved.shape).movedim(-1, dd) if rank else rows.reshape([])).reshape(-1).tolist()
        i = c.t(idt, shape, "-", values=vals)
        src_dims = [s + r.randint(0, 1) for s in shape]
        src = c.t(dt if r.random() < 0.9 else c.dtype(), src_dims)
        return "torch.%s(%s, %d, %s, %s)" % (name, a, d, i, src), key(name, dim=d)
    if name == "index":
        shape = c.dims(r.randint(0, 2))
        first = dims[0] if rank else 0
        i = c.t(idt if idt != "i16" else "i64", shape, "-", values=index_values(c, first, numel(shape)))
        return "%s[%s]" % (a, i), key("index")
    if name == "mask_index":
        shape = list(dims[:r.randint(0, rank)]) if r.random() < 0.92 else c.dims()
        m = c.t("b" if r.random() < 0.95 else "u8", shape, domain="small")
        return "%s[%s]" % (a, m), key("index")
    if name == "masked_fill":
        m = c.t("b", broadcast_partner(c, dims))
        s = scalar(c)
        return "%s.masked_fill(%s, %s)" % (a, m, pyval(s)), key("masked_fill", s=s)
    if name == "masked_select":
        m = c.t("b", broadcast_partner(c, dims))
        return "torch.masked_select(%s, %s)" % (a, m), key("masked_select")
    return "torch.nonzero(%s)" % a, key("nonzero")


def matmul(c):
    r = c.r
    name = r.choice(["matmul", "mm", "bmm", "mv", "dot", "outer"])
    no_half = [d for d in ALL if d != "f16"]
    dt = c.dtype(["f32", "f64", "f32", "f64", "i64", "bf16", "i32"] if r.random() < 0.85 else no_half)
    dt2 = dt if r.random() < 0.9 else c.dtype(no_half)
    m, k, n, bsz = (r.randint(0, 4) if r.random() < 0.1 else r.randint(1, 4) for _ in range(4))
    k2 = k if r.random() < 0.9 else k + 1
    ranks = {"mm": (2, 2), "bmm": (3, 3), "mv": (2, 1), "dot": (1, 1), "outer": (1, 1)}
    if name == "matmul":
        ra, rb = r.randint(1, 4), r.randint(1, 4)
    else:
        ra, rb = ranks[name]
        if r.random() < 0.07:
            ra = r.randint(0, 3)
    batch = [bsz] * max(0, max(ra, rb) - 2)

    def shape(rank, rows, cols, first):
        if rank == 0:
            return []
        if rank == 1:
            return [rows if first else cols] if name != "outer" else [rows if first else cols]
        bs = batch[len(batch) - (rank - 2):] if rank > 2 else []
        bs = [1 if r.random() < 0.2 else s for s in bs]
        return bs + [rows, cols]

    if name == "outer":
        sa, sb = [m] if ra == 1 else shape(ra, m, k, True), [n]
    elif name == "dot":
        sa, sb = ([k] if ra == 1 else shape(ra, m, k, True)), [k2]
    else:
        sa = [k] if ra == 1 else shape(ra, m, k, True)
        sb = [k2] if rb == 1 else shape(rb, k2, n, False)
    a = c.t(dt, sa, domain="int" if dt in FLOATS and r.random() < 0.5 else None)
    b = c.t(dt2, sb, domain="int" if dt2 in FLOATS and r.random() < 0.5 else None)
    return "torch.%s(%s, %s)" % (name, a, b), key(name)


def convert(c):
    r = c.r
    src = c.dtype()
    form = r.choice(["to", "to", "long", "float", "double", "half", "bool", "int"])
    to = {"long": "i64", "float": "f32", "double": "f64", "half": "f16", "bool": "b", "int": "i32"}.get(form) or c.dtype()
    # float-to-integer conversion of values outside the target's range is undefined behaviour in C++
    dom = "small" if src in FLOATS and to in INTS else None
    a = c.t(src, domain=dom)
    if form == "to":
        return "%s.to(%s)" % (a, DTYPES[to]), key("to", dtype=to)
    return "%s.%s()" % (a, form), key(form)


def factory(c):
    r = c.r
    name = r.choice(["zeros", "ones", "full", "arange", "linspace", "eye", "zeros_like", "ones_like", "full_like"])
    dt = c.dtype()
    if name in ("zeros", "ones", "full"):
        shape = c.dims(r.randint(0, 3))
        if r.random() < 0.1 and shape:
            shape[r.randrange(len(shape))] = -r.randint(1, 3)
        if name == "full":
            s = scalar(c)
            if dt not in FLOATS and isinstance(s, float) and abs(s) > 1e3:
                s = 2.5
            if dt in INTS and isinstance(s, int) and (s < -128 or dt == "u8" and s < 0 or s > 127):
                s = 3
            return "torch.full(%s, %s, dtype=%s)" % (tuple(shape), pyval(s), DTYPES[dt]), key("full", shape=shape, s=s, dtype=dt)
        return "torch.%s(%s, dtype=%s)" % (name, tuple(shape), DTYPES[dt]), key(name, shape=shape, dtype=dt)
    if name == "arange":
        if r.random() < 0.6:
            start, end, step = r.randint(-5, 5), r.randint(-5, 8), r.choice([1, 2, 3, -1, -2, 0] if r.random() < 0.9 else [0])
        else:
            start, end = r.choice([0.0, -1.5, 0.25, 1]), r.choice([2.5, 3.0, -2.0, 1.0])
            step = r.choice([0.5, 0.7, -0.5, 1.0, 0.3])
        dts = r.choice([None, "f32", "f64", "i64", "i32"])
        if dts is None:
            return "torch.arange(%s, %s, %s)" % (pyval(start), pyval(end), pyval(step)), key("arange", start=start, end=end, step=step)
        return ("torch.arange(%s, %s, %s, dtype=%s)" % (pyval(start), pyval(end), pyval(step), DTYPES[dts]),
                key("arange_dtype", start=start, end=end, step=step, dtype=dts))
    if name == "linspace":
        start, end = r.choice([0.0, -1.0, 2.5, 3]), r.choice([1.0, 10.0, -2.5, 4])
        steps = r.randint(0, 7) if r.random() < 0.92 else -1
        fdt = r.choice(["f32", "f64"])
        return ("torch.linspace(%s, %s, %d, dtype=%s)" % (pyval(float(start)), pyval(float(end)), steps, DTYPES[fdt]),
                key("linspace", start=float(start), end=float(end), steps=steps, dtype=fdt))
    if name == "eye":
        n, m = r.randint(0, 4), r.randint(0, 4)
        if r.random() < 0.1:
            n = -1
        return "torch.eye(%d, %d, dtype=%s)" % (n, m, DTYPES[dt]), key("eye", n=n, m=m, dtype=dt)
    a = c.t()
    if name == "full_like":
        s = r.choice([0, 1, 2, -1, 3, 0.5, -1.5, 2.5])
        return "torch.full_like(%s, %s)" % (a, pyval(s)), key("full_like", s=s)
    return "torch.%s(%s)" % (name, a), key(name)


def inplace(c):
    r = c.r
    name = r.choice(["add_", "sub_", "mul_", "div_", "clamp_", "fill_", "zero_", "copy_", "masked_fill_", "exp_"])
    dt = c.dtype()
    dims = c.dims()
    a = c.t(dt, dims)
    if name in ("zero_", "exp_"):
        return "%s.%s()" % (a, name), key(name)
    if name == "fill_":
        s = scalar(c)
        if dt not in FLOATS and isinstance(s, float) and abs(s) > 1e3:
            s = 2.5
        if dt in INTS and isinstance(s, int) and (s < -128 or dt == "u8" and s < 0 or s > 127):
            s = 3
        return "%s.fill_(%s)" % (a, pyval(s)), key("fill_", s=s)
    if name == "clamp_":
        integer = c.bool_()
        lo, hi = scalar(c, integer), scalar(c, integer)
        return "%s.clamp_(%s, %s)" % (a, pyval(lo), pyval(hi)), key("clamp_", lo=lo, hi=hi)
    if name == "masked_fill_":
        m = c.t("b", broadcast_partner(c, dims))
        s = r.choice([0, 1, -1, 0.5, 2.5])
        return "%s.masked_fill_(%s, %s)" % (a, m, pyval(s)), key("masked_fill_", s=s)
    dt2 = dt if r.random() < 0.6 else c.dtype()
    dom = "small" if name == "copy_" and dt2 in FLOATS and dt not in FLOATS else ("nz" if name == "div_" else None)
    b = c.t(dt2, broadcast_partner(c, dims), domain=dom)
    return "%s.%s(%s)" % (a, name, b), key(name)


FAMILIES = [(unary_float, 10), (unary_same, 6), (binary, 14), (binary_scalar, 6), (ternary, 5), (clamp, 3),
            (reduction, 12), (scan, 5), (sorting, 4), (view_like, 4), (permute_like, 7), (expand_like, 3),
            (narrow_like, 7), (join, 3), (indexing, 8), (matmul, 5), (convert, 3), (factory, 4), (inplace, 4)]


# 1.13 lacks these CPU kernels for float16 (and a few for bfloat16) that 2.x has; 2.x computes them in
# float32 and rounds the result, so the generator does the same and marks the record with a note.
# Bitwise ops and shifts are not kernels 2.x added: for floats they raise there too.
MISSING_LOW = re.compile(r"^\"(?!bitwise_|lshift_|rshift_)(\w+)\" not implemented for '(Half|BFloat16)'$")
LOW = {"Half": torch.float16, "BFloat16": torch.bfloat16}


# ------------------------------------------------------------------------------ PyTorch 2.x where it differs
# jtorch follows PyTorch 2.x; the goldens come from 1.13.  Where 2.x's outcome differs from 1.13's and a message
# rewording (FuzzTest.REWORDINGS) cannot express it, the record holds 2.x's outcome, computed here from 2.x's source
# (each rule cites it), and a note "2.x: RULE: 1.13 ..." saying what 1.13 did.  gen_fuzz writes the list of these
# calls with their reasons to fuzz_differences.txt; FuzzTest checks that list against the notes.
CPP_TYPES = {torch.float32: "float", torch.float64: "double", torch.float16: "c10::Half", torch.bfloat16: "c10::BFloat16",
             torch.int64: "long int", torch.int32: "int", torch.int16: "short int", torch.int8: "signed char",
             torch.uint8: "unsigned char", torch.bool: "bool"}


class Raise(Exception):
    """2.x's error, raised by a rule."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def parse_key(k):
    name, _, rest = k.partition(":")
    args = {}
    for kv in rest.split(",") if rest else []:
        a, _, v = kv.partition("=")
        args[a] = v
    return name, args


def narrow_2x(env, args):
    """TensorShape.cpp narrow_symint: the length first, then the start in [-size, size] (TORCH_CHECK_INDEX)."""
    a, dim, start, length = env["a"], int(args["dim"]), int(args["start"]), int(args["length"])
    if a.dim() == 0:
        raise Raise("RuntimeError", "narrow() cannot be applied to a 0-dim tensor.")
    if length < 0:
        raise Raise("RuntimeError", "narrow(): length must be non-negative.")
    try:
        size = a.size(dim)
    except IndexError as e:  # maybe_wrap_dim's message
        raise Raise("IndexError", str(e))
    if not -size <= start <= size:
        raise Raise("IndexError", "start out of range (expected to be in range of [%d, %d], but got %d)" % (-size, size, start))
    if start < 0:
        start += size
    if start > size - length:
        raise Raise("RuntimeError", "start (%d) + length (%d) exceeds dimension size (%d)." % (start, length, size))
    return None


def int32_index_2x(env, args):
    """scatter_gather_dtype_check and make_info's checkIndexTensorTypes(allow_int=true): int32 indices are taken."""
    names = ["b"] if "b" in env else []
    if not any(env[n].dtype == torch.int32 for n in names):
        return None
    return {**env, **{n: env[n].long() for n in names if env[n].dtype == torch.int32}}


def index_select_2x(env, args):
    """TensorAdvancedIndexing.cpp index_select_out_cpu_: a 0-dim self takes exactly one index; an empty self checks them."""
    a, i, dim = env["a"], env["b"], int(args["dim"])
    if not -max(a.dim(), 1) <= dim < max(a.dim(), 1):
        return None  # maybe_wrap_dim comes first, as in 1.13
    if a.dim() == 0 and i.dim() <= 1 and i.numel() != 1:
        raise Raise("RuntimeError", "index_select(): Index to scalar can have only 1 value, got %d value(s)" % i.numel())
    if a.dim() > 1 and i.dim() <= 1 and i.dtype in (torch.int64, torch.int32) and i.numel() > 0 and a.numel() == 0:
        size = a.size(dim)
        if size <= 0:
            raise Raise("RuntimeError", "index_select(): self indexing axis dim should be positive")
        for v in i.tolist():
            if not 0 <= v < size:
                raise Raise("RuntimeError", "INDICES element is out of DATA bounds, id=%d axis_dim=%d" % (v, size))
    return None


def arg_bool_2x(op):
    def rule(env, args):
        """ReduceOps.cpp check_argmax_argmin: bool input is refused before any dim or size check."""
        if env["a"].dtype == torch.bool:
            raise Raise("RuntimeError", "%s(): does not support bool input" % op)
        return None
    return rule


def mm_dtypes_2x(env, args):
    """LinearAlgebra.cpp addmm_impl_cpu_ checks the operands' dtypes before its empty-result shortcut."""
    a, b = env["a"], env["b"]
    if a.dim() == 2 and b.dim() == 2 and a.size(1) == b.size(0) and a.dtype != b.dtype:
        raise Raise("RuntimeError", "expected m1 and m2 to have the same dtype, but got: %s != %s" % (CPP_TYPES[a.dtype], CPP_TYPES[b.dtype]))
    return None


def matmul_2x(env, args):
    """LinearAlgebra.cpp _matmul_impl: should_fold folds into mm/mv only when the larger operand's leading dims are
    contiguous (1.13 folded regardless); each path has its own shape message, checked before the dtypes."""
    a, b = env["a"], env["b"]
    da, db = a.dim(), b.dim()
    if da == 0 or db == 0 or (da <= 2 and db <= 2):
        return None
    t1_larger = da >= db
    t1 = a if t1_larger else b.mT
    dim_t2 = db if t1_larger else da
    fold = (t1.dim() >= 3 and dim_t2 <= 2 and da != 2
            and (t1.numel() == 0 or all(t1.stride(i) == t1.stride(i + 1) * t1.size(i + 1) for i in range(t1.dim() - 2))))
    if fold:
        t2 = b if t1_larger else (a.t() if da == 2 else a)
        rows, k = numel(t1.shape[:-1]), t1.shape[-1]
        if t2.dim() == 2 and k != t2.shape[0]:
            raise Raise("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (%dx%d and %dx%d)" % (rows, k, t2.shape[0], t2.shape[1]))
        if t2.dim() == 1 and k != t2.shape[0]:
            # in 1.13's words, which FuzzTest.REWORDINGS turns into 2.x's
            raise Raise("RuntimeError", "size mismatch, got %d, %dx%d,%d" % (rows, rows, k, t2.shape[0]))
        return None
    m1, m2 = a.shape[-1], (b.shape[-2] if db > 1 else b.shape[0])
    try:
        batch = torch.broadcast_shapes(a.shape[:max(da - 2, 0)], b.shape[:max(db - 2, 0)])
    except RuntimeError:
        return None  # infer_size's message, as 1.13
    if m1 != m2:
        bs = numel(batch)
        raise Raise("RuntimeError", "Expected size for first two dimensions of batch2 tensor to be: [%d, %d] but got: [%d, %d]." % (bs, m1, bs, m2))
    return None


def log_softmax_2x(env, args):
    """2.x's log_softmax kernels dispatch under their own names (1.13's non-last-dim one said "softmax_kernel_impl"),
    raising NotImplementedError, as ops_golden.txt (made by 2.11) records."""
    a, dim = env["a"], int(args["dim"])
    n = max(a.dim(), 1)
    if a.dtype.is_floating_point or not -n <= dim < n or a.numel() == 0:
        return None
    last = (dim + n if dim < 0 else dim) == n - 1
    raise Raise("NotImplementedError", '"log_softmax%s_kernel_impl" not implemented for \'%s\'' % ("_lastdim" if last else "", TYPE_NAMES[a.dtype]))


TYPE_NAMES = {torch.float32: "Float", torch.float64: "Double", torch.float16: "Half", torch.bfloat16: "BFloat16",
              torch.int64: "Long", torch.int32: "Int", torch.int16: "Short", torch.int8: "Char", torch.uint8: "Byte",
              torch.bool: "Bool"}


def norm_2x(env, args):
    """2.x's torch.norm is linalg.vector_norm, whose meta refuses a norm without an identity (p < 0, inf) over nothing."""
    a, p = env["a"], float(args["p"])
    if not a.dtype.is_floating_point or a.numel() != 0 or not (p < 0 or p == float("inf")):
        return None
    ord_ = "inf" if p == float("inf") else "-inf" if p == float("-inf") else "%g" % p
    if "dim" not in args:
        raise Raise("RuntimeError", "linalg.vector_norm cannot compute the %s norm on an empty tensor because the operation does not have an identity" % ord_)
    dim = int(args["dim"])
    if -max(a.dim(), 1) <= dim < max(a.dim(), 1) and a.dim() > 0 and a.size(dim) == 0:
        raise Raise("RuntimeError", "linalg.vector_norm cannot compute the %s norm on the dimension %d" % (ord_, dim)
                    + "because this dimension is empty and the operation does not have an identity")
    return None


# op name -> (rule, reason); a rule raises 2.x's error, returns an environment to evaluate in, or None for 1.13's outcome
TWO_X = {
    "narrow": (narrow_2x, "2.x checks narrow's length first and its start against [-size, size] as an IndexError; 1.13 wrapped the start like a dim"),
    "gather": (int32_index_2x, "2.x takes int32 indices"),
    "scatter": (int32_index_2x, "2.x takes int32 indices"),
    "scatter_add": (int32_index_2x, "2.x takes int32 indices"),
    "index": (int32_index_2x, "2.x takes int32 indices"),
    "index_select": (index_select_2x, "2.x refuses several indices into a 0-dim tensor and checks the indices into an empty one"),
    "argmax": (arg_bool_2x("argmax"), "2.x refuses bool in argmax"),
    "argmax_dim": (arg_bool_2x("argmax"), "2.x refuses bool in argmax"),
    "argmin": (arg_bool_2x("argmin"), "2.x refuses bool in argmin"),
    "argmin_dim": (arg_bool_2x("argmin"), "2.x refuses bool in argmin"),
    "matmul": (matmul_2x, "2.x folds matmul into mm/mv only when the larger operand's leading dims are contiguous"),
    "log_softmax": (log_softmax_2x, "2.x names log_softmax's own kernel for a non-floating input"),
    "norm": (norm_2x, "2.x's norm is linalg.vector_norm, which refuses an inf or negative norm of nothing"),
    "norm_dim": (norm_2x, "2.x's norm is linalg.vector_norm, which refuses an inf or negative norm of nothing"),
    "mm": (mm_dtypes_2x, "2.x checks mm's dtypes before its empty-result shortcut"),
}


def outcome(expr, env):
    """('out', tensors) or ('err', type name, message)."""
    try:
        return ("out", evaluate(expr, env))
    except Raise as e:
        return ("err", e.kind, str(e))
    except Exception as e:
        return ("err", type(e).__name__, str(e))


def same_outcome(x, y):
    if x[0] != y[0]:
        return False
    if x[0] == "err":
        return x[1:] == y[1:]
    return len(x[1]) == len(y[1]) and all(s.dtype == t.dtype and s.shape == t.shape and fmt_values(s) == fmt_values(t)
                                          for s, t in zip(x[1], y[1]))


def describe(o):
    return "returned" if o[0] == "out" else "raised %s: %s" % (o[1], escape(o[2]))


def evaluate(expr, env):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tensors_of(eval(expr, env))


def via_float32(expr, env, low):
    """The expression with the low-precision dtype computed in float32, the results rounded back."""
    env32 = {k: (v.float() if isinstance(v, torch.Tensor) and v.dtype == low else v) for k, v in env.items()}
    expr32 = expr.replace(str(low), "torch.float32")
    return [t.to(low) if t.dtype == torch.float32 else t for t in evaluate(expr32, env32)]


def run_call(i):
    c = Call(i)
    fams = [f for f, w in FAMILIES for _ in range(w)]
    fam = c.r.choice(fams)
    expr, k = fam(c)
    name = "fuzz%05d" % i
    env, in_lines = c.build(name)
    lines = ["case " + name, "key " + k, "expr " + expr] + in_lines
    env.update(torch=torch, F=F)
    op, args = parse_key(k)
    if op in TWO_X:
        rule, reason = TWO_X[op]
        old = outcome(expr, env)
        try:
            env2 = rule(env, args)
            new = outcome(expr, env2) if env2 is not None else old
        except Raise as e:
            new = ("err", e.kind, str(e))
        if not same_outcome(old, new):
            lines.append("note 2.x: %s: PyTorch %s %s" % (reason, torch.__version__, describe(old)))
            DIFFERENCES.append((name, reason))
            if new[0] == "err":
                lines.append("err %s %s" % (new[1], escape(new[2])))
                lines.append("end")
                return lines, True
            for t in new[1]:
                t = t.detach()
                lines.append("out %s %s : %s" % (SHORT[t.dtype], fmt_shape(t.shape), fmt_values(t)))
            lines.append("end")
            return lines, False
    try:
        try:
            ts = evaluate(expr, env)
        except RuntimeError as e:
            m = MISSING_LOW.match(str(e))
            if not m:
                raise
            ts = via_float32(expr, env, LOW[m.group(2)])
            lines.append("note computed in float32 and rounded: PyTorch %s raised %s" % (torch.__version__, escape(str(e))))
    except Exception as e:  # PyTorch raised: jtorch must raise too
        lines.append("err %s %s" % (type(e).__name__, escape(str(e))))
        lines.append("end")
        return lines, True
    for t in ts:
        t = t.detach()
        lines.append("out %s %s : %s" % (SHORT[t.dtype], fmt_shape(t.shape), fmt_values(t)))
    lines.append("end")
    return lines, False


DIFFERENCES = []  # (call name, reason) of the records that hold 2.x's outcome


def main():
    if len(sys.argv) > 2:
        print(__doc__)
        sys.exit(2)
    outdir = sys.argv[1] if len(sys.argv) == 2 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(outdir, exist_ok=True)
    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)
    out = [goldenlib.header(__file__, seed=SEED, calls=CALLS)]
    errors = 0
    for i in range(CALLS):
        rec, raised = run_call(i)
        errors += raised
        out.extend(rec)
    path = os.path.join(outdir, "fuzz_golden.txt")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    with open(os.path.join(outdir, "fuzz_differences.txt"), "w") as f:
        f.write(goldenlib.header(__file__) + "\n")
        f.write("# Calls whose record holds PyTorch 2.x's outcome, not %s's (gen_fuzz.py TWO_X): NAME REASON\n" % torch.__version__)
        f.write("".join("%s %s\n" % d for d in DIFFERENCES))
    print("wrote %s: %d calls (%d raise in PyTorch %s)" % (path, CALLS, errors, torch.__version__))


if __name__ == "__main__":
    main()
