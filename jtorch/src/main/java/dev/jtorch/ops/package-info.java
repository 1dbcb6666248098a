/**
 * The closed vocabulary of primitive ops ({@link dev.jtorch.ops.Op}): a sealed family of enums, one per kind,
 * with their dtype rules. Pure data: imports only the value types DType, Device and Size.
 */
package dev.jtorch.ops;
