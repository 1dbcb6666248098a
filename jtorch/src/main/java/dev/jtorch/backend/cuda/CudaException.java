package dev.jtorch.backend.cuda;

/** A failed CUDA driver, NVRTC or cuBLAS call: carries the library's error code and name. */
public class CudaException extends RuntimeException {
    private final int code;
    private final String errorName;

    public CudaException(String message, int code, String errorName) {
        super(message);
        this.code = code;
        this.errorName = errorName;
    }

    public CudaException(String message) { this(message, -1, "JTORCH_CUDA_ERROR"); }

    /** The numeric result code (CUresult, nvrtcResult or cublasStatus_t); -1 for errors jtorch raises itself. */
    public int code() { return code; }

    /** The error's symbolic name, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public String errorName() { return errorName; }
}
