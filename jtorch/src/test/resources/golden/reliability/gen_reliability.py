#!/usr/bin/env python3
"""Writes reliability_cases.txt, PyTorch's outcome for each case of dev.jtorch.ReliabilityTest (issue 17:
overflowing sizes, loops bounded by arguments, autograd gradient dtypes, 0-dim and empty edge cases).

Usage:  python3 gen_reliability.py        (writes reliability_cases.txt beside it)

Each case is a Python expression; ReliabilityTest maps the case name to the same call in jtorch. The file holds,
per case:

    case <name>
    expr <python expression>
    note <why jtorch differs here>        (only for the documented DIFFERENCES)
    ok <escaped text of the result>       (or)
    err <exception type> <escaped message>
    end

The text of a result: repr() of a tensor, a torch.Size or a torch.return_types value; str() of a number; None;
a list or tuple as [a, b] of those. Escaping: backslash -> \\\\, newline -> \\n.

jtorch follows PyTorch 2.x. Where PyTorch 1.13 (the interpreter this file was last generated with, named on the
first line) raises another text for the same input, V2 below gives the 2.x outcome, each with the reason; on a
2.x interpreter V2 is not used.
"""
import os
import sys
import warnings

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import goldenlib  # noqa: E402  (golden/goldenlib.py: the shared header)

warnings.simplefilter("ignore")

G = 2 ** 32


def long_grad_backward():
    x = torch.ones(3, requires_grad=True)
    x.add(1.0).backward(torch.tensor([1, 2, 3]))
    return [x.grad, x.grad.dtype]


def root_grad(grad):
    x = torch.ones(3, requires_grad=True)
    x.mul(2.0).backward(grad)
    return x.grad


def root_grad_f64_leaf(grad):
    x = torch.ones(3, dtype=torch.float64, requires_grad=True)
    x.mul(2.0).backward(grad)
    return x.grad


def autograd_grad(grad):
    x = torch.ones(3, requires_grad=True)
    return list(torch.autograd.grad([x.mul(2.0)], [x], [grad]))


def custom_grad(result, name):
    """A custom Function named `name` (its node is `<name>Backward`) doubling its input, whose backward returns `result`."""
    fn = type(name, (torch.autograd.Function,), {
        "forward": staticmethod(lambda ctx, x: x * 2),
        "backward": staticmethod(lambda ctx, g: result),
    })
    x = torch.ones(3, requires_grad=True)
    fn.apply(x).sum().backward()
    return x.grad


def mse_backward(input_dtype, target_dtype, wrt_input=True):
    x = torch.ones(3, dtype=input_dtype, requires_grad=wrt_input)
    y = torch.full((3,), 2, dtype=target_dtype, requires_grad=not wrt_input)
    loss = F.mse_loss(x, y)
    loss.backward()
    return (x if wrt_input else y).grad


def mse_forward(input_dtype, target_dtype):
    return F.mse_loss(torch.ones(3, dtype=input_dtype, requires_grad=True), torch.full((3,), 3, dtype=target_dtype))


def lr_after_step(kind, n):
    p = torch.nn.Parameter(torch.ones(1))
    opt = torch.optim.SGD([p], lr=0.1)
    s = torch.optim.lr_scheduler.StepLR(opt, n) if kind == "step" else torch.optim.lr_scheduler.CosineAnnealingLR(opt, n)
    opt.step()
    s.step()
    return opt.param_groups[0]["lr"]


CASES = [
    # ---------------------------------------------------------------- 1. sizes that overflow
    ("zeros_2p32_squared", "torch.zeros(G, G)"),
    ("zeros_3037000500_squared", "torch.zeros(3037000500, 3037000500)"),
    ("ones_2p32_squared", "torch.ones(G, G)"),
    ("empty_2p32_squared", "torch.empty(G, G)"),
    ("full_2p32_squared", "torch.full((G, G), 1.0)"),
    ("rand_2p32_squared", "torch.rand(G, G)"),
    ("randn_2p32_squared", "torch.randn(G, G)"),
    ("randint_2p32_squared", "torch.randint(0, 5, (G, G))"),
    ("normal_2p32_squared", "torch.normal(0.0, 1.0, (G, G))"),
    ("new_ones_2p32_squared", "torch.ones(3).new_ones(G, G)"),
    ("zeros_2p62_by_4", "torch.zeros(2 ** 62, 4)"),
    ("zeros_2p61_float32_bytes", "torch.zeros(2 ** 61)"),
    ("zeros_max_long", "torch.zeros(2 ** 63 - 1)"),
    ("zeros_2p31_2p31_4", "torch.zeros(2 ** 31, 2 ** 31, 4)"),
    ("zeros_empty_huge_dims", "torch.zeros(0, 2 ** 62, 2 ** 62)"),
    ("zeros_empty_huge_dims_stride", "torch.zeros(0, 2 ** 62, 2 ** 62).stride()"),
    ("zeros_negative", "torch.empty(-1, 2)"),
    ("full_negative", "torch.full((-1,), 1.0)"),
    ("randn_negative", "torch.randn(-1)"),
    ("randint_negative", "torch.randint(0, 5, (-1,))"),
    ("randperm_negative", "torch.randperm(-1)"),
    ("randperm_2p62", "torch.randperm(2 ** 62)"),
    ("eye_negative_n", "torch.eye(-1)"),
    ("eye_negative_m", "torch.eye(2, -1)"),
    ("eye_2p32_squared", "torch.eye(G, G)"),
    ("view_2p32_squared", "torch.ones(6).view(G, G)"),
    ("view_empty_wraps_to_zero", "torch.ones(0).view(G, G, 0)"),
    ("view_empty_infer_ambiguous", "torch.ones(0).view(-1, 0)"),
    ("reshape_empty_infer_ambiguous", "torch.ones(0, 4).reshape(0, -1, 2)"),
    ("view_empty_infer", "torch.ones(0, 4).view(-1, 2)"),
    ("view_negative_size", "torch.ones(3).view(-2)"),
    ("reshape_2p32_squared", "torch.ones(6).reshape(G, G)"),
    ("expand_2p32_squared", "torch.ones(1).expand(G, G)"),
    ("expand_negative", "torch.ones(2, 3).expand(2, -2)"),
    ("repeat_2p32_squared", "torch.ones(1).repeat(G, G)"),
    ("repeat_negative", "torch.ones(3).repeat(-1)"),
    ("repeat_zero", "torch.ones(3).repeat(0)"),
    ("resize_negative", "torch.ones(3).resize_(-1)"),
    ("resize_2p32_squared", "torch.ones(3).resize_(G, G)"),
    ("unflatten_2p32_squared", "torch.ones(3).unflatten(0, (G, G))"),
    ("unflatten_empty_wraps_to_zero", "torch.ones(0).unflatten(0, (G, G, 0))"),
    ("unflatten_mismatch", "torch.ones(6).unflatten(0, (4, 2))"),
    ("unflatten_no_sizes", "torch.ones(6).unflatten(0, ())"),
    ("unflatten_two_inferred", "torch.ones(6).unflatten(0, (-1, -1))"),
    ("unflatten_0dim", "torch.tensor(5.).unflatten(0, (1,))"),
    ("matmul_empty_inner_mismatch", "torch.ones(2, 3, 0) @ torch.ones(3, 5)"),
    ("arange_2p62", "torch.arange(0, 2 ** 62)"),
    ("arange_float_2p62", "torch.arange(0.0, 2.0 ** 62, 1.0)"),
    ("arange_span_overflows", "torch.arange(-2 ** 63, 2 ** 63 - 1)"),
    ("arange_top_of_long", "torch.arange(2 ** 63 - 10, 2 ** 63 - 1, 3)"),
    ("arange_huge_step", "torch.arange(0, 10, 2 ** 63 - 1)"),
    ("arange_count_overflows", "torch.arange(0.0, 1e30, 1e-30)"),
    ("linspace_2p62", "torch.linspace(0, 1, 2 ** 62)"),
    ("logspace_2p62", "torch.logspace(0, 1, 2 ** 62)"),
    ("slice_huge_step", "torch.arange(10.)[2::2 ** 63 - 1]"),
    ("slice_step_2p62", "torch.arange(10.)[0:10:2 ** 62]"),

    # ---------------------------------------------------------------- 2. loops bounded by arguments
    ("split_zero", "torch.arange(6).split(0)"),
    ("split_zero_of_empty", "torch.arange(0).split(0)"),
    ("split_negative", "torch.arange(6).split(-1)"),
    ("split_bigger_than_dim", "torch.arange(6).split(10)"),
    ("split_bad_dim_before_zero", "torch.ones(3).split(0, 5)"),
    ("split_negative_before_bad_dim", "torch.ones(3).split(-1, 5)"),
    ("split_sizes_negative", "torch.ones(8).split([-1, 9])"),
    ("split_sizes_sum_wraps", "torch.ones(8).split([2 ** 62, 2 ** 62, 2 ** 62, 2 ** 62, 8])"),
    ("split_sizes_mismatch", "torch.ones(8).split([3, 4])"),
    ("chunk_zero", "torch.arange(6).chunk(0)"),
    ("chunk_negative", "torch.arange(6).chunk(-1)"),
    ("chunk_of_empty", "torch.ones(0).chunk(3)"),
    ("chunk_of_empty_dim", "torch.ones(2, 0).chunk(3, 1)"),
    ("chunk_more_than_size", "torch.arange(5).chunk(3)"),
    ("arange_step_zero", "torch.arange(0, 10, 0)"),
    ("arange_step_wrong_sign", "torch.arange(0, 10, -1)"),
    ("arange_float_step_wrong_sign", "torch.arange(0.0, 10.0, -1.0)"),
    ("arange_nan_end", "torch.arange(0.0, float('nan'), 1.0)"),
    ("arange_inf_end", "torch.arange(0.0, float('inf'), 1.0)"),
    ("arange_nan_start", "torch.arange(float('nan'), 1.0, 1.0)"),
    ("arange_nan_step", "torch.arange(0.0, 10.0, float('nan'))"),
    ("arange_inf_step", "torch.arange(0.0, 10.0, float('inf'))"),
    ("linspace_negative", "torch.linspace(0, 1, -1)"),
    ("logspace_negative", "torch.logspace(0, 1, -1)"),
    ("narrow_length_overflows", "torch.ones(3).narrow(0, 1, 2 ** 63 - 1)"),
    ("narrow_start_out_of_range", "torch.ones(3).narrow(0, 4, 0)"),
    ("narrow_negative_length", "torch.ones(3).narrow(0, 0, -1)"),
    ("narrow_past_end", "torch.ones(3).narrow(0, 2, 2)"),
    ("narrow_bad_dim", "torch.ones(3).narrow(1, 0, 1)"),
    ("topk_too_many", "torch.ones(3).topk(4)"),
    ("topk_negative", "torch.ones(3).topk(-1)"),
    ("topk_zero", "torch.arange(3.).topk(0)"),
    ("topk_zero_of_empty", "torch.ones(0).topk(0)"),
    ("topk_one_of_empty", "torch.ones(0).topk(1)"),

    # ---------------------------------------------------------------- 4. gradient dtypes and shapes
    ("backward_long_gradient", "long_grad_backward()"),
    ("backward_bool_gradient", "root_grad(torch.tensor([True, False, True]))"),
    ("backward_double_gradient", "root_grad(torch.tensor([1., 2., 3.], dtype=torch.float64))"),
    ("backward_float_gradient_on_double", "root_grad_f64_leaf(torch.tensor([1., 2., 3.]))"),
    ("backward_gradient_shape", "root_grad(torch.ones(2))"),
    ("backward_gradient_broadcastable_shape", "root_grad(torch.ones(1, 3))"),
    ("backward_gradient_0dim", "root_grad(torch.tensor(2.))"),
    ("autograd_grad_long_gradient", "autograd_grad(torch.tensor([1, 2, 3]))"),
    ("autograd_grad_gradient_shape", "autograd_grad(torch.ones(2))"),
    ("function_wrong_shape", "custom_grad(torch.ones(2), 'WrongShape')"),
    ("function_one_element", "custom_grad(torch.ones(1), 'OneElement')"),
    ("function_broadcast_shape", "custom_grad(torch.ones(1, 3), 'BroadcastShape')"),
    ("function_long_gradient", "custom_grad(torch.tensor([1, 2, 3]), 'LongGradient')"),
    ("function_double_gradient", "custom_grad(torch.tensor([1., 2., 3.], dtype=torch.float64), 'DoubleGradient')"),
    ("requires_grad_long", "torch.ones(3, dtype=torch.long).requires_grad_()"),

    # ---------------------------------------------------------------- 7. 0-dim tensors, empty dims, argument checks
    ("flip_0dim", "torch.tensor(5.).flip(0)"),
    ("flip_0dim_minus1", "torch.tensor(5.).flip(-1)"),
    ("flip_0dim_no_dims", "torch.tensor(5.).flip(())"),
    ("flip_0dim_bad_dim", "torch.tensor(5.).flip(1)"),
    ("flip_repeated_dim", "torch.ones(3).flip(0, -1)"),
    ("flip_empty", "torch.ones(0, 3).flip(0)"),
    ("chunk_0dim", "torch.tensor(5.).chunk(1)"),
    ("chunk_0dim_zero", "torch.tensor(5.).chunk(0)"),
    ("split_0dim", "torch.tensor(5.).split(1)"),
    ("split_0dim_bad_dim", "torch.tensor(5.).split(1, 5)"),
    ("split_sizes_0dim", "torch.tensor(5.).split([1])"),
    ("unbind_0dim", "torch.tensor(5.).unbind(0)"),
    ("unbind_0dim_minus1", "torch.tensor(5.).unbind(-1)"),
    ("unbind_0dim_bad_dim", "torch.tensor(5.).unbind(1)"),
    ("narrow_0dim", "torch.tensor(5.).narrow(0, 0, 1)"),
    ("narrow_0dim_bad_dim", "torch.tensor(5.).narrow(5, 0, 1)"),
    ("topk_0dim", "torch.tensor(5.).topk(1)"),
    ("topk_0dim_zero", "torch.tensor(5.).topk(0)"),
    ("topk_0dim_two", "torch.tensor(5.).topk(2)"),
    ("topk_0dim_bad_dim", "torch.tensor(5.).topk(1, 1)"),
    ("sort_0dim", "torch.tensor(5.).sort(0)"),
    ("sort_0dim_bad_dim", "torch.tensor(5.).sort(1)"),
    ("argsort_0dim", "torch.tensor(5.).argsort(0)"),
    ("argmax_0dim_dim", "torch.tensor(5.).argmax(0)"),
    ("argmax_0dim_bad_dim", "torch.tensor(5.).argmax(1)"),
    ("argmin_0dim_bad_dim", "torch.tensor(5.).argmin(1)"),
    ("max_0dim_dim", "torch.tensor(5.).max(0)"),
    ("min_0dim_keepdim", "torch.tensor(5.).min(0, keepdim=True)"),
    ("max_0dim_bad_dim", "torch.tensor(5.).max(1)"),
    ("size_0dim", "torch.tensor(5.).size(0)"),
    ("size_0dim_minus1", "torch.tensor(5.).size(-1)"),
    ("stride_0dim", "torch.tensor(5.).stride(0)"),
    ("select_0dim", "torch.tensor(5.).select(0, 0)"),
    ("squeeze_0dim", "torch.tensor(5.).squeeze(0)"),
    ("squeeze_0dim_bad_dim", "torch.tensor(5.).squeeze(1)"),
    ("unsqueeze_0dim_minus1", "torch.tensor(5.).unsqueeze(-1)"),
    ("unsqueeze_0dim_bad_dim", "torch.tensor(5.).unsqueeze(-2)"),
    ("transpose_0dim", "torch.tensor(5.).transpose(0, -1)"),
    ("transpose_0dim_bad_dim", "torch.tensor(5.).transpose(0, 1)"),
    ("flatten_0dim", "torch.tensor(5.).flatten(0, -1)"),
    ("flatten_0dim_bad_dim", "torch.tensor(5.).flatten(0, 1)"),
    ("sum_0dim_dim", "torch.tensor(5.).sum(0)"),
    ("sum_0dim_repeated_dim", "torch.tensor(5.).sum((0, -1))"),
    ("mean_0dim_dim", "torch.tensor(5.).mean(0)"),
    ("prod_0dim_dim", "torch.tensor(5.).prod(0)"),
    ("var_0dim_dim", "torch.tensor(5.).var(0)"),
    ("amax_0dim_dim", "torch.tensor(5.).amax(0)"),
    ("all_0dim_dim", "torch.tensor(True).all(0)"),
    ("norm_0dim_dim", "torch.tensor(5.).norm(2, 0)"),
    ("cumsum_0dim", "torch.tensor(5.).cumsum(0)"),
    ("cumsum_0dim_bad_dim", "torch.tensor(5.).cumsum(1)"),
    ("logsumexp_0dim", "torch.tensor(5.).logsumexp(0)"),
    ("softmax_0dim", "torch.tensor(5.).softmax(0)"),
    ("softmax_0dim_bad_dim", "torch.tensor(5.).softmax(1)"),
    ("gather_0dim", "torch.tensor(5.).gather(0, torch.tensor(0))"),
    ("index_select_0dim", "torch.tensor(5.).index_select(0, torch.tensor([0]))"),
    ("take_along_dim_0dim", "torch.tensor(5.).take_along_dim(torch.tensor(0), 0)"),
    ("take_along_dim_0dim_bad_dim", "torch.tensor(5.).take_along_dim(torch.tensor(0), 1)"),
    ("stack_0dim", "torch.stack([torch.tensor(1.), torch.tensor(2.)], -1)"),
    ("stack_0dim_bad_dim", "torch.stack([torch.tensor(1.), torch.tensor(2.)], 2)"),
    ("repeat_0dim", "torch.tensor(5.).repeat(2)"),
    ("outer_2d_self", "torch.outer(torch.ones(2, 2), torch.ones(2))"),
    ("outer_2d_vec2", "torch.outer(torch.ones(2), torch.ones(2, 2))"),
    ("outer_0dim", "torch.outer(torch.tensor(1.), torch.ones(2))"),
    ("outer_empty", "torch.outer(torch.ones(0), torch.ones(2))"),
    ("softmax_empty_dim", "torch.ones(2, 0).softmax(1)"),
    ("softmax_empty_other_dim", "torch.ones(2, 0).softmax(0)"),
    ("softmax_empty_bad_dim", "torch.ones(2, 0).softmax(2)"),
    ("log_softmax_empty_dim", "torch.ones(2, 0).log_softmax(1)"),
    ("logsumexp_empty_dim", "torch.ones(2, 0).logsumexp(1)"),
    ("logsumexp_empty", "torch.ones(0).logsumexp(0)"),
    ("logsumexp_empty_all_dims", "torch.ones(2, 0).logsumexp((0, 1))"),
    ("max_empty_dim", "torch.ones(2, 0).max(1)"),
    ("min_empty_dim", "torch.ones(2, 0).min(1)"),
    ("max_other_dim_of_empty", "torch.ones(2, 0).max(0)"),
    ("amax_empty_dim", "torch.ones(2, 0).amax(1)"),
    ("amax_no_dims", "torch.ones(2, 3).amax(())"),
    ("hstack_0dim", "torch.hstack([torch.tensor(1.), torch.tensor(2.)])"),
    ("hstack_none", "torch.hstack([])"),
    ("vstack_0dim", "torch.vstack([torch.tensor(1.), torch.tensor(2.)])"),
    ("vstack_none", "torch.vstack([])"),
    ("one_hot_empty_infers_nothing", "F.one_hot(torch.zeros(0, dtype=torch.long))"),
    ("sum_to_size_not_expandable", "torch.ones(2, 3).sum_to_size(4)"),
    ("index_0dim_with_slice", "torch.tensor(5.)[:]"),
    ("mse_long_target_forward", "mse_forward(torch.float32, torch.long)"),
    ("mse_long_target_backward", "mse_backward(torch.float32, torch.long)"),
    ("mse_double_target_backward", "mse_backward(torch.float32, torch.float64)"),
    ("mse_float_target_double_input_backward", "mse_backward(torch.float64, torch.float32)"),
    ("mse_bool_target_backward", "mse_backward(torch.float32, torch.bool)"),
    ("mse_grad_of_target", "mse_backward(torch.float32, torch.float64, False)"),
    ("mse_same_dtype_backward", "mse_backward(torch.float64, torch.float64)"),
    # ---------------------------------------------------------------- follow-ups of the differential fuzz test
    ("floor_divide_int_by_zero", "torch.tensor([1, 2]) // torch.tensor([0, 1])"),
    ("remainder_int_by_zero", "torch.remainder(torch.tensor([5]), 0)"),
    ("fmod_int_by_zero", "torch.fmod(torch.tensor([5]), torch.tensor([0]))"),
    ("div_trunc_int_by_zero", "torch.tensor([5]).div(torch.tensor([0]), rounding_mode='trunc')"),
    ("step_lr_step_size_0", "lr_after_step('step', 0)"),
    ("cosine_lr_t_max_0", "lr_after_step('cos', 0)"),
    ("step_lr_step_size_2", "lr_after_step('step', 2)"),
    ("repeat_none_1d", "torch.tensor([1, 2]).repeat([])"),
    ("repeat_none_0dim", "torch.tensor(3).repeat([])"),
    ("norm_inf_empty", "torch.tensor([]).norm(float('inf'))"),
    ("norm_negative_empty", "torch.zeros(0, 3).norm(-1.5)"),
    ("norm_inf_empty_dim", "torch.zeros(0, 3).norm(float('inf'), 0)"),
    ("norm_neg_inf_nonempty_dim", "torch.zeros(0, 3).norm(float('-inf'), 1)"),
    ("norm_2_empty", "torch.zeros(0, 3).norm(2)"),
]

# PyTorch 2.x outcomes where 1.13 differs, each with the 2.x source it follows.
V2 = {
    # RangeFactories.cpp: 2.x fixed the typo "larger bound"
    "arange_step_wrong_sign": ("RuntimeError", "upper bound and lower bound inconsistent with step sign"),
    "arange_float_step_wrong_sign": ("RuntimeError", "upper bound and lower bound inconsistent with step sign"),
    # TensorShape.cpp narrow_symint: 2.x checks the length, then the start against [-size, size] (1.13 wrapped start as a dim)
    "narrow_negative_length": ("RuntimeError", "narrow(): length must be non-negative."),
    "narrow_start_out_of_range": ("IndexError", "start out of range (expected to be in range of [-3, 3], but got 4)"),
    # VariableTypeManual.cpp: 2.x names complex dtypes too
    "requires_grad_long": ("RuntimeError", "only Tensors of floating point and complex dtype can require gradients"),
}

# PyTorch 2.x raises where 1.13 returned, each with the 2.x source it follows. Written with a note line.
V2_RAISES = {
    # 2.x's torch.norm calls linalg.vector_norm, whose meta refuses a norm without an identity over nothing (LinearAlgebra.cpp;
    # its message has no space before "because")
    "norm_inf_empty": ("RuntimeError", "linalg.vector_norm cannot compute the inf norm on an empty tensor because the operation does not have an identity"),
    "norm_negative_empty": ("RuntimeError", "linalg.vector_norm cannot compute the -1.5 norm on an empty tensor because the operation does not have an identity"),
    "norm_inf_empty_dim": ("RuntimeError", "linalg.vector_norm cannot compute the inf norm on the dimension 0because this dimension is empty and the operation does not have an identity"),
}

# Where jtorch knowingly differs from every PyTorch: the outcome jtorch gives, and why. Written with a note line.
DIFFERENCES = {
    # ATen's arange computes the count as (end - start + step - 1) / step in int64, which overflows for this step and
    # gives 0 elements; the range [0, 10) with any positive step holds 0, so jtorch returns it rather than a wrong empty
    "arange_huge_step": ("ok", "tensor([0])",
                         "ATen's int64 count (end - start + step - 1) / step overflows to 0; jtorch gives the right [0]"),
    # the same round-up overflow in ATen's slice: Python's and NumPy's x[2::huge] is [x[2]]
    "slice_huge_step": ("ok", "tensor([2.])",
                        "ATen's slice size (len + step - 1) / step overflows to 0; jtorch gives Python's [x[2]]"),
}


def show(r):
    if r is None:
        return "None"
    if isinstance(r, (list, tuple)) and not isinstance(r, torch.Size) and not type(r).__module__.startswith("torch.return_types"):
        return "[" + ", ".join(show(x) for x in r) + "]"
    if isinstance(r, (torch.Tensor, torch.Size, torch.dtype)) or type(r).__module__.startswith("torch.return_types"):
        return repr(r)
    if isinstance(r, bool):
        return "True" if r else "False"
    return str(r)


def escape(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n")


def main():
    v2 = int(torch.__version__.split(".")[0]) >= 2
    out = []
    for name, expr in CASES:
        out.append("case " + name)
        out.append("expr " + expr)
        if name in DIFFERENCES:
            kind, text, reason = DIFFERENCES[name]
            out.append("note differs from PyTorch: " + reason)
            out.append(kind + " " + escape(text))
            out.append("end")
            continue
        try:
            out.append("ok " + escape(show(eval(expr))))
        except Exception as e:  # noqa: BLE001 - every failure is an outcome to record
            kind, message = type(e).__name__, str(e)
            if not v2 and name in V2:
                kind, message = V2[name]
            out.append("err " + kind + " " + escape(message))
        else:
            if not v2 and name in V2:
                raise SystemExit(name + ": V2 names an error but PyTorch accepted it")
            if not v2 and name in V2_RAISES:
                kind, message = V2_RAISES[name]
                out[-1] = "note PyTorch 2.x raises where %s returned %s" % (torch.__version__, out[-1][3:])
                out.append("err " + kind + " " + escape(message))
        out.append("end")
    goldenlib.write(__file__, "reliability_cases.txt", out)


if __name__ == "__main__":
    main()
