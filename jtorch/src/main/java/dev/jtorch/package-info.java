/**
 * jtorch's public API: {@link dev.jtorch.Torch} (the {@code torch.*} namespace), {@link dev.jtorch.Tensor}
 * (a thin facade over the dispatcher), {@link dev.jtorch.Generator}, printing, and the layer-0 value
 * types {@link dev.jtorch.DType}, {@link dev.jtorch.Device} and {@link dev.jtorch.Size} (which import java.base only).
 *
 * <p>Owns: composite ops, creation, the argument checks and messages of sampling ({@code Sampling}) and
 * {@code torch.linalg} ({@code TorchLinalg}, whose semantics live in {@code dispatch.LinearAlgebra}), memory scopes ({@link dev.jtorch.TensorScope}) and mixed precision
 * ({@link dev.jtorch.Autocast}). The dispatcher, promotion, indexing and pinned-memory copies live in {@code dispatch},
 * in-place bookkeeping in {@code autograd}; they reach Tensor's internals through {@code internal.TensorAccess}.
 * May import {@code ops}, {@code backend}, {@code autograd}, {@code dispatch} and {@code internal}, never a backend's
 * own package ({@code backend.cpu}, {@code backend.cuda}) except {@code TorchCuda}, the {@code torch.cuda} namespace.
 */
package dev.jtorch;
