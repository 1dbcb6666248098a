/**
 * {@code torch.amp}: {@link dev.jtorch.amp.GradScaler}, the loss scaling of mixed-precision training.
 * The autocast guard itself is {@link dev.jtorch.Autocast} ({@code Torch.autocast(...)}), part of the
 * dispatcher. Written against jtorch's public API; may import {@code dev.jtorch}, {@code dev.jtorch.autograd}
 * and {@code dev.jtorch.optim} (the scaler steps an {@code Optimizer}, as torch.amp's takes torch.optim's).
 */
package dev.jtorch.amp;
