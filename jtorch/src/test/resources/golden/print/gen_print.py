#!/usr/bin/env python3
"""Generates the golden cases for jtorch's TensorFormatter (PyTorch's repr(tensor)).

Usage: python3 gen_print.py      (writes print_cases.txt beside it)

Runs unchanged with any PyTorch version.  File format, one record per case:

    ====
    name: <case name>
    dtype: float32                      (torch dtype name without 'torch.')
    shape: 2,3                          (comma separated; empty for a 0-dim tensor)
    values: <elements, row-major, separated by single spaces>
            floats as float.hex() of the exact (double) element value,
            integers in decimal, bools as True/False
    default_dtype: float32              (torch.get_default_dtype() when repr was taken)
    device:                             (empty for CPU, else e.g. cuda:0)
    grad:                               (empty, requires_grad=True or grad_fn=<...>)
    precision: 4
    threshold: 1000                     (may be inf)
    edgeitems: 3
    linewidth: 80
    sci_mode: None                      (None, True or False)
    source: torch                       (torch: repr(t) itself; emulated: see below)
    repr:
    <the repr, all remaining lines up to the next ====>

The file ends with a line ====.  'emulated' cases have a device suffix: CUDA tensors
cannot be made without a GPU, so the expected string is assembled from PyTorch's own
torch._tensor_str helpers (_tensor_str for the body, _add_suffixes for the suffixes,
in the order _str_intern appends them: device, dtype, grad).
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import goldenlib  # noqa: E402  (golden/goldenlib.py: the shared header)

ts = torch._tensor_str
OPTS = ts.PRINT_OPTS

records = []


def reset_opts():
    torch.set_printoptions(profile="default")
    torch.set_printoptions(sci_mode=None)


def value_strs(t):
    flat = t.detach().reshape(-1)
    if t.dtype.is_floating_point:
        return [float(v).hex() for v in flat.double().tolist()]
    if t.dtype == torch.bool:
        return ["True" if v else "False" for v in flat.tolist()]
    return [str(int(v)) for v in flat.tolist()]


def dtype_name(dt):
    return str(dt)[len("torch."):]


def grad_of(t):
    if t.grad_fn is not None:
        name = type(t.grad_fn).__name__
        if name == "CppFunction":
            name = t.grad_fn.name().rsplit("::", 1)[-1]
        return "grad_fn=<%s>" % name
    if t.requires_grad:
        return "requires_grad=True"
    return ""


def add(name, t, opts=None, default_dtype=None, device=None):
    """Records repr(t) under the given print options and default dtype."""
    reset_opts()
    old_default = torch.get_default_dtype()
    if default_dtype is not None:
        torch.set_default_dtype(default_dtype)
    if opts:
        torch.set_printoptions(**opts)
    try:
        if device is None:
            text = repr(t)
            source = "torch"
        else:
            text = emulate_device_repr(t, device)
            source = "emulated"
        rec = [
            "====",
            "name: " + name,
            "dtype: " + dtype_name(t.dtype),
            "shape: " + ",".join(str(s) for s in t.shape),
            "values: " + " ".join(value_strs(t)),
            "default_dtype: " + dtype_name(torch.get_default_dtype()),
            "device: " + (device or ""),
            "grad: " + grad_of(t),
            "precision: %d" % OPTS.precision,
            "threshold: %s" % (OPTS.threshold if not math.isinf(OPTS.threshold) else "inf"),
            "edgeitems: %d" % OPTS.edgeitems,
            "linewidth: %d" % OPTS.linewidth,
            "sci_mode: %s" % OPTS.sci_mode,
            "source: " + source,
            "repr:",
            text,
        ]
        assert "\n====\n" not in text
        records.append("\n".join(rec))
    finally:
        torch.set_default_dtype(old_default)
        reset_opts()


def emulate_device_repr(t, device):
    """What repr gives for t living on `device` (a non-default device), built from
    PyTorch's own helpers the way _str_intern does it."""
    prefix = "tensor("
    indent = len(prefix)
    suffixes = ["device='" + device + "'"]
    has_default_dtype = t.dtype in (torch.get_default_dtype(), torch.int64, torch.bool)
    if t.numel() == 0:
        if t.dim() != 1:
            suffixes.append("size=" + str(tuple(t.shape)))
        if t.dtype != torch.get_default_dtype():
            suffixes.append("dtype=" + str(t.dtype))
        body = "[]"
    else:
        if not has_default_dtype:
            suffixes.append("dtype=" + str(t.dtype))
        with torch.no_grad():
            body = ts._tensor_str(t.detach(), indent)
    g = grad_of(t)
    if g:
        suffixes.append(g)
    return ts._add_suffixes(prefix + body, suffixes, indent, force_newline=False)


F32, F64, F16, BF16 = torch.float32, torch.float64, torch.float16, torch.bfloat16
FLOATS = [F32, F64, F16, BF16]
INTS = [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64]

# ---------------------------------------------------------------- tutorial seeds
add("seed_2x2", torch.tensor([[0.8891, 0.4431], [0.4129, 0.5990]]))
add("seed_3_2.3", torch.tensor([3.0, 2.3]))
add("seed_ones_f64", torch.ones(2, 4, dtype=F64))
add("seed_denormals", torch.tensor([[6.8664e-44, 7.5670e-44], [6.3058e-44, 6.7262e-44], [7.9874e-44, 6.7262e-44]]))
add("seed_arange", torch.arange(10))
add("seed_zeros_int32", torch.zeros(2, 3, dtype=torch.int32))
add("seed_rand_2x3", torch.tensor([[0.3331, 0.9473, 0.1150], [0.6022, 0.2227, 0.8420]]))

# ---------------------------------------------------------------- every dtype, small
small_vals = [[1, 2, 3], [0, 1, 127]]
for dt in FLOATS:
    n = dtype_name(dt)
    add("ints_1d_" + n, torch.tensor([1.0, 2.0, 3.0], dtype=dt))
    add("frac_1d_" + n, torch.tensor([1.5, -2.25, 3.125], dtype=dt))
    add("frac_2d_" + n, torch.tensor([[1.1, -2.2, 3.3], [4.4, 5.5, -6.6]], dtype=dt))
    add("zero_d_" + n, torch.tensor(3.0, dtype=dt))
    add("zero_d_frac_" + n, torch.tensor(-3.14159, dtype=dt))
    add("pi_" + n, torch.tensor([math.pi, math.e, -math.sqrt(2)], dtype=dt))
    add("nan_inf_" + n, torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5, -0.0], dtype=dt))
    add("big_" + n, torch.tensor([1e4, 2e4, 60000.0], dtype=dt))
    add("tiny_" + n, torch.tensor([1e-5, 3e-6, 1.0], dtype=dt))
for dt in INTS:
    n = dtype_name(dt)
    add("int_1d_" + n, torch.tensor([0, 1, 2, 100], dtype=dt))
    add("int_2d_" + n, torch.tensor([[0, 1, 2], [3, 4, 120]], dtype=dt))
    add("int_0d_" + n, torch.tensor(7, dtype=dt))
    add("int_3d_" + n, torch.arange(24).reshape(2, 3, 4).to(dt))
    info = torch.iinfo(dt)
    add("int_minmax_" + n, torch.tensor([info.min, 0, info.max], dtype=dt))
add("int_neg_int8", torch.tensor([-1, -10, 5], dtype=torch.int8))
add("int_neg_int64", torch.tensor([[-1, 22], [333, -4444]]))
add("bool_1d", torch.tensor([True, False, True]))
add("bool_all_true", torch.tensor([True, True]))
add("bool_2d", torch.tensor([[True, False], [False, False]]))
add("bool_3d", torch.tensor([[[True], [False]], [[False], [True]]]))
add("bool_0d_true", torch.tensor(True))
add("bool_0d_false", torch.tensor(False))

# ---------------------------------------------------------------- 0-dim
for v in [3.0, 3.5, -0.0, 0.0, float("nan"), float("inf"), -float("inf"), 1e10, 1e-10, 123456.789, 1e8, 1.5e8, -7.0]:
    add("scalar_%r" % v, torch.tensor(v))
add("scalar_f64_1e-10", torch.tensor(1e-10, dtype=F64))
add("scalar_int64", torch.tensor(5))
add("scalar_int64_neg", torch.tensor(-123456789012))
add("scalar_f16_inf", torch.tensor(float("inf"), dtype=F16))

# ---------------------------------------------------------------- shapes
add("shape_1x1x1", torch.tensor([[[2.5]]]))
add("shape_3x1", torch.tensor([[1.0], [2.0], [3.0]]))
add("shape_1x3", torch.tensor([[1.0, 2.0, 3.0]]))
add("shape_2x3x4", torch.arange(24, dtype=F32).reshape(2, 3, 4) / 7)
add("shape_2x2x2x2", torch.arange(16, dtype=F32).reshape(2, 2, 2, 2) - 8)
add("shape_2x1x2x1x2", torch.arange(8, dtype=F64).reshape(2, 1, 2, 1, 2) * 0.5)
add("shape_4d_int", torch.arange(36).reshape(3, 2, 3, 2))
add("shape_3x0", torch.zeros(3, 0))

# ---------------------------------------------------------------- empty
add("empty_f32", torch.tensor([]))
add("empty_f64", torch.zeros(0, dtype=F64))
add("empty_int64", torch.zeros(0, dtype=torch.int64))
add("empty_bool", torch.zeros(0, dtype=torch.bool))
add("empty_0x3", torch.zeros(0, 3))
add("empty_0x3_f16", torch.zeros(0, 3, dtype=F16))
add("empty_2x0x4_int32", torch.zeros(2, 0, 4, dtype=torch.int32))
add("empty_2x0x4", torch.zeros(2, 0, 4))
add("empty_rg", torch.zeros(0, requires_grad=True))
add("empty_0x3_rg_f64", torch.zeros(0, 3, dtype=F64, requires_grad=True))
add("empty_f64_default_f64", torch.zeros(0, dtype=F64), default_dtype=F64)
add("empty_f32_default_f64", torch.zeros(0, 3, dtype=F32), default_dtype=F64)

# ---------------------------------------------------------------- value classes
V = [
    ("ints_mixed_sign", [1.0, -2.0, 30.0]),
    ("ints_and_frac", [1.0, 2.5, -3.0]),
    ("negzero", [-0.0]),
    ("zeros_negzero", [0.0, -0.0]),
    ("negzero_frac", [-0.0, 1.5]),
    ("negzero_int", [-0.0, 100.0]),
    ("all_zero", [0.0, 0.0, 0.0]),
    ("nan_only", [float("nan")]),
    ("nan_zero", [0.0, float("nan")]),
    ("inf_only", [float("inf"), -float("inf")]),
    ("inf_int", [1.0, -float("inf")]),
    ("nan_frac", [float("nan"), 1.5, 2.25]),
    ("nan_big", [float("nan"), 1e10, 1.0]),
    ("e8", [1e8]),
    ("e8_one", [1e8, 1.0]),
    ("e8_plus", [1.5e8]),
    ("e9_int", [1e9, 2e9]),
    ("e10", [1e10]),
    ("e16", [1e16, 1.0]),
    ("e_minus5", [1e-5]),
    ("e_minus7_one", [1e-7, 1.0]),
    ("e_minus4", [0.0001, 1.0]),
    ("ratio_1000", [1000.0, 1.0]),
    ("ratio_1001", [1001.0, 1.0]),
    ("ratio_1000_frac", [1000.5, 1.5]),
    ("ratio_2000_frac", [2000.5, 1.5]),
    ("int_million", [1.0, 2.0, 1000000.0]),
    ("max_1e8_exact", [100000000.0, 99999999.0]),
    ("neg_widths", [-1.0, 10.0]),
    ("neg_widths_frac", [-1.5, 100.25]),
    ("half_even", [0.5, 1.5, 2.5, 0.125, 0.375]),
    ("round_carry", [9.99995, 0.99999, 99.99999]),
    ("sci_round_carry", [9.99995e-5, 9.99999e10]),
    ("mixed_sci_nan_inf", [1e-8, float("nan"), float("inf"), -1e8, 0.0]),
    ("huge", [1e38, -3e38]),
    ("subnormal", [1e-40, 1.0]),
]
for name, vals in V:
    add("val_" + name, torch.tensor(vals))
    add("val_" + name + "_f64", torch.tensor(vals, dtype=F64))
for name, vals in [("e4", [1e4, 1.0]), ("max", [65504.0, -65504.0, 1.0]), ("sub", [6e-8, 1.0]),
                   ("frac", [0.1, 0.2, 0.3]), ("inf_over", [1e5, 1.0])]:
    add("val_f16_" + name, torch.tensor(vals, dtype=F16))
    add("val_bf16_" + name, torch.tensor(vals, dtype=BF16))
add("val_bf16_big", torch.tensor([1e10, 3e38, 1.0], dtype=BF16))
add("val_f64_precise", torch.tensor([1.23456789012345, 1.00005, 2.00015, 0.00015], dtype=F64))
add("val_f64_e300", torch.tensor([1e300, 1e-300], dtype=F64))
add("val_f64_subnormal", torch.tensor([5e-324, 1.0], dtype=F64))

# ---------------------------------------------------------------- random at several scales
g = torch.Generator().manual_seed(20240501)
for scale in [1e-9, 1e-5, 1e-3, 1.0, 10.0, 1e3, 1e5, 1e9]:
    for dt in [F32, F64]:
        t = (torch.randn(3, 4, generator=g, dtype=F64) * scale).to(dt)
        add("randn_%g_%s" % (scale, dtype_name(dt)), t)
    add("randn1d_%g" % scale, torch.randn(7, generator=g) * scale)
add("randn_f16", torch.randn(3, 5, generator=g).to(F16))
add("randn_bf16", torch.randn(3, 5, generator=g).to(BF16))
add("randn_3d", torch.randn(2, 3, 4, generator=g))
add("randn_4d", torch.randn(2, 2, 3, 2, generator=g))
add("rand_ints_f32", torch.randint(-50, 50, (4, 5), generator=g).float())
add("rand_ints_i64", torch.randint(-5000, 5000, (4, 5), generator=g))
add("rand_bool", torch.randint(0, 2, (3, 4), generator=g).bool())

# ---------------------------------------------------------------- long rows (wrapping at 80)
add("wrap_1x30", torch.randn(1, 30, generator=g))
add("wrap_30", torch.randn(30, generator=g))
add("wrap_int64_50", torch.arange(50))
add("wrap_int64_big_50", torch.randint(-10 ** 12, 10 ** 12, (50,), generator=g))
add("wrap_2x25_f64", torch.randn(2, 25, generator=g, dtype=F64))
add("wrap_2x3x20", torch.randn(2, 3, 20, generator=g))
add("wrap_sci_20", torch.randn(20, generator=g) * 1e-6)
add("wrap_bool_40", torch.randint(0, 2, (40,), generator=g).bool())
add("wrap_ints_f32_40", torch.arange(40, dtype=F32))
add("wrap_uint8_100", torch.arange(100, dtype=torch.uint8))

# ---------------------------------------------------------------- summarization (> 1000 elements)
add("sum_2000", torch.arange(2000, dtype=F32) / 3)
add("sum_2000_int", torch.arange(2000))
add("sum_1001", torch.arange(1001))
add("sum_1000_no", torch.arange(1000))
add("sum_40x40", torch.randn(40, 40, generator=g))
add("sum_10x10x20", torch.randn(10, 10, 20, generator=g))
add("sum_2x1000", torch.randn(2, 1000, generator=g))
add("sum_1000x2", torch.randn(1000, 2, generator=g, dtype=F64))
add("sum_5x5x5x10", torch.arange(1250).reshape(5, 5, 5, 10))
add("sum_7x7x7x7", torch.arange(2401, dtype=F32).reshape(7, 7, 7, 7) - 1200)
add("sum_bool_2000", torch.randint(0, 2, (2000,), generator=g).bool())
add("sum_middle_outlier", torch.cat([torch.ones(500), torch.tensor([1e10]), torch.ones(500) * 2.5]))
add("sum_f16_40x40", torch.randn(40, 40, generator=g).to(F16))
add("sum_rg", torch.randn(35, 35, generator=g).requires_grad_())

# ---------------------------------------------------------------- grad suffixes
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
add("rg_1d", x)
add("gradfn_1d", x * 2)
add("gradfn_add", x + 1)
add("gradfn_sum", (x * 2).sum())
add("rg_0d", torch.tensor(2.5, requires_grad=True))
add("rg_f64", torch.tensor([1.0, 2.0], dtype=F64, requires_grad=True))
add("gradfn_f64", torch.tensor([1.5, 2.0], dtype=F64, requires_grad=True) * 2)
add("rg_2d", torch.randn(3, 4, generator=g).requires_grad_())
add("gradfn_2d", torch.randn(3, 4, generator=g).requires_grad_() * 2)
add("gradfn_3d_f16", (torch.randn(2, 2, 3, generator=g).requires_grad_() * 2).to(F16))
add("rg_wrap", torch.randn(30, generator=g).requires_grad_())
add("gradfn_wrap_f64", torch.randn(30, generator=g, dtype=F64).requires_grad_() * 3)
for n in range(5, 12):
    # last line lengths around the suffix break point
    add("rg_len%d" % n, (torch.arange(n, dtype=F32) + 0.5).requires_grad_())
    add("rg_f64_len%d" % n, (torch.arange(n, dtype=F64) * 1.25).requires_grad_())
    add("gradfn_len%d" % n, (torch.arange(n, dtype=F64) * 1.25).requires_grad_() * 1)
add("int32_len_wrap", torch.arange(15, dtype=torch.int32) * 1000000)
for n in range(18, 24):
    add("int16_len%d" % n, torch.arange(n, dtype=torch.int16) + 10)
add("f16_len10", (torch.arange(10, dtype=F16) + 0.5))

# ---------------------------------------------------------------- default dtype float64
add("def64_f64", torch.tensor([1.5, 2.0], dtype=F64), default_dtype=F64)
add("def64_f32", torch.tensor([1.5, 2.0], dtype=F32), default_dtype=F64)
add("def64_f32_rg", torch.tensor([1.5, 2.0], dtype=F32, requires_grad=True), default_dtype=F64)
add("def64_int", torch.tensor([1, 2]), default_dtype=F64)

# ---------------------------------------------------------------- print options
add("opt_prec2", torch.tensor([1.12345, 2.5, -3.14159]), {"precision": 2})
add("opt_prec2_sci", torch.tensor([1.12345e-6, 2.5]), {"precision": 2})
add("opt_prec0", torch.tensor([1.5, 2.5, 3.7]), {"precision": 0})
add("opt_prec0_sci", torch.tensor([1.5e10, 2.5]), {"precision": 0})
add("opt_prec8_f64", torch.tensor([math.pi, -math.e], dtype=F64), {"precision": 8})
add("opt_prec10_f32", torch.tensor([1 / 3, 2 / 3]), {"precision": 10})
add("opt_scioff", torch.tensor([1e-5, 1.0, 12345.678]), {"sci_mode": False})
add("opt_scioff_big", torch.tensor([1e10, 1.0]), {"sci_mode": False})
add("opt_scioff_int", torch.tensor([1e10, 1.0, 3.0]), {"sci_mode": False})
add("opt_scion", torch.tensor([1.5, 2.25]), {"sci_mode": True})
add("opt_scion_ints", torch.tensor([1.0, 20.0]), {"sci_mode": True})
add("opt_scion_zeros", torch.tensor([0.0, -0.0]), {"sci_mode": True})
add("opt_scion_nan", torch.tensor([float("nan"), 1.0]), {"sci_mode": True})
add("opt_scion_int64", torch.tensor([1, 2]), {"sci_mode": True})
add("opt_scion_2d", torch.randn(3, 3, generator=g), {"sci_mode": True})
add("opt_thresh5", torch.arange(10), {"threshold": 5})
add("opt_thresh5_f", torch.arange(10, dtype=F32) * 1.5, {"threshold": 5})
add("opt_thresh5_2d", torch.arange(20).reshape(4, 5), {"threshold": 5})
add("opt_thresh5_3d", torch.arange(64).reshape(4, 4, 4), {"threshold": 5})
add("opt_thresh5_small", torch.arange(6), {"threshold": 5})
add("opt_edge1", torch.arange(2000), {"edgeitems": 1})
add("opt_edge1_3d", torch.randn(10, 10, 20, generator=g), {"edgeitems": 1})
# edgeitems=0 works only for 1-d tensors (self[-0:] is the whole vector); 2-d+ raises in PyTorch
add("opt_edge0_1d", torch.arange(10), {"edgeitems": 0, "threshold": 5})
add("opt_edge0_1d_f", torch.arange(10, dtype=F32) * 1.5, {"edgeitems": 0, "threshold": 5})
add("opt_edge5", torch.arange(2000).reshape(40, 50), {"edgeitems": 5})
add("opt_lw40", torch.randn(20, generator=g), {"linewidth": 40})
add("opt_lw40_2d", torch.randn(3, 12, generator=g), {"linewidth": 40})
add("opt_lw40_rg", torch.randn(6, generator=g, dtype=F64).requires_grad_(), {"linewidth": 40})
add("opt_lw10", torch.randn(5, generator=g), {"linewidth": 10})
add("opt_lw200", torch.randn(60, generator=g), {"linewidth": 200})
add("opt_short", torch.randn(40, 40, generator=g), {"profile": "short"})
add("opt_full", torch.arange(1500), {"profile": "full"})
add("opt_combo", torch.randn(30, 30, generator=g) * 1e-3, {"precision": 3, "threshold": 100, "edgeitems": 2, "linewidth": 60, "sci_mode": False})

# ---------------------------------------------------------------- device suffix (emulated)
add("cuda_1d", torch.tensor([1.0, 2.0]), device="cuda:0")
add("cuda_f64", torch.tensor([1.5, 2.0], dtype=F64), device="cuda:0")
add("cuda_int", torch.tensor([1, 2, 3]), device="cuda:0")
add("cuda_0d", torch.tensor(3.0), device="cuda:0")
add("cuda_rg", torch.tensor([1.0, 2.0], requires_grad=True), device="cuda:0")
add("cuda_gradfn_f16", torch.tensor([1.0, 2.5], dtype=F16, requires_grad=True) * 2, device="cuda:0")
add("cuda_2d_rg", torch.randn(3, 4, generator=g).requires_grad_(), device="cuda:0")
add("cuda_wrap", torch.randn(9, generator=g, dtype=F64).requires_grad_(), device="cuda:0")
add("cuda_empty", torch.zeros(0, 3, dtype=torch.int32), device="cuda:0")
add("cuda_empty_1d", torch.zeros(0), device="cuda:1")

goldenlib.write(__file__, "print_cases.txt", "\n".join(records) + "\n====\n")
print("%d cases" % len(records))
