/**
 * The CPU backend: Java arrays as storage, kernels over chunked compute buffers, Vector API fast paths,
 * GEMM, the intra-op fork/join pool, the random kernels that reproduce PyTorch's CPU generator
 * ({@code CpuRandom}, {@code CpuGenerator}, {@code MT19937} and the glibc/Cephes replicas) and the host's linear
 * algebra ({@code CpuLinalg}, the LAPACK ports in {@code Lapack}). One class per kind of op (UnaryKernels,
 * BinaryKernels, TernaryKernels, ReduceKernels, CopyKernels, IndexKernels) owns that kind's exhaustive definition
 * switch and its opt-in fast paths. Imports {@code backend} and {@code ops} only.
 */
package dev.jtorch.backend.cpu;
