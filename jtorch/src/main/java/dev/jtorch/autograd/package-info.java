/**
 * Define-by-run autograd: grad mode, the backward graph ({@link dev.jtorch.autograd.Node}), the iterative
 * engine, hooks, custom functions, gradcheck, and {@code Derivatives}, the one table of backward formulas.
 * Imports {@code dev.jtorch} (the allowed cycle) and {@code ops}.
 */
package dev.jtorch.autograd;
