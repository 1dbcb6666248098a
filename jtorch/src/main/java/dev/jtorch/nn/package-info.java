/**
 * {@code torch.nn}: {@link dev.jtorch.nn.Module}, {@link dev.jtorch.nn.Parameter} and the layers built on it
 * ({@link dev.jtorch.nn.Linear}, activations, {@link dev.jtorch.nn.Dropout}, {@link dev.jtorch.nn.Sequential}, ...), the loss modules,
 * {@link dev.jtorch.nn.F} (torch.nn.functional) and {@link dev.jtorch.nn.Init} (torch.nn.init). Everything here is
 * composed from tensor ops: it may import only the public API of {@code dev.jtorch} and {@code dev.jtorch.autograd}
 * (composite ops record PyTorch's grad_fn names through {@code autograd.Graph}).
 */
package dev.jtorch.nn;
