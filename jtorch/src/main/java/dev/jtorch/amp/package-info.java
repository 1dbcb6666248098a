/**
 * {@code torch.amp}: {@link dev.jtorch.amp.GradScaler}, the loss scaling of mixed-precision training.
 * The autocast guard itself is {@link dev.jtorch.Autocast} ({@code Torch.autocast(...)}), part of the
 * dispatcher. Written against jtorch's public API; may import {@code dev.jtorch} and
 * {@code dev.jtorch.autograd} only.
 */
package dev.jtorch.amp;
