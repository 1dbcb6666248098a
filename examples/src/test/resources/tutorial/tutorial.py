# The Python twin of examples/src/main/java/dev/jtorch/examples/Tutorial.java: the same program in PyTorch.
# Its output (tutorial.out beside it, made with PyTorch 2.11) is what the Java tutorial must print.
# Java prints booleans as true/false and null for None; this twin prints them the Java way so the outputs compare.
# Float32 reductions may differ from PyTorch's in the last bit (summation order), so losses print 4 decimals.
# Usage: python3 tutorial.py > tutorial.out
import numpy as np
import torch
import torch.nn.functional as F


def section(title):
    print("\n== " + title + " ==")


def tensors():
    section("tensors")
    torch.manual_seed(0)
    data = [[1, 2], [3, 4]]
    x_data = torch.tensor(data)
    x_np = torch.from_numpy(np.array([1, 2, 3, 4], dtype=np.int64).reshape(2, 2))
    print(x_data)
    print(x_np)
    x_ones = torch.ones_like(x_data)
    print(f"Ones Tensor: \n {x_ones} \n")
    x_rand = torch.rand_like(x_data, dtype=torch.float)
    print(f"Random Tensor: \n {x_rand} \n")
    shape = (2, 3,)
    rand_tensor = torch.rand(shape)
    ones_tensor = torch.ones(shape)
    zeros_tensor = torch.zeros(shape)
    print(f"Random Tensor:\n {rand_tensor}\n")
    print(f"Ones Tensor:\n {ones_tensor}\n")
    print(f"Zeros Tensor:\n {zeros_tensor}")
    tensor = torch.rand(3, 4)
    print(f"Shape of tensor: {tensor.shape}")
    print(f"Datatype of tensor: {tensor.dtype}")
    print(f"Device tensor is stored on: {tensor.device}")
    if torch.cuda.is_available():
        tensor = tensor.to("cuda")
    tensor = torch.ones(4, 4)
    print(f"First row: {tensor[0]}")
    print(f"First column: {tensor[:, 0]}")
    print(f"Last column: {tensor[..., -1]}")
    tensor[:, 1] = 0
    print(tensor)
    y1 = tensor @ tensor.T
    y2 = tensor.matmul(tensor.T)
    y3 = torch.rand_like(y1)
    torch.matmul(tensor, tensor.T, out=y3)
    print(str(torch.equal(y1, y2)).lower() + " " + str(torch.equal(y1, y3)).lower())
    z1 = tensor * tensor
    z3 = torch.rand_like(tensor)
    torch.mul(tensor, tensor, out=z3)
    print(z3)
    agg = tensor.sum()
    agg_item = agg.item()
    print(agg_item, type(agg_item))
    print(f"{tensor} \n")
    tensor.add_(5)
    print(tensor)
    t = torch.ones(5)
    print(f"t: {t}")
    n = t.numpy()
    print(f"n: {n}")
    t.add_(1)
    print(f"t: {t}")
    print(f"n: {n}")
    n = np.ones(5)
    t = torch.from_numpy(n)
    np.add(n, 1, out=n)
    print(f"t: {t}")
    print(f"n: {n}")


def creation_and_attributes():
    section("creation and attributes")
    torch.manual_seed(1)
    x = torch.tensor([3, 2.3])
    print(x)
    x = x.new_ones(2, 4, dtype=torch.double)
    print(x)
    x = torch.randn_like(x, dtype=torch.float)
    print(x)
    print(torch.randn(5))
    print(x.size())
    print(torch.tensor([[1, 2], [3, 4]]).size())
    t = torch.rand(3, 4)
    print(t.shape, t.dtype, t.device)


def operations():
    section("operations")
    torch.manual_seed(2)
    a = torch.randn(1, 2) * 2 - 1
    print(a)
    print(torch.abs(a))
    print(torch.ceil(a))
    print(torch.floor(a))
    print(torch.min(a))
    print(torch.max(a))
    print(torch.mean(a))
    print(torch.std(a))
    print(torch.prod(a))
    print(torch.unique(torch.tensor([1, 2, 3, 1, 2, 1])))
    print(torch.clamp(a, -0.5, 0.5))
    b = torch.randn(2, 3) * 2 - 1
    print(b)
    print(torch.clamp(b, -0.2, 0.2))
    x = torch.rand(2, 2)
    print(x)
    print(x.max(dim=0))
    print(x.max(dim=1))
    x = torch.rand(2, 2)
    y = torch.rand(2, 2)
    result = torch.empty(2, 2)
    torch.add(x, y, out=result)
    print(result)
    print(x + y)
    print(x - y)
    y.add_(x)
    print(y)
    print(x * y)
    print(x / y)
    x = torch.randn(1, 2)
    y = torch.randn(2, 3)
    print(torch.matmul(x, y))
    print(torch.mm(x, y))
    z = torch.mm(x, y)
    print(torch.svd(z).S)


def manipulation():
    section("manipulation")
    x = torch.Tensor([[1, 2], [3, 4]])
    print(x)
    print(x[0, 0], x[0, 1], x[1, 0], x[1, 1])
    print(x[:, 0], x[:, 1], x[0, :], x[1, :])
    t_array = torch.FloatTensor(np.arange(10).reshape(2, 5))
    print(t_array)
    print(t_array.shape, t_array.ndim, t_array.size())
    print(t_array[:2, :3])
    t1 = torch.FloatTensor(np.arange(10).reshape(2, 5))
    t2 = torch.FloatTensor(np.arange(10).reshape(5, 2))
    print(t1.matmul(t2))
    m = torch.FloatTensor(np.arange(4).reshape(2, 2))
    print(m * m, m * 5)
    r = torch.FloatTensor(np.arange(10))
    print(r.mean())
    r52 = r.view(5, 2)
    print(r52.mean(dim=0), r52.mean(dim=1))
    print(r.view(-1, 2))
    print(r.view(-1, 10).squeeze())
    print(r.view(-1, 10).squeeze().unsqueeze(dim=0))
    torch.manual_seed(3)
    y = torch.randint(5, (10, 5))
    y_label = y.argmax(dim=1)
    print(y)
    print(y_label)
    print(torch.nn.functional.one_hot(y_label))
    print(F.softmax(torch.FloatTensor([0.5, 0.7, 0.1]), dim=0))
    torch.manual_seed(510)
    xi = torch.randint(low=0, high=10, size=(2, 3, 4))
    print(xi)
    print(xi[0][0], xi[0, 0], xi[0, 0, 0])
    tmp = torch.ones_like(xi)
    tmp[0, 2, 3] = 0
    tmp[0, :2, 3] = 0
    tmp[0, 2, 3] = 1
    print(tmp)
    print(xi.shape, xi.dtype, xi.ndim)
    print(xi.view(2, 2, 6))
    print(xi.view(-1, 1, 12).shape)
    tr = xi.transpose(0, 1)
    print(tr, tr.shape)
    s = torch.rand((2, 1, 3, 4, 1))
    print(s.squeeze().size(), s.squeeze(1).size(), s.squeeze(2).size(), s.squeeze(4).size())
    print(s.unsqueeze(3).size())
    c1 = torch.rand((2, 3))
    c2 = torch.rand((3, 3))
    print(torch.cat([c1, c2], dim=0).size())
    c3 = torch.rand((2, 2))
    c4 = torch.rand((2, 4))
    print(torch.cat([c3, c4], dim=1))
    print(torch.stack([torch.rand((3, 5)), torch.rand((3, 5))], dim=0).size())
    sx = torch.FloatTensor([1, 4])
    sy = torch.FloatTensor([2, 5])
    sz = torch.FloatTensor([3, 6])
    print(torch.stack([sx, sy, sz]))
    print(torch.stack([sx, sy, sz], dim=1))
    t = torch.rand(3, 6)
    print(t)
    for part in torch.chunk(t, 3, dim=1):
        print(part)
    for part in torch.split(t, 4, dim=1):
        print(part)
    a = torch.Tensor([1, 2, 3])
    b = torch.Tensor([4, 1, 3])
    print(a + b, a - b, a * b, a / b, a.dot(b), a + 1)
    p = torch.Tensor([[1, 3], [2, 4], [5, 7]])
    q = torch.Tensor([[7, 9], [10, 2]])
    print(p.mm(q))
    zz = torch.Tensor([1, 2, 3, 4, 5, 6, 7, 8]).view(2, 2, 2)
    print(torch.sum(zz, dim=0))
    print(torch.sum(zz, dim=1))
    print(torch.mean(zz, dim=0))
    print(torch.max(zz), torch.min(zz), torch.argmax(zz), torch.argmin(zz))
    print(torch.max(zz, dim=0))
    cmp = torch.Tensor([-4, 3, 0])
    print(cmp.eq(0))
    print(cmp.ge(0))
    print(cmp.le(0))
    print(cmp.gt(0))
    print(cmp.lt(0))


def autograd_basics():
    section("autograd")
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    print(y, z, out)
    print("null" if x.grad is None else x.grad)
    out.backward()
    print(x.grad)
    print(str(x.requires_grad).lower())
    print(str((x ** 2).requires_grad).lower())
    with torch.no_grad():
        print(str((x ** 2).requires_grad).lower())
    w = torch.tensor(2.0, requires_grad=True)
    w2 = w ** 2
    zw = 2 * w2 + 5
    zw.backward()
    print(w.grad)
    print(type(zw.grad_fn).__name__, type(w2.grad_fn).__name__)
    v = torch.ones(3, requires_grad=True)
    doubled = v * 2
    doubled.backward(torch.tensor([0.1, 1.0, 0.0001]))
    print(v.grad)
    print(str(doubled.detach().requires_grad).lower())


def gradient_descent():
    section("gradient descent")
    torch.manual_seed(42)
    x = torch.rand(100, 1) * 4 - 2
    y = x * 3 - 2 + torch.randn(100, 1) * 0.1
    w = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    lr = 0.1
    for epoch in range(101):
        pred = x * w + b
        loss = ((pred - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= w.grad * lr
            b -= b.grad * lr
            w.grad.zero_()
            b.grad.zero_()
        if epoch % 20 == 0:
            print("epoch %3d  loss %.4f  w %.4f  b %.4f" % (epoch, loss.item(), w.item(), b.item()))


tensors()
creation_and_attributes()
operations()
manipulation()
autograd_basics()
gradient_descent()
