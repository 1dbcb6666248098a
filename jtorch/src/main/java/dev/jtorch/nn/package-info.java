/**
 * {@code torch.nn}: modules, {@link dev.jtorch.nn.F} (torch.nn.functional), losses and init, written
 * against jtorch's public API only.
 */
package dev.jtorch.nn;
