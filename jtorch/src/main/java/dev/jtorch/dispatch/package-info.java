/**
 * Internal: the dispatcher ({@link dev.jtorch.dispatch.Dispatch}: operand checks, PyTorch's type promotion,
 * broadcasting, autocast, backend calls and graph recording), shape arithmetic ({@link dev.jtorch.dispatch.Shapes}),
 * indexing and pinned-memory copies. {@code Tensor}'s methods are one line into it. Reads tensors' internals through
 * {@link dev.jtorch.internal.TensorAccess}. May import the facade, {@code internal}, {@code ops}, {@code backend} and
 * {@code autograd}; never a backend's own package. Not exported by the module.
 */
package dev.jtorch.dispatch;
