/**
 * The CPU backend: Java arrays as storage, kernels over chunked compute buffers, Vector API fast paths,
 * GEMM, and the intra-op fork/join pool. One class per kind of op (UnaryKernels, BinaryKernels,
 * TernaryKernels, ReduceKernels, CopyKernels, IndexKernels) owns that kind's exhaustive definition
 * switch and its opt-in fast paths. Imports {@code backend} and {@code ops} only.
 */
package dev.jtorch.backend.cpu;
