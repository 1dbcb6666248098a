#!/usr/bin/env python3
"""Golden values for dev.jtorch.optim (OptimizerGoldenTest, LRSchedulerTest).

Usage:
    python3 gen_optim.py            # (re)writes optim_cases.txt next to this script

Runs on PyTorch 2.x (the committed file was written by the version in its header) and on 1.13, which
lacks some options (those cases are left out there).

Each optimizer case (float32, float64, and a few in bfloat16 and float16) runs 10 steps on three parameters: w (3x4), b (4) and c (2, never given a gradient).
The gradients come from a fixed smooth loss of w and b, computed by autograd at the current values; at
step 3 b's gradient is set to None (the optimizer must skip it). The Java test feeds the recorded
gradients and compares the parameters after every step, so it checks the optimizer alone.

Format ('|'-separated; floats are float.hex()):
    # torch <version>
    case|NAME|OPTIMIZER|DTYPE|KWARGS                KWARGS: key=value;... (lists comma-separated)
    group|NAME|PARAM_INDICES|KWARGS                 (optional) the parameter groups, in order
    sched|NAME|SCHEDULER|KWARGS                     (optional) stepped after every optimizer step
    init|NAME|I|SHAPE|VALUES                        initial value of parameter I (SHAPE: sizes joined by 'x')
    grad|NAME|STEP|I|VALUES or None                 the gradient of parameter I at STEP
    after|NAME|STEP|I|VALUES                        parameter I after STEP
    state|NAME|I|KEY|VALUES                         the final optimizer state of parameter I
    groupkeys|NAME|KEY,KEY,...                      state_dict()['param_groups'][0]'s keys, in order
    end|NAME
    lrs|NAME|SCHEDULER|KWARGS|LR0,LR1,...          get_last_lr() at construction, then after each step;
                                                    groups of the line separated by ';'
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import goldenlib  # noqa: E402  (golden/goldenlib.py: the shared header)

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 10
lines = []


def hexes(t):
    return ",".join(float(v).hex() for v in t.detach().reshape(-1).tolist())


def shape_str(t):
    return "x".join(str(s) for s in t.shape) if t.dim() else "-"


def vals(n, k, m, off, scale):
    return [((i * k) % m - off) * scale for i in range(n)]


def fmt_kwargs(kw):
    out = []
    for k, v in kw.items():
        if isinstance(v, (tuple, list)):
            v = ",".join(repr(x) for x in v)
        else:
            v = repr(v)
        out.append(f"{k}={v}")
    return ";".join(out)


X = torch.tensor(vals(15, 5, 7, 3, 0.5), dtype=torch.float64).reshape(5, 3)
Y = torch.tensor(vals(20, 3, 11, 5, 0.25), dtype=torch.float64).reshape(5, 4)


def make_params(dtype):
    w = torch.tensor(vals(12, 7, 13, 6, 0.125), dtype=dtype).reshape(3, 4).requires_grad_()
    b = torch.tensor(vals(4, 3, 5, 2, 0.25), dtype=dtype).requires_grad_()
    c = torch.tensor([0.5, -1.5], dtype=dtype).requires_grad_()
    return [w, b, c]


def loss_of(w, b):
    x, y = X.to(w.dtype), Y.to(w.dtype)
    return ((x @ w + b - y) ** 2).mean() + 0.05 * (w ** 4).sum()


def run_case(name, opt_name, dtype, kwargs, groups=None, sched=None):
    params = make_params(dtype)
    cls = getattr(torch.optim, opt_name)
    if groups is None:
        spec = params
    else:
        spec = [dict(params=[params[i] for i in idx], **kw) for idx, kw in groups]
    try:
        opt = cls(spec, **kwargs)
    except (TypeError, ValueError):  # an option or default this PyTorch lacks (1.13: lr required)
        return
    scheduler = None
    if sched is not None:
        scheduler = getattr(torch.optim.lr_scheduler, sched[0])(opt, **sched[1])
    dt = str(dtype).replace("torch.", "")
    lines.append(f"case|{name}|{opt_name}|{dt}|{fmt_kwargs(kwargs)}")
    if groups is not None:
        for idx, kw in groups:
            lines.append(f"group|{name}|{','.join(map(str, idx))}|{fmt_kwargs(kw)}")
    if sched is not None:
        lines.append(f"sched|{name}|{sched[0]}|{fmt_kwargs(sched[1])}")
    for i, p in enumerate(params):
        lines.append(f"init|{name}|{i}|{shape_str(p)}|{hexes(p)}")
    w, b, c = params
    for k in range(STEPS):
        opt.zero_grad()
        loss_of(w, b).backward()
        if k == 3:
            b.grad = None
        for i, p in enumerate(params):
            lines.append(f"grad|{name}|{k}|{i}|{'None' if p.grad is None else hexes(p.grad)}")
        opt.step()
        for i, p in enumerate(params):
            lines.append(f"after|{name}|{k}|{i}|{hexes(p)}")
        if scheduler is not None:
            scheduler.step()
    for i, p in enumerate(params):
        for key, v in opt.state[p].items() if p in opt.state else []:
            if isinstance(v, torch.Tensor):
                lines.append(f"state|{name}|{i}|{key}|{hexes(v)}")
    lines.append(f"groupkeys|{name}|{','.join(opt.state_dict()['param_groups'][0].keys())}")
    lines.append(f"end|{name}")


CASES = [
    ("sgd_plain", "SGD", dict(lr=0.1)),
    ("sgd_default_lr", "SGD", dict()),
    ("sgd_momentum", "SGD", dict(lr=0.1, momentum=0.9)),
    ("sgd_dampening", "SGD", dict(lr=0.1, momentum=0.9, dampening=0.3)),
    ("sgd_nesterov", "SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("sgd_weight_decay", "SGD", dict(lr=0.1, momentum=0.5, weight_decay=0.01)),
    ("sgd_maximize", "SGD", dict(lr=0.01, momentum=0.9, maximize=True)),
    ("adam_default", "Adam", dict()),
    ("adam_lr", "Adam", dict(lr=0.05)),
    ("adam_betas_eps", "Adam", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6)),
    ("adam_low_beta1", "Adam", dict(lr=0.05, betas=(0.3, 0.9))),
    ("adam_weight_decay", "Adam", dict(lr=0.05, weight_decay=0.1)),
    ("adam_amsgrad", "Adam", dict(lr=0.05, amsgrad=True)),
    ("adam_maximize", "Adam", dict(lr=0.01, maximize=True, weight_decay=0.1)),
    ("adam_decoupled", "Adam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)),
    ("adamw_default", "AdamW", dict(lr=0.05)),
    ("adamw_amsgrad", "AdamW", dict(lr=0.05, weight_decay=0.1, amsgrad=True)),
    ("adamw_maximize", "AdamW", dict(lr=0.02, maximize=True)),
    ("rmsprop_default", "RMSprop", dict()),
    ("rmsprop_momentum_centered", "RMSprop", dict(lr=0.01, momentum=0.9, centered=True)),
    ("rmsprop_options", "RMSprop", dict(lr=0.02, alpha=0.9, eps=1e-6, weight_decay=0.1, maximize=True)),
    ("adagrad_default", "Adagrad", dict()),
    ("adagrad_options", "Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.05, initial_accumulator_value=0.1, eps=1e-8)),
    ("adagrad_maximize", "Adagrad", dict(lr=0.1, maximize=True)),
]
for dtype in (torch.float32, torch.float64):
    suffix = "" if dtype == torch.float32 else "_f64"
    for name, opt_name, kw in CASES:
        run_case(name + suffix, opt_name, dtype, kw)
    run_case("sgd_groups" + suffix, "SGD", dtype, dict(lr=0.1, momentum=0.9),
             groups=[([0], dict(lr=0.05)), ([1, 2], dict(momentum=0.5, nesterov=True))])
    run_case("sgd_steplr" + suffix, "SGD", dtype, dict(lr=0.1, momentum=0.9), sched=("StepLR", dict(step_size=3, gamma=0.5)))
    run_case("adam_cosine" + suffix, "Adam", dtype, dict(lr=0.05), sched=("CosineAnnealingLR", dict(T_max=5)))

# Half-precision parameters: PyTorch computes each update kernel in float and rounds once.
HALF_CASES = ["sgd_momentum", "adam_amsgrad", "adamw_default", "rmsprop_momentum_centered", "adagrad_options"]
for dtype, suffix in ((torch.bfloat16, "_bf16"), (torch.float16, "_f16")):
    for name, opt_name, kw in CASES:
        if name in HALF_CASES:
            run_case(name + suffix, opt_name, dtype, kw)

# Learning-rate schedules: two groups (lr 0.1 and 0.02), 20 epochs.
LAMBDAS = {
    "pow095": lambda e: 0.95 ** e,
    "inv": lambda e: 1.0 / (e + 1),
    "warmup": lambda e: min(1.0, (e + 1) / 5),
}
SCHEDS = [
    ("steplr", "StepLR", dict(step_size=3, gamma=0.5)),
    ("steplr_default_gamma", "StepLR", dict(step_size=1)),
    ("multisteplr", "MultiStepLR", dict(milestones=[2, 5, 5, 9], gamma=0.5)),
    ("multisteplr_default_gamma", "MultiStepLR", dict(milestones=[3, 7])),
    ("exponentiallr", "ExponentialLR", dict(gamma=0.9)),
    ("cosine", "CosineAnnealingLR", dict(T_max=6, eta_min=0.001)),
    ("cosine_default_eta", "CosineAnnealingLR", dict(T_max=4)),
    ("lambda_pow095", "LambdaLR", dict(lr_lambda="pow095")),
    ("lambda_per_group", "LambdaLR", dict(lr_lambda=["inv", "warmup"])),
]
for name, cls_name, kw in SCHEDS:
    a = torch.zeros(2, requires_grad=True)
    bb = torch.zeros(3, requires_grad=True)
    opt = torch.optim.SGD([dict(params=[a], lr=0.1), dict(params=[bb], lr=0.02)], lr=0.5)
    real = dict(kw)
    if "lr_lambda" in real:
        ll = real["lr_lambda"]
        real["lr_lambda"] = [LAMBDAS[x] for x in ll] if isinstance(ll, list) else LAMBDAS[ll]
    sch = getattr(torch.optim.lr_scheduler, cls_name)(opt, **real)
    seq = [sch.get_last_lr()]
    for _ in range(20):
        opt.step()
        sch.step()
        seq.append(sch.get_last_lr())
    lines.append(f"lrs|{name}|{cls_name}|{fmt_kwargs(kw)}|" + ";".join(",".join(float(v).hex() for v in e) for e in seq))

goldenlib.write(__file__, "optim_cases.txt", lines)
print(f"wrote {len(lines)} lines")
