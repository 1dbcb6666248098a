# Writing a value that requires grad into a view of a tensor that does not: the base takes CopySlices and the
# gradient flows (AutogradTest.writingIntoAViewOfATensorWithoutGradRecordsCopySlices). Run with PyTorch 1.13.
import torch
x0 = torch.tensor([[1., 2., 3., 4.], [5., 6., 7., 8.], [9., 10., 11., 12.]], dtype=torch.float64)
x1 = torch.tensor([0.5, -1., 2., 3.], dtype=torch.float64, requires_grad=True)
y = x0.mul(1)
y.narrow(0, 1, 1).copy_(x1.expand(1, 4).mul(x0.narrow(0, 2, 1)))
print(y.requires_grad, y.grad_fn.name())
y[0].mul_(x1)
y.select(1, 2).exp_()
print(y.grad_fn.name())
(y * torch.arange(12, dtype=torch.float64).reshape(3, 4)).sum().backward()
print(x1.grad.tolist())
z = torch.zeros(3, dtype=torch.float64)
z[0].copy_(x1.sum())
z.sum().backward()
print(z.grad_fn.name(), x1.grad.tolist())
