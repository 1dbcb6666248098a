/**
 * The small {@link dev.jtorch.backend.Backend} interface every device implements, storage and strided
 * views, and {@link dev.jtorch.backend.Backends} (device to backend, lazily). Besides the ops, a backend
 * owns its device's random sampling ({@link dev.jtorch.backend.Sample} drawn from a
 * {@link dev.jtorch.backend.RandomEngine}), host copies (pageable, and pinned with non-blocking variants)
 * and the linear-algebra routines ({@link dev.jtorch.backend.Linalg}). Imports {@code ops} and the
 * value types; never {@code Tensor}, autograd or nn.
 */
package dev.jtorch.backend;
