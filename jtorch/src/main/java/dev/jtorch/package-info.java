/**
 * jtorch's public API: {@link dev.jtorch.Torch} (the {@code torch.*} namespace), {@link dev.jtorch.Tensor}
 * (a thin facade over the dispatcher), {@link dev.jtorch.Generator}, printing, and the layer-0 value
 * types {@link dev.jtorch.DType}, {@link dev.jtorch.Device} and {@link dev.jtorch.Size} (which import java.base only).
 *
 * <p>Owns: the dispatcher (checks, promotion, broadcasting, autocast, backend calls, graph recording),
 * composite ops, indexing, creation, the argument checks and messages of sampling ({@code Sampling}) and
 * {@code torch.linalg} ({@code LinalgImpl}), pinned-memory tensors ({@code PinnedMemory}), memory scopes ({@link dev.jtorch.TensorScope}) and mixed precision
 * ({@link dev.jtorch.Autocast}). May import {@code ops}, {@code backend} and {@code autograd} (the one allowed cycle), never a backend's
 * own package ({@code backend.cpu}, {@code backend.cuda}) except {@code TorchCuda}, the {@code torch.cuda} namespace.
 */
package dev.jtorch;
