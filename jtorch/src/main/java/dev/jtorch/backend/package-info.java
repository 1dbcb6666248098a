/**
 * The small {@link dev.jtorch.backend.Backend} interface every device implements, storage and strided
 * views, and {@link dev.jtorch.backend.Backends} (device to backend, lazily). Imports {@code ops} and the
 * value types; never {@code Tensor}, autograd or nn.
 */
package dev.jtorch.backend;
