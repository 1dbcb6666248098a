/**
 * The closed registry of primitive ops ({@link dev.jtorch.ops.Op}): names, kinds and dtype rules.
 * Pure data: imports only the value types DType, Device and Size.
 */
package dev.jtorch.ops;
