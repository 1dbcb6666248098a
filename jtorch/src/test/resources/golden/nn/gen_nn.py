#!/usr/bin/env python3
"""Generate jtorch's torch.nn goldens from the installed PyTorch.

Usage:  python3 gen_nn.py > nn_cases.txt

NnGoldenTest runs the same programs with dev.jtorch.nn (each is written twice: here and in the test, under the
same name) and compares parameters (bit for bit: initialization draws from the seeded default generator),
outputs, losses and gradients (float32 to a tight tolerance, float64 tighter), grad_fn names and printed text.
Runs unchanged on PyTorch 1.13 and 2.x.

File format (one record per line, '|'-separated):
  # key=value                       header (torch version)
  tensor|LABEL|DTYPE|SHAPE|HEX,...  a tensor: float.hex() of each element, row-major ("None" alone if absent)
  text|LABEL|TEXT                   a string (repr, grad_fn name, key list) with backslash and newline escaped
Inputs are made by vals(): ((i * k) % m - off) * scale + shift for the flat index i, exact in binary.
"""
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def vals(shape, k=7, m=11, off=5, scale=0.25, shift=0.0, dtype=torch.float32, grad=False):
    n = 1
    for s in shape:
        n *= s
    v = [((i * k) % m - off) * scale + shift for i in range(n)]
    t = torch.tensor(v, dtype=dtype).reshape(shape)
    return t.requires_grad_() if grad else t


LINES = []


def tensor(label, t):
    if t is None:
        LINES.append(f"tensor|{label}|None")
        return
    t = t.detach()
    shape = ",".join(str(s) for s in t.shape)
    dt = str(t.dtype).replace("torch.", "")
    hexes = ",".join(float(v).hex() for v in t.double().contiguous().reshape(-1).tolist())
    LINES.append(f"tensor|{label}|{dt}|{shape}|{hexes}")


def text(label, s):
    s = str(s).replace("\\", "\\\\").replace("\n", "\\n")
    LINES.append(f"text|{label}|{s}")


def fn(label, t):
    text(label, "None" if t.grad_fn is None else type(t.grad_fn).__name__)


def params_and_grads(prefix, model):
    for name, p in model.named_parameters():
        tensor(f"{prefix}.param.{name}", p)
        tensor(f"{prefix}.grad.{name}", p.grad)


# ---------------------------------------------------------------- a small classifier, end to end

torch.manual_seed(0)
mlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
text("mlp.repr", repr(mlp))
text("mlp.keys", ",".join(mlp.state_dict().keys()))
x = vals((5, 4))
out = mlp(x)
tensor("mlp.out", out)
text("mlp.out.repr", repr(out))
y = torch.tensor([0, 2, 1, 1, 0])
loss = F.cross_entropy(out, y)
tensor("mlp.loss", loss)
text("mlp.loss.repr", repr(loss))
loss.backward()
params_and_grads("mlp", mlp)
text("mlp.grad0.repr", repr(mlp[0].bias.grad))

# ---------------------------------------------------------------- initialization, bit for bit

torch.manual_seed(1)
big = nn.Linear(784, 1024)
w = big.weight.detach().reshape(-1)
tensor("init.big.weight.head", w[:16])
tensor("init.big.weight.tail", w[-16:])
tensor("init.big.weight.sum", w.double().sum())
tensor("init.big.bias", big.bias)
torch.manual_seed(2)
nobias = nn.Linear(3, 5, bias=False)
tensor("init.nobias.weight", nobias.weight)
text("init.nobias.repr", repr(nobias))
text("init.nobias.keys", ",".join(nobias.state_dict().keys()))
torch.manual_seed(3)
dbl = nn.Linear(6, 2, dtype=torch.float64)
tensor("init.double.weight", dbl.weight)
tensor("init.double.bias", dbl.bias)

torch.manual_seed(4)
t = torch.empty(5, 7)
tensor("init.kaiming_uniform", nn.init.kaiming_uniform_(t))
tensor("init.kaiming_uniform_relu_fan_out", nn.init.kaiming_uniform_(torch.empty(5, 7), mode="fan_out", nonlinearity="relu"))
tensor("init.kaiming_normal", nn.init.kaiming_normal_(torch.empty(4, 3, 2, 2)))
tensor("init.kaiming_normal_a", nn.init.kaiming_normal_(torch.empty(3, 5), a=0.2))
tensor("init.xavier_uniform", nn.init.xavier_uniform_(torch.empty(4, 6)))
tensor("init.xavier_uniform_gain", nn.init.xavier_uniform_(torch.empty(4, 6, 3), gain=nn.init.calculate_gain("relu")))
tensor("init.xavier_normal", nn.init.xavier_normal_(torch.empty(20, 3)))
tensor("init.uniform", nn.init.uniform_(torch.empty(3, 4), -2.0, 3.0))
tensor("init.normal", nn.init.normal_(torch.empty(3, 4), 1.0, 0.5))
tensor("init.constant", nn.init.constant_(torch.empty(2, 3), 0.3))
gains = [nn.init.calculate_gain(n) for n in ["linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]]
gains.append(nn.init.calculate_gain("leaky_relu", 0.2))
tensor("init.gains", torch.tensor(gains, dtype=torch.float64))

# ---------------------------------------------------------------- losses (float64: values to the last bits)

logits = vals((4, 5), dtype=torch.float64, grad=True)
target = torch.tensor([1, 0, 4, 2])
weight = torch.tensor([0.5, 1.0, 2.0, 0.25, 1.5], dtype=torch.float64)
probs = torch.softmax(vals((4, 5), k=3, m=7, off=2, dtype=torch.float64), 1)
cases = {
    "ce_mean": lambda x: F.cross_entropy(x, target),
    "ce_sum": lambda x: F.cross_entropy(x, target, reduction="sum"),
    "ce_none": lambda x: F.cross_entropy(x, target, reduction="none"),
    "ce_weight": lambda x: F.cross_entropy(x, target, weight=weight),
    "ce_weight_none": lambda x: F.cross_entropy(x, target, weight=weight, reduction="none"),
    "ce_ignore": lambda x: F.cross_entropy(x, torch.tensor([1, -100, 4, -100])),
    "ce_ignore_weight": lambda x: F.cross_entropy(x, torch.tensor([1, 3, 4, 3]), weight=weight, ignore_index=3),
    "ce_smooth": lambda x: F.cross_entropy(x, target, label_smoothing=0.1),
    "ce_smooth_weight_ignore": lambda x: F.cross_entropy(x, torch.tensor([1, 3, 4, 0]), weight=weight, ignore_index=3, label_smoothing=0.2),
    "ce_smooth_none": lambda x: F.cross_entropy(x, target, reduction="none", label_smoothing=0.3),
    "ce_probs": lambda x: F.cross_entropy(x, probs),
    "ce_probs_sum": lambda x: F.cross_entropy(x, probs, reduction="sum"),
    "ce_probs_none": lambda x: F.cross_entropy(x, probs, reduction="none"),
    "ce_probs_weight_smooth": lambda x: F.cross_entropy(x, probs, weight=weight, label_smoothing=0.25),
    "ce_1d": lambda x: F.cross_entropy(x[1], torch.tensor(3)),
    "ce_3d": lambda x: F.cross_entropy(x.reshape(2, 5, 2), torch.tensor([[1, 4], [0, 2]])),
    "ce_3d_none": lambda x: F.cross_entropy(x.reshape(2, 5, 2), torch.tensor([[1, 4], [0, 2]]), reduction="none"),
    "ce_4d": lambda x: F.cross_entropy(x.reshape(1, 5, 2, 2), torch.tensor([[[1, 4], [0, 2]]])),
    "nll_mean": lambda x: F.nll_loss(x, target),
    "nll_none": lambda x: F.nll_loss(x, torch.tensor([1, -100, 4, 2]), reduction="none"),
    "nll_weight_sum": lambda x: F.nll_loss(x, target, weight=weight, reduction="sum"),
    "nll_all_ignored": lambda x: F.nll_loss(x, torch.tensor([-100, -100, -100, -100])),
    "mse_mean": lambda x: F.mse_loss(x, vals((4, 5), k=3, m=7, dtype=torch.float64)),
    "mse_sum": lambda x: F.mse_loss(x, vals((4, 5), k=3, m=7, dtype=torch.float64), reduction="sum"),
    "mse_none": lambda x: F.mse_loss(x, vals((4, 5), k=3, m=7, dtype=torch.float64), reduction="none"),
}
for name, f in cases.items():
    logits.grad = None
    l = f(logits)
    tensor(f"loss.{name}", l)
    fn(f"loss.{name}.fn", l)
    l.sum().backward()
    tensor(f"loss.{name}.grad", logits.grad)

# float32 cross entropy through the module API
x32 = vals((6, 3), k=5, m=13, off=6, scale=0.5, grad=True)
ce = nn.CrossEntropyLoss()
l32 = ce(x32, torch.tensor([0, 1, 2, 2, 1, 0]))
tensor("loss.module_ce32", l32)
l32.backward()
tensor("loss.module_ce32.grad", x32.grad)
text("loss.module_reprs", " ".join(repr(m) for m in [nn.MSELoss(), nn.CrossEntropyLoss(), nn.NLLLoss(reduction="sum")]))

# ---------------------------------------------------------------- linear paths and grad_fn names

wl = vals((3, 4), k=5, m=9, off=4, grad=True)
bl = vals((3,), k=2, m=5, off=2, grad=True)
for name, inp in {"2d": vals((2, 4)), "3d": vals((2, 2, 4)), "3d_noncontig": vals((4, 2, 2)).transpose(0, 2)}.items():
    o = F.linear(inp, wl, bl)
    tensor(f"linear.{name}", o)
    fn(f"linear.{name}.fn", o)
o = F.linear(vals((2, 4)), wl)
tensor("linear.nobias", o)
fn("linear.nobias.fn", o)
wl.grad = None
F.linear(vals((2, 2, 4)), wl, bl).sum().backward()
tensor("linear.3d.grad.w", wl.grad)
tensor("linear.3d.grad.b", bl.grad)
a = vals((2, 3), grad=True)
b = vals((3, 4), k=3, grad=True)
c = vals((4,), k=2, m=3, grad=True)
o = torch.addmm(c, a, b, beta=0.5, alpha=2.0)
tensor("addmm.beta_alpha", o)
fn("addmm.fn", o)
o.sum().backward()
tensor("addmm.grad.input", c.grad)
tensor("addmm.grad.mat1", a.grad)
tensor("addmm.grad.mat2", b.grad)

# ---------------------------------------------------------------- dropout (the CPU mask comes from the default generator)

torch.manual_seed(5)
xd = vals((4, 6), shift=0.125, grad=True)
od = F.dropout(xd, 0.3)
tensor("dropout.out", od)
fn("dropout.fn", od)
od.sum().backward()
tensor("dropout.grad", xd.grad)
torch.manual_seed(6)
drop = nn.Dropout(0.5)
tensor("dropout.module_train", drop(torch.ones(3, 4)))
drop.eval()
tensor("dropout.module_eval", drop(torch.ones(3, 4)))
text("dropout.reprs", " ".join(repr(m) for m in [nn.Dropout(), nn.Dropout(0.2), nn.Dropout(1e-5, inplace=True)]))

# ---------------------------------------------------------------- other modules

xm = vals((2, 3, 2), grad=True)
for name, m in {"relu": nn.ReLU(), "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(), "softmax": nn.Softmax(dim=1),
                "log_softmax": nn.LogSoftmax(dim=-1), "flatten": nn.Flatten(), "flatten02": nn.Flatten(0, 1),
                "identity": nn.Identity()}.items():
    o = m(xm)
    tensor(f"module.{name}", o)
    text(f"module.{name}.repr", repr(m))

# ---------------------------------------------------------------- the PyTorch quickstart tutorial's model


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


torch.manual_seed(7)
model = NeuralNetwork()
text("tutorial.print", model)
lines = []
for name, param in model.named_parameters():
    lines.append(f"Layer: {name} | Size: {param.size()} | Values : {param[:2]} \n")
text("tutorial.params", "\n".join(lines))
X = torch.rand(1, 28, 28)
logits = model(X)
pred_probab = nn.Softmax(dim=1)(logits)
y_pred = pred_probab.argmax(1)
tensor("tutorial.logits", logits)
text("tutorial.pred", f"Predicted class: {y_pred}")

# ---------------------------------------------------------------- training the 784-1024-1024-10 MLP with plain SGD

torch.manual_seed(8)
net = nn.Sequential(nn.Flatten(), nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))
xt = vals((64, 1, 28, 28), k=37, m=101, off=50, scale=0.02)
yt = torch.arange(64) % 10
losses = []
for step in range(5):
    lt = F.cross_entropy(net(xt), yt)
    losses.append(lt.item())
    net.zero_grad()
    lt.backward()
    with torch.no_grad():
        for p in net.parameters():
            p.sub_(p.grad, alpha=0.1)
tensor("train.losses", torch.tensor(losses, dtype=torch.float64))
tensor("train.final_bias", net[5].bias)

print(f"# torch={torch.__version__}")
print("\n".join(LINES))
