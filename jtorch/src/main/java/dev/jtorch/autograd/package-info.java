/**
 * Define-by-run autograd: grad mode, the backward graph ({@link dev.jtorch.autograd.Node}), the iterative
 * engine, hooks, custom functions, gradcheck, {@code Derivatives}, the one table of backward formulas, and
 * {@code InPlace}, the bookkeeping of in-place ops (leaf checks, rebasing history, CopySlices onto a view's base).
 * Imports {@code dev.jtorch} (the allowed cycle), {@code internal} (tensors' internals) and {@code ops}.
 */
package dev.jtorch.autograd;
