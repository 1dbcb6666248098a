/**
 * Internal: {@link dev.jtorch.internal.TensorAccess}, the one way the layers below the facade read and build
 * tensors' internals (storage, shape, strides, offset, the version counter) without public methods on
 * {@code Tensor}. Not exported by the module. May import the facade's {@code Tensor} and value types and {@code backend}.
 */
package dev.jtorch.internal;
