/**
 * The CUDA backend through FFM: driver API ({@code Driver}), NVRTC ({@code Nvrtc}) and cuBLAS
 * ({@code Cublas}) bindings, each call's result code checked and turned into a {@link
 * dev.jtorch.backend.cuda.CudaException} naming the error. Imports {@code backend} and {@code ops} only.
 *
 * <ul>
 *   <li>Kernels are CUDA C++ generated per (op, dtypes, layout) — {@code EwKernels},
 *       {@code ReduceKernels}, {@code ScanKernels}, {@code IndexKernels}, {@code MatmulKernels} — and
 *       compiled with NVRTC for the device's architecture; {@code KernelCache} keeps them in memory
 *       and on disk ({@code ~/.cache/jtorch/cuda}). Dims are merged where every operand allows;
 *       dense operands get 16-byte vector loads, strided ones offsets from shape/stride parameters.</li>
 *   <li>Memory: {@code Allocator} caches blocks by size class (small ones carved from 2 MiB
 *       segments); a {@code CudaStorage}'s block returns when the storage becomes unreachable
 *       (a Cleaner; a background GC is requested every 1 GiB of fresh device memory) or when a
 *       {@code TensorScope} closes ({@code Storage.release()}: a released storage refuses every later
 *       use with an IllegalStateException); out of memory frees the cache, collects and retries before
 *       throwing {@link dev.jtorch.backend.cuda.CudaOutOfMemoryError}. Fresh storage reads as zeros,
 *       written lazily.</li>
 *   <li>Random numbers: each device has a {@link dev.jtorch.backend.cuda.CudaGenerator} (seed and Philox
 *       offset, like PyTorch's CUDA generator); {@code RandomKernels} draws on the device with
 *       Philox4x32-10 in PyTorch's grid-stride layout, so a seed gives PyTorch's CUDA numbers;
 *       {@link dev.jtorch.backend.cuda.Philox} is the host reference.</li>
 *   <li>{@link dev.jtorch.backend.cuda.Stream} and {@link dev.jtorch.backend.cuda.Event}: one current
 *       stream per thread (the legacy default stream unless changed).</li>
 *   <li>Pinned host memory: {@link dev.jtorch.backend.cuda.PinnedStorage} ({@code cuMemAllocHost}) is a CPU
 *       storage in native memory ({@link dev.jtorch.backend.SegmentStorage}: CPU kernels run on staged
 *       arrays), allocated through {@code Backend.allocatePinned}. {@code CudaBackend.copyFromPinned} / {@code copyToPinned} queue copies between it and the
 *       device on the current stream and return at once when non-blocking. Every such copy records an event
 *       on the pinned storage, whose cleaner waits for them before {@code cuMemFreeHost}; and a device block
 *       used by a copy on a stream other than its allocation stream gets events recorded there when it is
 *       freed, which its next user's stream waits for (PyTorch's {@code record_stream}, automatic). Pinned
 *       blocks are not cached (one driver allocation per storage).</li>
 *   <li>Known limits: ARGSORT sorts on the host; a scan over one very long line runs in one block;
 *       randperm is drawn by the CPU generator and copied; integer division by zero gives an
 *       unspecified value (no error), as in PyTorch on CUDA.</li>
 * </ul>
 */
package dev.jtorch.backend.cuda;
