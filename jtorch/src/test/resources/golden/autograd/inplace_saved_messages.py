# The errors PyTorch raises when a tensor saved by a custom backward (softmax, log_softmax, vector_norm,
# var, std, clamp, polygamma, linalg.inv) is modified in place before the backward; CustomBackwardSavesTest
# asserts these messages. Run with PyTorch 1.13: /usr/bin/python3 inplace_saved_messages.py
import torch


def run(name, f):
    try:
        f()
        print(name, "-> no error")
    except RuntimeError as e:
        print(name, "->", str(e))


def f32(v):
    return torch.tensor(v, dtype=torch.float32, requires_grad=True)


def output_modified(op):
    def f():
        y = op(f32([1., 2., 3.]) * 1)
        y.add_(1)
        y.sum().backward()
    return f


def input_modified(op):
    def f():
        x = f32([1.5, 2., 3.]) * 1
        y = op(x)
        x.add_(1)
        y.sum().backward()
    return f


def clamp_bound():
    x, l = f32([1., 2., 3.]), f32([2., 2., 2.]) * 1
    y = x.clamp(min=l)
    l.add_(1)
    y.sum().backward()


def polygamma_input():
    x = f32([1.5, 2., 3.]) * 1
    g, = torch.autograd.grad(torch.digamma(x).sum(), x, create_graph=True)
    x.add_(1)
    g.sum().backward()


def inv_result():
    a = torch.tensor([[2., 1.], [1., 3.]], dtype=torch.float64, requires_grad=True)
    r = torch.linalg.inv(a)
    r.mul_(2)
    r.sum().backward()


print("torch", torch.__version__)
run("softmax result", output_modified(lambda x: torch.softmax(x, 0)))
run("log_softmax result", output_modified(lambda x: torch.log_softmax(x, 0)))
run("vector_norm result", output_modified(torch.linalg.vector_norm))
run("vector_norm input", input_modified(torch.linalg.vector_norm))
run("var input", input_modified(torch.var))
run("std result", output_modified(torch.std))
run("std input", input_modified(torch.std))
run("clamp bound", clamp_bound)
run("polygamma input", polygamma_input)
run("inv result", inv_result)
a = torch.tensor([[2., 1.], [1., 3.]], dtype=torch.float64, requires_grad=True)
torch.linalg.inv(a).sum().backward()
print("grad of sum(inv(A)):", a.grad.flatten().tolist())
