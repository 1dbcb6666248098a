package dev.jtorch.backend.cuda;

import static dev.jtorch.backend.cuda.Native.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** cuBLAS (libcublas.so.N from the CUDA toolkit or pip's nvidia-cublas) through FFM: strided batched GEMMs. */
final class Cublas {
    static final int OP_N = 0, OP_T = 1;
    static final int R_32F = 0, R_64F = 1, R_16F = 2, R_16BF = 14;
    static final int COMPUTE_32F = 68, COMPUTE_32F_FAST_TF32 = 77, COMPUTE_64F = 70;
    static final int DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3;
    static final int GEMM_DEFAULT = -1;

    final Path path;
    private final MethodHandle create, setStream, setMathMode, sgemm, dgemm, gemmEx;

    private Cublas(Path path) {
        this.path = path;
        // cuBLAS needs cuBLASLt from its own directory: load that first so the soname resolves.
        for (Path lt : findLibraries("libcublasLt.so")) {
            if (lt.getParent().equals(path.getParent())) {
                try { SymbolLookup.libraryLookup(lt, Arena.global()); } catch (Throwable ignored) { }
                break;
            }
        }
        SymbolLookup lib = SymbolLookup.libraryLookup(path, Arena.global());
        String n = path.toString();
        create = required(lib, n, FunctionDescriptor.of(I, P), "cublasCreate_v2");
        setStream = required(lib, n, FunctionDescriptor.of(I, P, P), "cublasSetStream_v2");
        setMathMode = required(lib, n, FunctionDescriptor.of(I, P, I), "cublasSetMathMode");
        // (handle, transa, transb, m, n, k, alpha*, A, lda, strideA, B, ldb, strideB, beta*, C, ldc, strideC, batch)
        FunctionDescriptor gemm = FunctionDescriptor.of(I, P, I, I, I, I, I, P, J, I, J, J, I, J, P, J, I, J, I);
        sgemm = required(lib, n, gemm, "cublasSgemmStridedBatched");
        dgemm = required(lib, n, gemm, "cublasDgemmStridedBatched");
        // (handle, transa, transb, m, n, k, alpha*, A, Atype, lda, strideA, B, Btype, ldb, strideB, beta*, C, Ctype, ldc, strideC, batch, compute, algo)
        gemmEx = required(lib, n, FunctionDescriptor.of(I, P, I, I, I, I, I, P, J, I, I, J, J, I, I, J, P, J, I, I, J, I, I, I),
                "cublasGemmStridedBatchedEx");
    }

    private static volatile Cublas instance;
    private static volatile String failure;

    static Cublas get(int driverVersion) {
        Cublas c = instance;
        if (c != null) return c;
        synchronized (Cublas.class) {
            if (instance != null) return instance;
            if (failure != null) throw new CudaException(failure);
            List<Path> candidates = new ArrayList<>();
            String override = System.getProperty("jtorch.cuda.cublas", System.getenv("JTORCH_CUBLAS"));
            if (override != null && !override.isBlank()) candidates.add(Path.of(override));
            int driverMajor = driverVersion / 1000;
            List<Path> newer = new ArrayList<>();
            for (Path p : findLibraries("libcublas.so")) (Native.soMajor(p) <= driverMajor ? candidates : newer).add(p);
            candidates.addAll(newer);
            StringBuilder why = new StringBuilder();
            for (Path p : candidates) {
                try {
                    instance = new Cublas(p);
                    return instance;
                } catch (Throwable t) {
                    why.append("\n  ").append(p).append(": ").append(t);
                }
            }
            failure = "cuBLAS (libcublas.so) was not found or could not be loaded; jtorch runs floating point matmul on CUDA with it. "
                    + "Install the CUDA toolkit (or `pip install nvidia-cublas`), add its lib64 to LD_LIBRARY_PATH, "
                    + "or pass -Djtorch.cuda.cublas=/path/to/libcublas.so.N." + why;
            throw new CudaException(failure);
        }
    }

    static String statusName(int s) {
        return switch (s) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "CUBLAS_STATUS_" + s;
        };
    }

    static void check(int rc, String call) {
        if (rc != 0) throw new CudaException("CUDA error: " + statusName(rc) + " when calling `" + call + "`", rc, statusName(rc));
    }

    MemorySegment createHandle() {
        try {
            MemorySegment s = scratch();
            check((int) create.invokeExact(s), "cublasCreate(handle)");
            return s.get(P, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void setStream(MemorySegment handle, MemorySegment stream) {
        try { check((int) setStream.invokeExact(handle, stream), "cublasSetStream(handle, stream)"); } catch (Throwable t) { throw rethrow(t); }
    }

    void setMathMode(MemorySegment handle, int mode) {
        try { check((int) setMathMode.invokeExact(handle, mode), "cublasSetMathMode(handle, mode)"); } catch (Throwable t) { throw rethrow(t); }
    }

    /** One strided batched GEMM in column-major terms; alpha = 1, beta = 0. */
    void gemm(MemorySegment handle, int dtypeCode, int computeType, int transa, int transb, int m, int n, int k,
              long a, int lda, long strideA, long b, int ldb, long strideB, long c, int ldc, long strideC, int batch) {
        MemorySegment s = scratch();
        MemorySegment alpha = s, beta = s.asSlice(16);
        try {
            int rc;
            if (dtypeCode == R_64F) {
                alpha.set(D, 0, 1.0);
                beta.set(D, 0, 0.0);
                rc = (int) dgemm.invokeExact(handle, transa, transb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);
                check(rc, "cublasDgemmStridedBatched");
            } else if (dtypeCode == R_32F && computeType == COMPUTE_32F) {
                alpha.set(F, 0, 1f);
                beta.set(F, 0, 0f);
                rc = (int) sgemm.invokeExact(handle, transa, transb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);
                check(rc, "cublasSgemmStridedBatched");
            } else {
                alpha.set(F, 0, 1f);
                beta.set(F, 0, 0f);
                rc = (int) gemmEx.invokeExact(handle, transa, transb, m, n, k, alpha, a, dtypeCode, lda, strideA, b, dtypeCode, ldb, strideB,
                        beta, c, dtypeCode, ldc, strideC, batch, computeType, GEMM_DEFAULT);
                check(rc, "cublasGemmStridedBatchedEx");
            }
        } catch (Throwable t) { throw rethrow(t); }
    }
}
