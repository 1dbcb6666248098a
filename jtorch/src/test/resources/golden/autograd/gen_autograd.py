#!/usr/bin/env python3
"""Generate jtorch's autograd goldens from the installed PyTorch.

Usage:  python3 gen_autograd.py > autograd_cases.txt

AutogradGoldenTest runs the same small programs with dev.jtorch (each is written twice: here and in
the test, under the same name) and compares gradients, grad_fn names, flags and printed reprs.
Runs unchanged on PyTorch 1.13 and 2.x.

File format (one record per line, '|'-separated):
  # key=value                          header (torch version)
  program|NAME                         starts a program's records
  grad|NAME|LABEL|DTYPE|SHAPE|HEX,...  a gradient (or None): float.hex() of each element, row-major
  fn|NAME|LABEL|GRADFN                 type(t.grad_fn).__name__, or None
  flag|NAME|LABEL|True/False           requires_grad, is_leaf, ...
  repr|NAME|LABEL|TEXT                 repr(t) with backslash and newline escaped as \\ and \n
Inputs are made by vals(): ((i * k) % m - off) * scale + shift for the flat index i, exact in binary.
"""
import sys

import torch


def vals(shape, k=7, m=11, off=5, scale=0.25, shift=0.0, dtype=torch.float64, grad=True):
    n = 1
    for s in shape:
        n *= s
    v = [((i * k) % m - off) * scale + shift for i in range(n)]
    t = torch.tensor(v, dtype=dtype).reshape(shape)
    return t.requires_grad_() if grad else t


def weights(shape, dtype=torch.float64):
    """The fixed cotangent: loss = (out * weights).sum() makes every gradient element distinct."""
    return vals(shape, k=3, m=7, off=3, scale=0.5, shift=0.25, dtype=dtype, grad=False)


def loss_of(out):
    return (out * weights(tuple(out.shape), out.dtype)).sum()


class Recorder:
    def __init__(self):
        self.lines = []
        self.name = None

    def program(self, name):
        self.name = name
        self.lines.append(f"program|{name}")

    def grad(self, label, t):
        g = t.grad if isinstance(t, torch.Tensor) and t.is_leaf or getattr(t, "retains_grad", False) else t
        self.tensor(label, g)

    def tensor(self, label, g):
        if g is None:
            self.lines.append(f"grad|{self.name}|{label}|None||")
            return
        g = g.detach()
        shape = ",".join(str(s) for s in g.shape)
        dt = str(g.dtype).replace("torch.", "")
        hexes = ",".join(float(v).hex() for v in g.double().contiguous().reshape(-1).tolist())
        self.lines.append(f"grad|{self.name}|{label}|{dt}|{shape}|{hexes}")

    def fn(self, label, t):
        self.lines.append(f"fn|{self.name}|{label}|{None if t.grad_fn is None else type(t.grad_fn).__name__}")

    def flag(self, label, v):
        self.lines.append(f"flag|{self.name}|{label}|{bool(v)}")

    def repr(self, label, t):
        text = repr(t).replace("\\", "\\\\").replace("\n", "\\n")
        self.lines.append(f"repr|{self.name}|{label}|{text}")


PROGRAMS = []


def program(f):
    PROGRAMS.append(f)
    return f


@program
def seed_scalar(r):
    w = torch.tensor(2.0, requires_grad=True)
    y = w ** 2
    z = 2 * y + 5
    z.backward()
    r.repr("w", w); r.repr("y", y); r.repr("z", z); r.repr("w.grad", w.grad)
    r.fn("y", y); r.fn("z", z)


@program
def seed_mean(r):
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    r.repr("x", x); r.repr("y", y); r.repr("z", z); r.repr("out", out)
    r.flag("x.grad is None", x.grad is None)
    out.backward()
    r.repr("x.grad", x.grad)
    r.flag("x.requires_grad", x.requires_grad)
    r.flag("(x**2).requires_grad", (x ** 2).requires_grad)
    with torch.no_grad():
        r.flag("no_grad (x**2).requires_grad", (x ** 2).requires_grad)


@program
def seed_rand_mul(r):
    a = torch.ones(3, 3) * 3
    r.flag("a.requires_grad", a.requires_grad)
    a.requires_grad_(True)
    r.flag("a.requires_grad after", a.requires_grad)
    r.flag("a.is_leaf", a.is_leaf)
    b = (a * a).sum()
    r.repr("b", b)
    b.backward()
    r.repr("a.grad", a.grad)


@program
def broadcast_arith(r):
    a = vals((3, 4)); b = vals((4,), k=5, m=7, off=2); c = vals((3, 1), k=3, m=5, off=-3)
    out = (a + b) * c - a / c + 2 - b * 3
    loss_of(out).backward()
    r.grad("a", a); r.grad("b", b); r.grad("c", c)
    r.fn("out", out)


@program
def scalar_variants(r):
    a = vals((2, 3), shift=0.1)
    outs = [2 - a, a * 2, a / 2, 2 / a, a ** 2, a - 2, a + 2]
    for i, o in enumerate(outs):
        r.fn(f"out{i}", o)
    loss_of(sum(outs)).backward()
    r.grad("a", a)


@program
def pow_variants(r):
    a = vals((2, 3), k=3, m=5, off=-1)  # positive
    e = vals((3,), k=2, m=5, off=2)
    out = a ** e + torch.pow(2.0, e) * a ** 2.5 + a.pow(3)
    loss_of(out).backward()
    r.grad("a", a); r.grad("e", e)
    r.fn("a**e", a ** e)


@program
def unary_chain(r):
    a = vals((3, 4), scale=0.2)
    out = a.exp().sin() + a.tanh().sigmoid() * a.cos() + (a * a + 1).log().sqrt() + a.atan() - (a * 0.5).erf()
    loss_of(out).backward()
    r.grad("a", a)


@program
def unary_more(r):
    a = vals((3, 4), k=3, m=7, off=-1, scale=0.125)  # positive
    out = a.rsqrt() + a.reciprocal() + a.log2() + a.log10() + a.log1p() + a.expm1() + a.exp2() + a.lgamma() \
        + a.digamma() + (a * 0.5).erfinv() + a.asinh() + (a + 1).acosh() + (a * 0.3).atanh() + (a * 0.3).asin() \
        + (a * 0.3).acos() + a.sinh() + a.cosh() + (a * 0.5).tan() + a.erfc()
    loss_of(out).backward()
    r.grad("a", a)


@program
def binary_more(r):
    a = vals((3, 4), scale=0.3, shift=0.05); b = vals((4,), k=5, m=7, off=2, scale=0.4, shift=0.05)
    out = torch.atan2(a, b) + torch.hypot(a, b) + torch.copysign(a, b) + torch.maximum(a, b) + torch.minimum(a, b * 2) \
        + torch.remainder(a, 0.7) + torch.fmod(a, 0.7) + torch.remainder(a, b) + torch.fmod(a, b)
    loss_of(out).backward()
    r.grad("a", a); r.grad("b", b)


@program
def ties_and_kinks(r):
    x = torch.tensor([-1.0, 0.0, 0.5, 1.0, 2.0], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0.0, 0.0, 1.0, 1.0, -1.0], dtype=torch.float64, requires_grad=True)
    out = x.relu() + x.abs() + x.clamp(0.0, 1.0) + x.clamp_min(0.5) + x.clamp_max(0.5) + torch.maximum(x, y) \
        + torch.minimum(x, y) + x.sign() + x.sgn()
    loss_of(out).backward()
    r.grad("x", x); r.grad("y", y)
    r.fn("relu", x.relu()); r.fn("clamp", x.clamp(0.0, 1.0)); r.fn("clamp_min", x.clamp_min(0.5))
    r.fn("clamp_max", x.clamp_max(0.5)); r.fn("maximum", torch.maximum(x, y))


@program
def reductions(r):
    a = vals((2, 3, 4), scale=0.3)
    out = a.sum() * 0.5 + a.sum(1).sum() + (a.sum((0, 2), keepdim=True) * weights((1, 3, 1))).sum() + a.mean() \
        + (a.mean(-1) * weights((2, 3))).sum() + (a.mean((0, 1), keepdim=True) ** 2).sum()
    out.backward()
    r.grad("a", a)
    r.fn("sum", a.sum()); r.fn("sum1", a.sum(1)); r.fn("mean", a.mean()); r.fn("mean1", a.mean(1))


@program
def prod_cumprod(r):
    a = vals((3, 4), k=3, m=7, off=3, scale=0.5)  # has zeros
    b = vals((3, 4), k=3, m=7, off=-1, scale=0.5)  # no zeros
    out = a.prod() + (a.prod(1) * weights((3,))).sum() + b.prod() + (b.prod(0, keepdim=True) * weights((1, 4))).sum() \
        + loss_of(a.cumprod(1)) + loss_of(b.cumprod(0))
    out.backward()
    r.grad("a", a); r.grad("b", b)
    r.fn("prod", a.prod()); r.fn("prod1", a.prod(1)); r.fn("cumprod", a.cumprod(1))


@program
def max_min(r):
    a = torch.tensor([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, 0.0, 2.0], [-4.0, 5.0, 1.0, 5.0]], dtype=torch.float64, requires_grad=True)
    out = a.max() + a.min() + loss_of(a.amax(1)) + loss_of(a.amin(0)) + loss_of(a.max(1)[0]) + loss_of(a.min(0, keepdim=True)[0])
    out.backward()
    r.grad("a", a)
    r.fn("max", a.max()); r.fn("max1", a.max(1)[0]); r.fn("amax", a.amax(1)); r.fn("min", a.min())


@program
def cumsum_flip(r):
    a = vals((3, 4))
    out = a.cumsum(1) * 2 + a.flip(0) - a.cumsum(0).flip(1)
    loss_of(out).backward()
    r.grad("a", a)
    r.fn("cumsum", a.cumsum(1))


@program
def matmuls(r):
    a = vals((3, 4)); b = vals((4, 2), k=5, m=9, off=4); v = vals((4,), k=3, m=5, off=2)
    c = vals((2, 1, 3, 4), k=5, m=13, off=6, scale=0.125); d = vals((3, 4, 2), k=3, m=11, off=5, scale=0.125)
    outs = {"mm": a @ b, "mv": a @ v, "vm": v @ b, "dot": v @ v, "bmm": c @ d, "b2": c @ b, "bv": c @ v}
    total = sum(loss_of(o) for o in outs.values())
    total.backward()
    r.grad("a", a); r.grad("b", b); r.grad("v", v); r.grad("c", c); r.grad("d", d)
    for k in ["mm", "mv", "dot", "bmm", "b2", "bv"]:
        r.fn(k, outs[k])


@program
def views(r):
    a = vals((2, 3, 4))
    outs = [a.transpose(0, 2), a.permute(2, 0, 1), a[:, :1].expand(2, 5, 4), a.narrow(2, 1, 2), a.select(1, -1),
            a.unsqueeze(1), a.flatten(), a.view(6, 4), a.transpose(1, 2).reshape(2, 12), a[0].t(), a.unflatten(2, (2, 2)),
            a.unsqueeze(0).squeeze(0)]
    total = sum(loss_of(o) for o in outs)
    total.backward()
    r.grad("a", a)
    names = ["transpose", "permute", "expand", "narrow", "select", "unsqueeze", "flatten", "view", "reshape_copy", "t",
             "unflatten", "squeeze"]
    for n, o in zip(names, outs):
        if n not in ("flatten",):
            r.fn(n, o)


@program
def get_indexing(r):
    a = vals((3, 4))
    idx = torch.tensor([0, 2, 0])
    mask = torch.tensor([[True, False, True, False], [False, False, True, True], [True, True, False, False]])
    outs = {"int": a[1], "slice": a[:, 1:], "step": a[::2, ::3], "idx": a[idx], "mask": a[mask], "pair": a[[0, 2], [1, 3]],
            "ellipsis": a[..., -1], "none": a[None, 1:, 2]}
    total = sum(loss_of(o) for o in outs.values())
    total.backward()
    r.grad("a", a)
    for k, o in outs.items():
        if k != "none":
            r.fn(k, o)


@program
def set_indexing(r):
    a = vals((3, 4)); v = vals((3,), k=5, m=7, off=3); s = vals((), k=1, m=3, off=-2)
    y = a.clone()
    y[:, 1] = v
    y[0, 0] = s
    y[y.detach() > 1] = 0.0
    loss_of(y).backward()
    r.grad("a", a); r.grad("v", v); r.grad("s", s)


@program
def index_put_accumulate(r):
    a = vals((4, 3)); v = vals((2, 3), k=5, m=7, off=3)
    y = a.index_put((torch.tensor([1, 1]),), v, accumulate=True)
    z = a.gather(1, torch.tensor([[0, 0], [2, 1], [1, 1], [0, 2]])) + a.index_select(0, torch.tensor([3, 0, 3, 1]))[:, :2]
    (loss_of(y) + loss_of(z)).backward()
    r.grad("a", a); r.grad("v", v)
    r.fn("index_put", y); r.fn("gather", a.gather(1, torch.tensor([[0], [1], [2], [0]])))


@program
def dtype_changes(r):
    x = vals((2, 3), dtype=torch.float32)
    y = vals((2, 3), k=5, m=7, off=2)
    out = x.to(torch.float64) * y + (y.to(torch.float32) * x).double() + x.double() ** 2
    loss_of(out).backward()
    r.grad("x", x); r.grad("y", y)
    r.fn("to", x.to(torch.float64)); r.fn("double", x.double())
    r.repr("x.grad", x.grad)


@program
def softmax_family(r):
    a = vals((3, 4), scale=0.5)
    out = torch.softmax(a, 1) * 2 + torch.log_softmax(a, 0) + a.logsumexp(1, keepdim=True) + a.logsumexp(0)
    loss_of(out).backward()
    r.grad("a", a)
    r.fn("logsumexp", a.logsumexp(1)); r.fn("softmax", torch.softmax(a, 1)); r.fn("log_softmax", torch.log_softmax(a, 0))


@program
def statistics(r):
    a = vals((3, 4), scale=0.5, shift=0.1)
    out = a.var() + loss_of(a.var(1)) + a.std() + loss_of(a.std(0)) + a.norm() + loss_of(a.var(1, unbiased=False, keepdim=True))
    out.backward()
    r.grad("a", a)
    r.fn("var", a.var()); r.fn("std", a.std(0))


@program
def where_cat_stack(r):
    a = vals((3, 4)); b = vals((3, 2), k=5, m=7, off=3)
    out = torch.cat([a, b], 1)
    st = torch.stack([a, a * 2], 1)
    w = torch.where(a > 0, a, a * 3)
    parts = a.split(3, 1)
    ch = a.chunk(2, 0)
    total = loss_of(out) + loss_of(st) + loss_of(w) + loss_of(parts[1]) + loss_of(ch[1]) + loss_of(a.unbind(1)[2])
    total.backward()
    r.grad("a", a); r.grad("b", b)
    r.fn("cat", out); r.fn("stack", st); r.fn("where", w)


@program
def composites(r):
    a = vals((3, 4), scale=0.2); b = vals((4,), k=5, m=7, off=3, scale=0.2); c = vals((3, 1), k=3, m=5, off=-3, scale=0.5)
    out = a.lerp(b, 0.3) + a.addcmul(b, c, value=0.5) + a.addcdiv(b, c, value=2.0) + a.square() + torch.outer(b[:3], b).t()[:, :3].t()[:3].mean()
    loss_of(out).backward()
    r.grad("a", a); r.grad("b", b); r.grad("c", c)
    r.fn("square", a.square())


@program
def sort_topk(r):
    a = torch.tensor([[3.0, 1.0, 4.0, 1.5], [5.0, 9.0, 2.0, 6.0], [-5.0, 3.5, 5.5, 0.5]], dtype=torch.float64, requires_grad=True)
    out = loss_of(a.sort(1)[0]) + loss_of(a.sort(0, descending=True)[0]) + loss_of(a.topk(2)[0])
    out.backward()
    r.grad("a", a)


@program
def accumulate_and_reset(r):
    x = vals((3,))
    (x * x).sum().backward()
    r.grad("after one", x)
    (x * 3).sum().backward()
    r.grad("after two", x)
    x.grad = None
    (x ** 3).sum().backward()
    r.grad("after reset", x)


@program
def retain_grad_and_hooks(r):
    x = vals((3,))
    y = x * 2
    y.retain_grad()
    z = y.exp()
    z.register_hook(lambda g: g * 10)
    loss_of(z).backward()
    r.grad("x", x); r.grad("y", y)
    r.flag("y.is_leaf", y.is_leaf); r.flag("y.retains_grad", y.retains_grad)


@program
def backward_with_gradient(r):
    x = vals((2, 3))
    y = x * x * 2
    y.backward(weights((2, 3)), retain_graph=True)
    y.backward(weights((2, 3)))
    r.grad("x", x)


@program
def second_order(r):
    x = vals((4,), shift=0.1)
    y = (x ** 3).sum()
    (dx,) = torch.autograd.grad(y, [x], create_graph=True)
    r.tensor("dx", dx)
    r.fn("dx", dx)
    (d2,) = torch.autograd.grad(dx.sum(), [x])
    r.tensor("d2", d2)
    z = (x.sin() * x.exp()).sum()
    (g1,) = torch.autograd.grad(z, [x], create_graph=True)
    (g2,) = torch.autograd.grad((g1 * weights((4,))).sum(), [x])
    r.tensor("g2", g2)


@program
def autograd_grad_multi(r):
    x = vals((2, 2)); y = vals((2, 2), k=3, m=5, off=2)
    z = (x * y + x.exp()).sum()
    gx, gy = torch.autograd.grad(z, [x, y])
    r.tensor("gx", gx); r.tensor("gy", gy)
    r.flag("x.grad is None", x.grad is None)


@program
def inplace_ops(r):
    x = vals((2, 3), scale=0.2)
    y = x * 2
    y.mul_(3)
    y.add_(x)
    y.exp_()
    r.fn("y", y)
    loss_of(y).backward()
    r.grad("x", x)


@program
def custom_function(r):
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, i):
            result = i.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            (result,) = ctx.saved_tensors
            return grad_output * result

    x = vals((3,), scale=0.5)
    y = Exp.apply(x)
    r.fn("y", y)
    loss_of(y * 2).backward()
    r.grad("x", x)


@program
def no_grad_and_detach(r):
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with torch.no_grad():
        a = w * 2
    r.repr("no_grad", a)
    d = w.detach()
    r.repr("detach", d)
    r.flag("detach.requires_grad", d.requires_grad)
    with torch.enable_grad():
        b = w * 2
    r.repr("enable_grad", b)
    torch.set_grad_enabled(False)
    c = w * 2
    torch.set_grad_enabled(True)
    r.flag("set_grad_enabled(False)", c.requires_grad)
    r.repr("w", w)


@program
def reprs_with_dtype(r):
    x = torch.tensor([1.5, -2.0], dtype=torch.float64, requires_grad=True)
    y = x * 3
    r.repr("x", x); r.repr("y", y); r.repr("sum", y.sum())
    y.sum().backward()
    r.repr("x.grad", x.grad)
    z = torch.zeros(2, 3, requires_grad=True)
    r.repr("zeros", z); r.repr("z.t()", z.t()); r.repr("z[0]", z[0])


@program
def linear_model_step(r):
    x = vals((4, 3), scale=0.5, grad=False)
    w = vals((3, 2), k=5, m=7, off=3, scale=0.25)
    b = vals((2,), k=1, m=3, off=1, scale=0.5)
    t = vals((4, 2), k=3, m=5, off=2, scale=0.5, grad=False)
    h = (x @ w + b).relu()
    loss = ((h - t) ** 2).mean()
    loss.backward()
    r.grad("w", w); r.grad("b", b)
    r.fn("h", h); r.fn("loss", loss)


@program
def special_grads(r):
    a = vals((2, 3), k=3, m=7, off=-1, scale=0.25)  # positive
    out = a.lgamma() * a.digamma() + (a - 3).digamma()
    loss_of(out).backward()
    r.grad("a", a)


@program
def classification_loss(r):
    logits = vals((4, 3), scale=0.5)
    target = torch.tensor([2, 0, 1, 2])
    logp = torch.log_softmax(logits, 1)
    nll = -logp.gather(1, target.unsqueeze(1)).mean()
    nll.backward()
    r.grad("logits", logits)
    r.fn("nll", nll)


@program
def norm_variants(r):
    a = vals((3, 4), scale=0.5, shift=0.1)
    out = a.norm(1) + a.norm(3) + a.norm(float("inf")) + loss_of(a.norm(2, 1)) + loss_of(a.norm(1, 0, keepdim=True))
    out.backward()
    r.grad("a", a)


@program
def clamp_tensor_bounds(r):
    x = vals((3, 4), scale=0.5)
    lo = vals((4,), k=3, m=5, off=4, scale=0.25)
    hi = vals((3, 1), k=1, m=3, off=-1, scale=0.5)
    out = x.clamp(lo, hi)
    loss_of(out).backward()
    r.grad("x", x); r.grad("lo", lo); r.grad("hi", hi)
    r.fn("clamp", out)


@program
def multi_root_backward(r):
    x = vals((2, 3))
    a = x.exp()
    b = (x * 3).sum(0)
    torch.autograd.backward([a, b], [weights((2, 3)), weights((3,))])
    r.grad("x", x)


@program
def leaf_hook_remove(r):
    x = vals((3,))
    h = x.register_hook(lambda g: g * 2)
    (x * x).sum().backward()
    r.grad("with hook", x)
    h.remove()
    x.grad = None
    (x * x).sum().backward()
    r.grad("removed", x)


def main():
    r = Recorder()
    print(f"# torch={torch.__version__}")
    for p in PROGRAMS:
        r.program(p.__name__)
        p(r)
    print("\n".join(r.lines))


if __name__ == "__main__":
    main()
