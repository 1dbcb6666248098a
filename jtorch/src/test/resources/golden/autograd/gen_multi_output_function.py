#!/usr/bin/env python3
"""Goldens for custom autograd Functions with several outputs (forward returning a tuple).

Usage:  python3 gen_multi_output_function.py        (writes multi_output_function_cases.txt beside it)

Same record format and helpers as gen_autograd.py; MultiOutputFunctionTest holds the Java twins.
"""
import torch
from torch.autograd import Function

from gen_autograd import Recorder, goldenlib, loss_of, vals, weights

PROGRAMS = []


def program(f):
    PROGRAMS.append(f)
    return f


SEEN = []


class TwoOut(Function):
    """(2x, exp(x)); backward records the gradients it was given."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2, x.exp()

    @staticmethod
    def backward(ctx, g1, g2):
        SEEN.append((g1, g2))
        (x,) = ctx.saved_tensors
        return g1 * 2 + g2 * x.exp()


class TwoOutNoMaterialize(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(x)
        return x * 2, x.exp()

    @staticmethod
    def backward(ctx, g1, g2):
        SEEN.append((g1, g2))
        (x,) = ctx.saved_tensors
        gx = None
        if g1 is not None:
            gx = g1 * 2
        if g2 is not None:
            gx = g2 * x.exp() if gx is None else gx + g2 * x.exp()
        return gx


class DropGrad(Function):
    """Identity whose backward returns no gradient."""

    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        return None


class SortLike(Function):
    """(x * 3, sign(x) marked non-differentiable, argmax as int64): backward sees zeros for the last two."""

    @staticmethod
    def forward(ctx, x):
        s = x.sign()
        ctx.mark_non_differentiable(s)
        return x * 3, s, x.argmax()

    @staticmethod
    def backward(ctx, g, gs, gi):
        SEEN.append((g, gs, gi))
        return g * 3


class PassThrough(Function):
    """Returns its input as is next to a new tensor."""

    @staticmethod
    def forward(ctx, x):
        return x, x * 2

    @staticmethod
    def backward(ctx, g1, g2):
        return g1 + g2 * 2


def record_seen(r, names):
    for i, gs in enumerate(SEEN):
        for n, g in zip(names, gs):
            r.tensor(f"call{i} {n}", g)
    SEEN.clear()


@program
def uses_both(r):
    x = vals((2, 3), scale=0.5)
    y1, y2 = TwoOut.apply(x)
    r.fn("y1", y1); r.fn("y2", y2)
    r.flag("same node", y1.grad_fn is y2.grad_fn)
    r.flag("y1.output_nr == 0", y1.output_nr == 0); r.flag("y2.output_nr == 1", y2.output_nr == 1)
    (loss_of(y1) + loss_of(y2 * y2)).backward()
    r.grad("x", x)
    record_seen(r, ["g1", "g2"])


@program
def uses_one(r):
    x = vals((2, 3), scale=0.5)
    y1, y2 = TwoOut.apply(x)
    loss_of(y2).backward()
    r.grad("only y2", x)
    x = vals((2, 3), scale=0.5)
    y1, y2 = TwoOut.apply(x)
    loss_of(y1).backward()
    r.grad("only y1", x)
    record_seen(r, ["g1", "g2"])


@program
def uses_none(r):
    x = vals((2, 3), scale=0.5)
    y1, y2 = TwoOut.apply(x)
    loss_of(x * 3).backward()
    r.grad("not used", x)
    r.flag("backward not called", len(SEEN) == 0)
    # reached, but the function after it gave no gradient: backward still runs, on zeros
    x = vals((2, 3), scale=0.5)
    y1, y2 = TwoOut.apply(x)
    loss_of(DropGrad.apply(y1) + DropGrad.apply(y2)).backward()
    r.grad("no gradient arrives", x)
    record_seen(r, ["g1", "g2"])


@program
def materialize_off(r):
    x = vals((2, 3), scale=0.5)
    y1, y2 = TwoOutNoMaterialize.apply(x)
    loss_of(y2).backward()
    r.grad("x", x)
    record_seen(r, ["g1", "g2"])


@program
def non_differentiable_outputs(r):
    x = vals((2, 3), scale=0.5)
    y, s, i = SortLike.apply(x)
    r.fn("y", y); r.fn("s", s); r.fn("i", i)
    r.flag("s.requires_grad", s.requires_grad); r.flag("i.requires_grad", i.requires_grad)
    loss_of(y).backward()
    r.grad("x", x)
    record_seen(r, ["g", "gs", "gi"])


@program
def returns_input(r):
    x = vals((3,))
    y1, y2 = PassThrough.apply(x)
    r.flag("y1 is x", y1 is x)
    r.fn("y1", y1)
    (loss_of(y1) + loss_of(y2)).backward()
    r.grad("x", x)


@program
def hooks_per_output(r):
    x = vals((2, 3), scale=0.5)
    y1, y2 = TwoOut.apply(x)
    saw = []
    y2.register_hook(lambda g: saw.append(g is None))
    y1.register_hook(lambda g: g * 10)
    # retain_grad after the hooks: 1.13 runs it in registration order, 2.x always last.
    # y2.retain_grad() would fail on 1.13 (its hook gets None); 2.x skips it, as the Java test checks.
    y1.retain_grad()
    loss_of(y1).backward()
    r.flag("y2 hook saw None", saw == [True])
    r.grad("y1", y1); r.grad("x", x)
    record_seen(r, ["g1", "g2"])


@program
def second_order(r):
    x = vals((4,), scale=0.5)
    y1, y2 = TwoOut.apply(x)
    (gx,) = torch.autograd.grad(loss_of(y1 * y2), [x], create_graph=True)
    r.tensor("gx", gx)
    (g2,) = torch.autograd.grad((gx * weights((4,))).sum(), [x])
    r.tensor("g2", g2)
    SEEN.clear()


def main():
    r = Recorder()
    for p in PROGRAMS:
        r.program(p.__name__)
        p(r)
    goldenlib.write(__file__, "multi_output_function_cases.txt", r.lines)


if __name__ == "__main__":
    main()
