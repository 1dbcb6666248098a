/**
 * The CUDA backend through FFM: driver API, NVRTC and cuBLAS bindings, kernels generated per op and
 * dtype and cached, the caching allocator and streams. Imports {@code backend} and {@code ops} only.
 */
package dev.jtorch.backend.cuda;
