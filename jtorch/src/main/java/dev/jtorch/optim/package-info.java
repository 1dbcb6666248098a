/**
 * {@code torch.optim} and {@code torch.optim.lr_scheduler}: {@link dev.jtorch.optim.Optimizer} with its parameter
 * groups and per-parameter state, {@link dev.jtorch.optim.SGD}, {@link dev.jtorch.optim.Adam},
 * {@link dev.jtorch.optim.AdamW}, {@link dev.jtorch.optim.RMSprop}, {@link dev.jtorch.optim.Adagrad}, and the
 * learning-rate schedulers ({@code torch.optim.lr_scheduler.StepLR} is {@link dev.jtorch.optim.StepLR}). The
 * updates follow PyTorch's single-tensor (for-loop) implementations op for op, in place on the parameters under
 * no-grad, so they run on any device. Written against jtorch's public API; may import {@code dev.jtorch},
 * {@code dev.jtorch.autograd} and {@code dev.jtorch.nn}.
 */
package dev.jtorch.optim;
