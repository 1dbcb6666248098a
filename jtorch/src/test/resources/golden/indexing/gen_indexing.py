#!/usr/bin/env python3
"""Generate jtorch's indexing goldens from the installed PyTorch.

Usage:  python3 gen_indexing.py > indexing_cases.txt

IndexingTest replays every line with dev.jtorch and compares. Runs unchanged on PyTorch 1.13 and 2.x.

File format (one record per line, '|'-separated, no JSON):
  # key=value                               header (torch version)
  tensor|NAME|DTYPE|SHAPE|V1,V2,...         a named tensor used as a source, an index or a value
  get|SRC|EXPR|SHAPE|DTYPE|VALUES|VIEW      y = SRC[EXPR]; VIEW is 1 when y shares SRC's storage
  set|SRC|EXPR|VALUE|SHAPE|DTYPE|VALUES     x = SRC.clone(); x[EXPR] = VALUE; the values of x after
  grad|SRC|EXPR|SHAPE|DTYPE|VALUES          x = SRC (float) requiring grad; x[EXPR].backward(w) with
                                            w = 1, 2, 3, ... in the result's shape; x.grad
  op|NAME|SHAPE|DTYPE|VALUES                a named call (see OPS below), replayed by name in the test
Any record may end in '!KIND|MESSAGE' instead of its results: PyTorch raised KIND (IndexError,
RuntimeError, ValueError, TypeError) with that message (first line only).
EXPR is Python index syntax where '@name' stands for a named tensor. VALUE is a Python number or '@name'.
SHAPE is comma-separated ('' for 0-dim); floats are written with repr(float), bools as 0/1.
"""
import sys

import torch


def dname(dt):
    return str(dt).replace("torch.", "")


def fmt_values(t):
    t = t.detach().contiguous().reshape(-1)
    if t.dtype == torch.bool:
        return ",".join("1" if v else "0" for v in t.tolist())
    if t.dtype.is_floating_point:
        return ",".join(repr(float(v)) for v in t.tolist())
    return ",".join(str(int(v)) for v in t.tolist())


def fmt_shape(t):
    return ",".join(str(s) for s in t.shape)


def result(t):
    return "%s|%s|%s" % (fmt_shape(t), dname(t.dtype), fmt_values(t))


def error(e):
    msg = str(e).strip().split("\n")[0]
    return "!%s|%s" % (type(e).__name__, msg)


def storage_ptr(t):
    return t.untyped_storage().data_ptr() if hasattr(t, "untyped_storage") else t.storage().data_ptr()


T = {}


def define(name, t):
    T[name] = t
    print("tensor|%s|%s|%s|%s" % (name, dname(t.dtype), fmt_shape(t), fmt_values(t)))


def expr_py(expr):
    return expr.replace("@", "T_")


def ns():
    return {"T_" + k: v for k, v in T.items()}


print("# torch=%s" % torch.__version__)

# --- sources
define("f", torch.arange(24, dtype=torch.float32).reshape(2, 3, 4))
define("l", torch.arange(24).reshape(2, 3, 4))
define("v", torch.arange(5, dtype=torch.float32))
define("m", torch.arange(12, dtype=torch.float64).reshape(3, 4))
define("s", torch.tensor(7.0))
define("b", torch.tensor([[True, False, True], [False, True, True]]))
# --- index tensors
define("mask3", torch.tensor([True, False, True]))
define("mask2", torch.tensor([True, False]))
define("mask4", torch.tensor([False, True, True, False]))
define("mask23", torch.tensor([[True, False, True], [False, True, False]]))
define("maskf", torch.arange(24).reshape(2, 3, 4) > 10)
define("mask34", torch.arange(12).reshape(3, 4) % 3 == 0)
define("mask5", torch.tensor([True, False, True, True, False]))
define("none34", torch.zeros(3, 4, dtype=torch.bool))
define("idx", torch.tensor([1, 0]))
define("idx2", torch.tensor([[0, 2], [1, 3]]))
define("idx3", torch.tensor([0, 2]))
define("idxn", torch.tensor([-1, 0, -3]))
define("idxc", torch.tensor([[0], [1]]))
define("dup", torch.tensor([0, 1, 0, 0]))
define("oob", torch.tensor([0, 5]))
define("empty", torch.tensor([], dtype=torch.int64))
define("zi", torch.tensor(1))
define("zb", torch.tensor(True))
define("zbf", torch.tensor(False))
define("fidx", torch.tensor([0.0, 1.0]))
define("u8", torch.tensor([1, 0, 1], dtype=torch.uint8))
# --- values for set
define("y2", torch.tensor([100.0, 200.0]))
define("y3", torch.tensor([100.0, 200.0, 300.0]))
define("y4", torch.tensor([10.0, 20.0, 30.0, 40.0]))
define("ycol", torch.tensor([[1.0], [2.0], [3.0]]))
define("y14", torch.tensor([[1.0, 2.0, 3.0, 4.0]]))
define("yl", torch.tensor([7, 8]))
define("y22", torch.tensor([[1.0, 2.0], [3.0, 4.0]]))

GETS = [
    ("f", "0"), ("f", "-1"), ("f", "1, 2"), ("f", "1, 2, 3"), ("f", "-1, -1, -1"), ("f", ":, 0"), ("f", "..., -1"),
    ("f", ":, :, 1"), ("f", "1:"), ("f", ":1"), ("f", ":, 1:"), ("f", ":, ::2"), ("f", ":, :, 1:4:2"), ("f", ":, -2:"),
    ("f", ":, -100:100"), ("f", "5:"), ("f", ":, 2:1"), ("f", "..."), ("f", ""), ("f", "None"), ("f", "None, ..., 1"),
    ("f", "..., None"), ("f", ":, None, 0"), ("f", "0, ..., 0"), ("f", "..., 0, :"), ("f", "0, None, :, None, 1"),
    ("f", "True"), ("f", "False"), ("f", "0, True"), ("f", "@zi"), ("f", "@zi, 0"), ("f", "@zb"), ("f", "@zbf"),
    ("f", "[0, 1]"), ("f", "[1, 0, 1]"), ("f", ":, [0, 2]"), ("f", "1:, [0, 2]"), ("f", "@idx"), ("f", "@idx, :, @idx3"),
    ("f", "@idx, @idx3"), ("f", "@idx, @idx3, 0"), ("f", ":, @idx3, @idx"), ("f", "..., @idx2"), ("f", ":, @idxc, @idx3"),
    ("f", "@idxc, :, @idx3"), ("f", "0, :, [0, 1]"), ("f", "[0, 1], :, 0"), ("f", "@idxn"), ("f", ":, @idxn"),
    ("f", "@mask2"), ("f", ":, @mask3"), ("f", "@mask23"), ("f", "@maskf"), ("f", "@mask2, :, @mask4"),
    ("f", "@mask2, @idx3"), ("f", "..., @mask4"), ("f", "@mask23, @mask4"), ("f", "None, @mask2"), ("f", "@empty"),
    ("f", ":, @empty"), ("f", "[[0, 1], [1, 0]]"), ("f", "@u8"), ("f", "1, @u8"), ("f", "[True, False]"),
    ("l", "0"), ("l", ":, 1"), ("l", "..., -1"), ("l", "@idx, :, @idx3"), ("l", "@mask23"), ("l", "1:, [0, 2]"),
    ("l", "None, ..., 1"), ("l", "@maskf"),
    ("m", "@mask34"), ("m", "@none34"), ("m", "::2, ::3"), ("m", "[0, 2], [1, 3]"), ("m", "[[0], [2]], [1, 3]"),
    ("m", "1::1"), ("m", "-1"),
    ("v", "@mask5"), ("v", "::2"), ("v", "[4, 0, 4]"), ("v", "3"), ("v", "None"), ("v", "@dup"),
    ("s", "..."), ("s", "None"), ("s", ""), ("s", "True"), ("s", "@zb"),
    ("b", "@mask2"), ("b", "0, 1:"), ("b", "@b"),
    # errors
    ("f", "2"), ("f", "0, 3"), ("f", "-3"), ("f", "0, 0, 0, 0"), ("f", "..., ..."), ("f", ":, :, :, 0"),
    ("f", "@mask3"), ("f", ":, @mask2"), ("f", "@oob"), ("f", ":, @oob"), ("f", "@idx, @idx2, @idx3"),
    ("f", "@fidx"), ("f", "::-1"), ("f", "::0"), ("f", "@mask23, @mask4, 0"),
    ("s", "0"), ("s", "1"), ("s", "0, 0"), ("s", ":"), ("s", "@zi"), ("v", "[5]"), ("m", "@mask3, @mask3"),
]

for src, expr in GETS:
    x = T[src]
    try:
        y = eval("x[%s]" % expr_py(expr) if expr else "x[()]", ns(), {"x": x})
        view = 1 if y.numel() > 0 and storage_ptr(y) == storage_ptr(x) else 0
        print("get|%s|%s|%s|%d" % (src, expr, result(y), view))
    except Exception as e:  # noqa: BLE001
        print("get|%s|%s|%s" % (src, expr, error(e)))

SETS = [
    ("f", ":, 1", "0"), ("f", "0", "-1.5"), ("f", "..., -1", "@y2"), ("f", ":, :, 0", "@y3"), ("f", "1", "@y4"),
    ("f", "1", "@ycol"), ("f", "0", "@y14"), ("f", "@mask23", "@y3"), ("f", "@mask23", "5"), ("f", "@maskf", "0"),
    ("f", "@idx, :, @idx3", "@y3"), ("f", "[0, 1], 0", "@y14"), ("f", "1:, [0, 2]", "@ycol"), ("f", "None, ..., 1", "9"),
    ("f", ":, @mask3", "@y4"), ("f", "@dup, 0, 0", "@y4"), ("f", "0, 0, @dup", "@y4"), ("f", "1, 2, 3", "-7"),
    ("f", "@zi", "3"), ("f", "True", "1"), ("f", "@idx2", "@y22"),
    ("l", ":, 1", "0"), ("l", "@mask23", "2.7"), ("l", "[0, 1], 1, 1", "@yl"), ("l", "..., 0", "-3"),
    ("m", "@mask34", "@y4"), ("m", "[0, 2], [1, 3]", "@y2"), ("m", "::2, ::3", "@y22"),
    ("v", "@mask5", "@y3"), ("v", "::2", "@y3"), ("v", "[4, 0, 4]", "1"),
    ("s", "...", "3"), ("s", "None", "4"),
    # errors
    ("f", "0", "@y3"), ("f", "@mask23", "@y2"), ("f", "@idx, :, @idx3", "@y4"), ("f", "5", "0"),
]

for src, expr, val in SETS:
    x = T[src].clone()
    try:
        value = T[val[1:]] if val.startswith("@") else eval(val)
        exec("x[%s] = value" % expr_py(expr), ns(), {"x": x, "value": value})
        print("set|%s|%s|%s|%s" % (src, expr, val, result(x)))
    except Exception as e:  # noqa: BLE001
        print("set|%s|%s|%s|%s" % (src, expr, val, error(e)))

GRADS = [
    ("f", "0"), ("f", ":, 1"), ("f", "..., -1"), ("f", "1:, [0, 2]"), ("f", "@idx, :, @idx3"), ("f", "@mask23"),
    ("f", "@dup"), ("f", "[0, 0, 1], [2, 2, 2]"), ("f", "None, ..., ::2"), ("f", "@maskf"), ("v", "@dup"),
    ("m", "[[0], [2]], [1, 3]"),
]

for src, expr in GRADS:
    x = T[src].clone().requires_grad_()
    try:
        y = eval("x[%s]" % expr_py(expr), ns(), {"x": x})
        w = torch.arange(1, y.numel() + 1, dtype=y.dtype).reshape(y.shape)
        y.backward(w)
        print("grad|%s|%s|%s" % (src, expr, result(x.grad)))
    except Exception as e:  # noqa: BLE001
        print("grad|%s|%s|%s" % (src, expr, error(e)))

f, l, v, m = T["f"], T["l"], T["v"], T["m"]
gi = torch.tensor([[0, 1, 1, 0], [2, 0, 1, 1], [1, 1, 0, 2]])
OPS = {
    "index_select0": lambda: f.index_select(0, torch.tensor([1, 1, 0])),
    "index_select1": lambda: f.index_select(1, torch.tensor([2, 0])),
    "index_select2_int32": lambda: l.index_select(2, torch.tensor([3, 3, 0], dtype=torch.int32)),
    "index_select_0dim": lambda: v.index_select(0, torch.tensor(3)),
    "index_select_oob": lambda: v.index_select(0, torch.tensor([5])),
    "index_select_neg": lambda: v.index_select(0, torch.tensor([-1])),
    "gather0": lambda: m.gather(0, gi),
    "gather1": lambda: m.gather(1, torch.tensor([[3, 0], [1, 1], [0, 2]])),
    "gather_small": lambda: m.gather(1, torch.tensor([[2], [1]])),
    "gather_oob": lambda: m.gather(1, torch.tensor([[4]])),
    "gather_neg": lambda: m.gather(1, torch.tensor([[-1]])),
    "gather_rank": lambda: m.gather(1, torch.tensor([1])),
    "gather_size": lambda: m.gather(0, torch.tensor([[0, 0, 0, 0, 0]])),
    "gather_1d": lambda: v.gather(0, torch.tensor([4, 4, 1])),
    "scatter0": lambda: torch.zeros(3, 4, dtype=torch.float64).scatter_(0, gi, m),
    "scatter1": lambda: torch.zeros(3, 5).scatter_(1, torch.tensor([[4, 0], [1, 2]]), torch.tensor([[1.0, 2.0, 9.0], [3.0, 4.0, 9.0]])),
    "scatter_add0": lambda: torch.ones(3, 4, dtype=torch.float64).scatter_add_(0, gi, m),
    "scatter_add_dup": lambda: torch.zeros(5).scatter_add_(0, torch.tensor([0, 1, 0, 0, 4]), torch.arange(5, dtype=torch.float32) + 1),
    "scatter_long": lambda: torch.zeros(2, 3, dtype=torch.int64).scatter_(1, torch.tensor([[2], [0]]), torch.tensor([[5], [6]])),
    "scatter_oob": lambda: torch.zeros(3).scatter_(0, torch.tensor([3]), torch.tensor([1.0])),
    "scatter_dtype": lambda: torch.zeros(3).scatter_(0, torch.tensor([1]), torch.tensor([1.0], dtype=torch.float64)),
    "index_put_acc": lambda: torch.zeros(5).index_put_((torch.tensor([0, 1, 0, 0, 4]),), torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]), accumulate=True),
    "index_put_acc_2d": lambda: torch.zeros(3, 4).index_put_((torch.tensor([0, 0, 2]), torch.tensor([1, 1, 3])), torch.tensor(1.0), accumulate=True),
    "index_put_mask": lambda: torch.zeros(3, 4).index_put_((torch.arange(12).reshape(3, 4) % 5 == 0,), torch.tensor(2.0)),
    "index_put_bcast": lambda: torch.zeros(3, 4).index_put_((torch.tensor([[0], [2]]), torch.tensor([3, 0])), torch.tensor([1.0, 2.0]), accumulate=True),
    "index_put_dtype": lambda: torch.zeros(3).index_put_((torch.tensor([1]),), torch.tensor([1])),
    "index_put_shape": lambda: torch.zeros(3).index_put_((torch.tensor([1, 2]),), torch.tensor([1.0, 2.0, 3.0])),
    "index_neg": lambda: torch.ops.aten.index(m, [torch.tensor([-1, 0])]),
    "index_too_many": lambda: torch.ops.aten.index(v, [torch.tensor([0]), torch.tensor([0])]),
    "index_mask2d": lambda: torch.ops.aten.index(f, [None, torch.ones(3, 4, dtype=torch.bool)]),
    "nonzero2d": lambda: torch.nonzero(m % 3 == 1),
    "nonzero3d": lambda: torch.nonzero(l % 7 == 0),
    "nonzero_float": lambda: torch.nonzero(torch.tensor([0.0, -1.0, 0.0, float("nan")])),
    "nonzero_0dim": lambda: torch.nonzero(torch.tensor(3)),
    "nonzero_0dim_zero": lambda: torch.nonzero(torch.tensor(0.0)),
    "nonzero_empty": lambda: torch.nonzero(torch.zeros(2, 3)),
    "masked_select": lambda: m.masked_select(torch.tensor([True, False, False, True])),
}

for name, fn in OPS.items():
    try:
        print("op|%s|%s" % (name, result(fn())))
    except Exception as e:  # noqa: BLE001
        print("op|%s|%s" % (name, error(e)))
