package dev.jtorch.backend.cuda;

/** Like {@code torch.OutOfMemoryError}: a device allocation failed even after freeing cached blocks and collecting. */
public class CudaOutOfMemoryError extends CudaException {
    public CudaOutOfMemoryError(String message) { super(message, 2, "CUDA_ERROR_OUT_OF_MEMORY"); }
}
