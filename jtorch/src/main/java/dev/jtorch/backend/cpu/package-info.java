/**
 * The CPU backend: Java arrays as storage, kernels over chunked compute buffers, Vector API fast paths,
 * GEMM, and the intra-op fork/join pool. One exhaustive switch over {@code Op}. Imports {@code backend}
 * and {@code ops} only.
 */
package dev.jtorch.backend.cpu;
