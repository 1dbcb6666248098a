#!/usr/bin/env python3
"""Generates the op goldens for jtorch's OpGoldenTest from the op-case table cases.txt.

Usage:  python3 gen_ops.py [OUTDIR]        (writes OUTDIR/ops_golden.txt; OUTDIR: beside this script by default)

Runs unchanged on any PyTorch from 1.13 to 2.x; the committed data comes from the PyTorch
named in the file's first line.  Inputs do not come from torch's RNG: each input is drawn
from Python's random.Random seeded with crc32("<case>/<input index>") and written into the
golden file, so Java rebuilds exactly the same tensors.

cases.txt (next to this script) is the single source of truth for the cases: see its header
for the line format (name | python expression | java key | inputs | variants | tolerance | grad [| kernel]);
this script uses the first five and checks the others, the Java tests read them all.

ops_golden.txt is plain text, one record per case:

    case <name>
    key <java key>
    expr <python expression>
    in <dtype> <shape> <layout> <base shape> : <base values...>
    out <dtype> <shape> : <values...>          (one per output tensor, in order)
    repr <escaped repr(output)>                 (one per output tensor, after its out line)
    srepr <escaped repr(result)>                (only for torch.return_types results)
    err <exception type> <escaped message>      (instead of out/repr when PyTorch raised)
    end

dtype is one of f32 f64 f16 bf16 i64 i32 i16 i8 u8 b; a shape is [2,3] ([] for 0-dim); layout is
- (contiguous), T (permuted: base has the dims reversed), s2 (base[..., ::2]), x (base of size 1 in
dim 0, expanded), o3 (a view at storage offset 3: base is 1-D with 3 extra leading elements).
Values are row-major: floats as float.hex() of the exact value (nan, inf, -inf), integers in
decimal, bools as 0/1.  Escaping: backslash -> \\\\, newline -> \\n.
"""
import math
import os
import random
import re
import sys
import warnings
import zlib

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import goldenlib  # noqa: E402  (golden/goldenlib.py: the shared header)

HERE = os.path.dirname(os.path.abspath(__file__))

DTYPES = {
    "f32": torch.float32, "f64": torch.float64, "f16": torch.float16, "bf16": torch.bfloat16,
    "i64": torch.int64, "i32": torch.int32, "i16": torch.int16, "i8": torch.int8,
    "u8": torch.uint8, "b": torch.bool,
}
SHORT = {v: k for k, v in DTYPES.items()}
FLOATS = ("f32", "f64", "f16", "bf16")
MACROS = {
    "*FL": ["f32", "f64", "f16", "bf16"],
    "*INT": ["i64", "i32", "i16", "i8", "u8"],
}
MACROS["*NUM"] = MACROS["*FL"] + MACROS["*INT"]
MACROS["*ALL"] = MACROS["*NUM"] + ["b"]

INT_RANGE = {"i64": (-2**63, 2**63 - 1), "i32": (-2**31, 2**31 - 1), "i16": (-2**15, 2**15 - 1),
             "i8": (-128, 127), "u8": (0, 255), "b": (0, 1)}

SPECIALS = [float("nan"), float("inf"), float("-inf"), 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 1e-30, 1e30, 3.75, -100.0]

TOLERANCES = ("arith", "transc", "accum", "transc+accum")  # see cases.txt's header; OpCases.Tolerance reads them
KERNEL_TOLERANCES = ("exact", "math", "special", "accum")  # the kernel column's classes; BackendParityTest.Tol reads them

SPEC_RE = re.compile(r"^(f32|f64|f16|bf16|i64|i32|i16|i8|u8|b)\[([0-9,]*)\](?::(\w+))?(?:@(\w+))?$")


# ------------------------------------------------------------------------------ input domains
def draw_float(rng, domain, i):
    if domain == "n":
        return rng.uniform(-3, 3)
    if domain == "pos":
        return rng.uniform(0.1, 4)
    if domain == "unit":
        return rng.uniform(-0.95, 0.95)
    if domain == "ge1":
        return rng.uniform(1.05, 5)
    if domain == "nz":
        return rng.choice((-1, 1)) * rng.uniform(0.5, 3)
    if domain == "int":
        return float(rng.randint(-5, 5))
    if domain == "half":
        return rng.randint(-10, 10) / 2
    if domain == "sp":
        return SPECIALS[i % len(SPECIALS)]
    if domain == "sp2":
        return SPECIALS[(5 * i + 3) % len(SPECIALS)]
    if domain == "zero":
        return 0.0 if i % 2 == 0 else -0.0
    if domain in ("wide", "conv"):
        return rng.uniform(-100, 100)
    if domain == "big":
        return rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-2, 2) if rng.random() < 0.7 else rng.uniform(-7e4, 7e4)
    if domain == "lg":
        # lgamma/digamma: positives and negatives away from the poles
        x = rng.uniform(-4.5, 6)
        if x < 0 and abs(x - round(x)) < 0.1:
            x += 0.3
        return x
    if domain == "small":
        return float(rng.randint(0, 4))
    if domain in ("shift", "cls", "mask"):
        return float(rng.randint(0, 4))
    raise ValueError("unknown float domain " + domain)


def draw_int(rng, dt, domain, i):
    lo, hi = INT_RANGE[dt]
    if dt == "b":
        if domain == "zero":
            return 0
        return rng.randint(0, 1)
    if domain in ("n", "int", "half", "unit", "lg", "ge1"):
        v = rng.randint(-9, 9)
        if domain == "ge1":
            v = rng.randint(1, 9)
    elif domain == "pos":
        v = rng.randint(1, 9)
    elif domain == "nz":
        v = rng.choice([k for k in range(-9, 10) if k != 0])
    elif domain == "zero":
        v = 0
    elif domain == "wide":
        v = rng.randint(max(lo, -1000), min(hi, 1000))
    elif domain == "conv":
        v = rng.randint(max(lo, -1000), min(hi, 1000))
    elif domain == "big":
        v = rng.randint(max(lo, -2**40), min(hi, 2**40))
    elif domain == "small":
        v = rng.randint(0, 4)
    elif domain == "shift":
        v = rng.randint(0, 7)
    elif domain == "cls":
        v = rng.randint(0, 4)
    elif domain in ("sp", "sp2"):
        v = [0, 1, -1, 2, -2, lo, hi, 7, -7, 100, -100, 3, 5][(i if domain == "sp" else 5 * i + 3) % 13]
    else:
        raise ValueError("unknown int domain " + domain)
    if dt == "u8" and v < 0:
        v = -v
    return max(lo, min(hi, v))


# ------------------------------------------------------------------------------ specs and layouts
def parse_spec(spec):
    m = SPEC_RE.match(spec)
    if not m:
        raise ValueError("bad input spec: " + spec)
    dt, shape, domain, layout = m.groups()
    dims = [int(s) for s in shape.split(",")] if shape else []
    return dt, dims, domain or "n", layout or "-"


def base_shape(dims, layout):
    if layout == "-":
        return list(dims)
    if layout == "T":
        return list(reversed(dims))
    if layout == "s2":
        return dims[:-1] + [2 * dims[-1]]
    if layout == "x":
        return [1] + dims[1:]
    if layout == "o3":
        n = 1
        for d in dims:
            n *= d
        return [n + 3]
    raise ValueError("bad layout " + layout)


def apply_layout(base, dims, layout):
    if layout == "-":
        return base
    if layout == "T":
        return base.permute(*reversed(range(base.dim())))
    if layout == "s2":
        return base[..., ::2]
    if layout == "x":
        return base.expand(*dims)
    if layout == "o3":
        return base[3:].view(*dims)
    raise ValueError(layout)


def make_input(case, index, spec):
    dt, dims, domain, layout = parse_spec(spec)
    bshape = base_shape(dims, layout)
    n = 1
    for d in bshape:
        n *= d
    rng = random.Random(zlib.crc32(("%s/%d" % (case, index)).encode()))
    if dt in FLOATS:
        vals = [draw_float(rng, domain, i) for i in range(n)]
        base = torch.tensor(vals, dtype=torch.float64).to(DTYPES[dt])
    else:
        vals = [draw_int(rng, dt, domain, i) for i in range(n)]
        base = torch.tensor(vals, dtype=torch.int64).to(DTYPES[dt])
    base = base.reshape(bshape)
    t = apply_layout(base, dims, layout)
    assert list(t.shape) == dims, (spec, t.shape)
    line = "in %s %s %s %s : %s" % (dt, fmt_shape(dims), layout, fmt_shape(bshape), fmt_values(base))
    return t, line


# ------------------------------------------------------------------------------ formatting
def fmt_shape(dims):
    return "[" + ",".join(str(int(d)) for d in dims) + "]"


def fmt_float(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return float(v).hex()


def fmt_values(t):
    t = t.detach().cpu().reshape(-1)
    if t.dtype.is_floating_point:
        return " ".join(fmt_float(v) for v in t.double().tolist())
    if t.dtype == torch.bool:
        return " ".join("1" if v else "0" for v in t.tolist())
    return " ".join(str(int(v)) for v in t.tolist())


def escape(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n")


def tensors_of(r):
    if isinstance(r, torch.Tensor):
        return [r]
    if isinstance(r, (tuple, list)):
        out = []
        for x in r:
            if x is not None:
                out.extend(tensors_of(x))
        return out
    raise TypeError("expression gave a %s, not tensors" % type(r).__name__)


# ------------------------------------------------------------------------------ the table
def expand_variants(tokens):
    out = []
    for tok in tokens:
        if tok in MACROS:
            out.extend(MACROS[tok])
        else:
            out.append(tok)
    return out


def with_layout(spec, layout):
    if "@" in spec:
        return spec
    dt, dims, domain, _ = parse_spec(spec)
    if layout == "T" and len(dims) < 2:
        return spec
    if layout in ("s2", "x") and len(dims) < 1:
        return spec
    return spec + "@" + layout


def read_cases(path):
    """The expanded cases: (name, expr, key, [specs])."""
    cases = []
    names = set()
    with open(path) as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            fields = [s.strip() for s in line.split("|")]
            if len(fields) not in (7, 8):
                raise ValueError("cases.txt:%d: expected 7 or 8 fields separated by |" % lineno)
            name, expr, key, inputs, variants, tol, grad = fields[:7]
            kernel = fields[7] if len(fields) == 8 else "-"
            # the test-side columns: checked here so that a typo fails before any golden is written
            if tol not in TOLERANCES:
                raise ValueError("cases.txt:%d: tolerance class %s is not one of %s" % (lineno, tol, " ".join(TOLERANCES)))
            if grad not in ("yes", "no", "raises") and not grad.startswith("skip "):
                raise ValueError("cases.txt:%d: differentiability %s is not yes, no, raises or 'skip REASON'" % (lineno, grad))
            if kernel != "-" and (len(kernel.split()) != 2 or kernel.split()[1] not in KERNEL_TOLERANCES):
                raise ValueError("cases.txt:%d: kernel column %s is not '-' or 'OP TOL' with TOL one of %s" % (lineno, kernel, " ".join(KERNEL_TOLERANCES)))
            specs = [] if inputs == "-" else inputs.split()
            if variants == "-":
                todo = [(name, expr, key, specs)]
            else:
                todo = []
                for v in expand_variants(variants.split()):
                    dt, _, layout = v.partition("@")
                    if dt not in DTYPES:
                        raise ValueError("cases.txt:%d: bad variant %s" % (lineno, v))
                    vs = []
                    for s in specs:
                        if "$" in s:
                            s = s.replace("$", dt)
                            if layout:
                                s = with_layout(s, layout)
                        vs.append(s)
                    todo.append(("%s_%s%s" % (name, dt, layout), expr.replace("$T", "torch." + str(DTYPES[dt]).split(".")[1]),
                                 key.replace("$", dt), vs))
            for c in todo:
                if c[0] in names:
                    raise ValueError("cases.txt:%d: duplicate case name %s" % (lineno, c[0]))
                names.add(c[0])
                for s in c[3]:
                    parse_spec(s)
                cases.append(c)
    return cases


def run_case(name, expr, key, specs):
    lines = ["case " + name, "key " + key, "expr " + expr]
    env = {"torch": torch, "F": F}
    for i, spec in enumerate(specs):
        t, line = make_input(name, i, spec)
        env["abcd"[i]] = t
        lines.append(line)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = eval(expr, env)
        ts = tensors_of(r)
    except Exception as e:  # PyTorch raised: jtorch must raise too
        msg = str(e)
        lines.append("err %s %s" % (type(e).__name__, escape(msg)))
        lines.append("end")
        return lines
    for t in ts:
        t = t.detach()
        lines.append("out %s %s : %s" % (SHORT[t.dtype], fmt_shape(t.shape), fmt_values(t)))
        lines.append("repr " + escape(repr(t)))
    if type(r).__module__.startswith("torch.return_types"):
        lines.append("srepr " + escape(repr(r)))
    lines.append("end")
    return lines


def main():
    if len(sys.argv) > 2:
        print(__doc__)
        sys.exit(2)
    outdir = sys.argv[1] if len(sys.argv) == 2 else HERE
    os.makedirs(outdir, exist_ok=True)
    torch.set_default_dtype(torch.float32)
    torch.set_printoptions(profile="default")
    cases = read_cases(os.path.join(HERE, "cases.txt"))
    out = [goldenlib.header(__file__)]
    errors = 0
    for c in cases:
        rec = run_case(*c)
        if any(l.startswith("err ") for l in rec):
            errors += 1
        out.extend(rec)
    path = os.path.join(outdir, "ops_golden.txt")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote %s: %d cases (%d raise in PyTorch %s)" % (path, len(cases), errors, torch.__version__))


if __name__ == "__main__":
    main()
