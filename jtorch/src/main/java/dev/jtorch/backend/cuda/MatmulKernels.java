package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;
import dev.jtorch.backend.cuda.Codegen.K;
import java.lang.foreign.MemorySegment;

/**
 * MATMUL (out[b] = a[b] @ b[b] over 3-D views). Floating dtypes go to cuBLAS as one strided batched
 * GEMM: row-major C = A·B is column-major Cᵀ = Bᵀ·Aᵀ, and each operand whose rows or columns are
 * unit-stride maps onto a (possibly transposed) column-major matrix without a copy; other layouts
 * are copied to contiguous first. float16/bfloat16 use cublasGemmStridedBatchedEx with float
 * accumulation; float32 uses TF32 tensor cores only when {@code backends.cuda.matmul.allowTf32(true)}
 * or {@code setFloat32MatmulPrecision("high"/"medium")}. Integer dtypes (which cuBLAS lacks) use a
 * simple tiled kernel accumulating in long long, like the CPU backend.
 */
final class MatmulKernels {
    private MatmulKernels() {}

    /** The float32 matmul precision, pushed here by TorchBackends: "highest", "high" or "medium". */
    static volatile String float32Precision = "highest";

    record IntSpec(DType dtype, boolean idx32) implements KernelCache.Spec {
        @Override public String key() { return "imm:" + dtype + (idx32 ? ":i32" : ":i64"); }

        @Override public String source() {
            String t = Codegen.stype(dtype);
            return "typedef " + (idx32 ? "unsigned int" : "ull") + " IDX;\n"
                    + "extern \"C\" __global__ void __launch_bounds__(256) k(" + t + "* o, const " + t + "* a, const " + t + "* b,\n"
                    + "    IDX M, IDX N, IDX Kd, IDX sab, IDX sam, IDX sak, IDX sbb, IDX sbk, IDX sbn, IDX sob, IDX som, IDX son) {\n"
                    + "  __shared__ ll ta[16][17];\n  __shared__ ll tb[16][17];\n"
                    + "  const IDX batch = blockIdx.z;\n"
                    + "  const IDX row = (IDX)blockIdx.y * 16 + threadIdx.y, col = (IDX)blockIdx.x * 16 + threadIdx.x;\n"
                    + "  const " + t + "* A = a + batch * sab;\n  const " + t + "* B = b + batch * sbb;\n"
                    + "  ll acc = 0;\n"
                    + "  for (IDX k0 = 0; k0 < Kd; k0 += 16) {\n"
                    + "    const IDX ka = k0 + threadIdx.x, kb = k0 + threadIdx.y;\n"
                    + "    ta[threadIdx.y][threadIdx.x] = (row < M && ka < Kd) ? " + Codegen.load(dtype, "A[row * sam + ka * sak]", K.L) + " : 0;\n"
                    + "    tb[threadIdx.y][threadIdx.x] = (kb < Kd && col < N) ? " + Codegen.load(dtype, "B[kb * sbk + col * sbn]", K.L) + " : 0;\n"
                    + "    __syncthreads();\n"
                    + "    #pragma unroll\n    for (int k = 0; k < 16; k++) acc = (ll)((ull)acc + (ull)ta[threadIdx.y][k] * (ull)tb[k][threadIdx.x]);\n"
                    + "    __syncthreads();\n  }\n"
                    + "  if (row < M && col < N) o[batch * sob + row * som + col * son] = " + Codegen.store(dtype, "acc", K.L) + ";\n}\n";
        }
    }

    /** How one row-major matrix operand maps onto cuBLAS's column-major view of its transpose. */
    private record Mat(int op, long ld) {}

    /**
     * For a row-major [rows, cols] matrix with strides (sr, sc): cuBLAS sees its transpose
     * ([cols, rows] column-major). OP_N with ld = sr when columns are unit-stride, OP_T with ld = sc
     * when rows are; null when neither.
     */
    private static Mat map(long rows, long cols, long sr, long sc) {
        if ((sc == 1 || cols <= 1) && (sr >= Math.max(1, cols) || rows <= 1)) return new Mat(Cublas.OP_N, rows <= 1 ? Math.max(1, cols) : sr);
        if ((sr == 1 || rows <= 1) && (sc >= Math.max(1, rows) || cols <= 1)) return new Mat(Cublas.OP_T, cols <= 1 ? Math.max(1, rows) : sc);
        return null;
    }

    static void run(CudaBackend be, Strided out, Strided a, Strided b) {
        CudaDevice dev = be.dev;
        Operand oo = Operand.of(out, dev), ao = Operand.of(a, dev), bo = Operand.of(b, dev);
        if (ao.scalar || bo.scalar) throw new IllegalArgumentException("matmul expects CUDA tensors");
        if (a.dim() != 3 || b.dim() != 3 || out.dim() != 3) throw new IllegalArgumentException("MATMUL expects 3-D operands");
        long batch = out.shape()[0], m = a.shape()[1], k = a.shape()[2], n = b.shape()[2];
        if (b.shape()[1] != k || out.shape()[1] != m || out.shape()[2] != n || a.shape()[0] != batch || b.shape()[0] != batch)
            throw new IllegalArgumentException("MATMUL shapes " + java.util.Arrays.toString(a.shape()) + " @ " + java.util.Arrays.toString(b.shape())
                    + " -> " + java.util.Arrays.toString(out.shape()));
        if (out.numel() == 0) return;
        Stream stream = dev.currentStream();
        if (k == 0) {
            be.fill(out, 0L);
            return;
        }
        ao.storage.materialize(stream);
        bo.storage.materialize(stream);
        DType t = out.dtype();
        if (!t.isFloatingPoint()) {
            be.prepareOutput(out, oo.storage, stream);
            integer(be, out, a, b, batch, m, k, n, stream);
            return;
        }
        // C (row-major [m, n]) must have unit column stride and row stride >= n.
        boolean outOk = (out.stride()[2] == 1 || n == 1) && (out.stride()[1] >= Math.max(1, n) || m == 1)
                && (out.stride()[0] >= m * n || batch == 1);
        if (!outOk) {
            Strided tmp = be.contiguousTemp(out.dtype(), out.shape());
            run(be, tmp, a, b);
            be.copy(out, tmp);
            tmp.storage().release(); // stream order makes the block safe to reuse at once
            return;
        }
        Mat ma = map(m, k, a.stride()[1], a.stride()[2]);
        Mat mb = map(k, n, b.stride()[1], b.stride()[2]);
        Strided tmpA = null, tmpB = null;
        if (ma == null) { a = tmpA = be.contiguousCopy(a); ao = Operand.of(a, dev); ma = map(m, k, a.stride()[1], a.stride()[2]); }
        if (mb == null) { b = tmpB = be.contiguousCopy(b); bo = Operand.of(b, dev); mb = map(k, n, b.stride()[1], b.stride()[2]); }
        be.prepareOutput(out, oo.storage, stream);
        long ldc = m <= 1 ? Math.max(1, n) : out.stride()[1];
        long strideA = batch == 1 ? 0 : a.stride()[0], strideB = batch == 1 ? 0 : b.stride()[0], strideC = batch == 1 ? m * n : out.stride()[0];
        for (long v : new long[]{m, n, k, ma.ld, mb.ld, ldc, batch})
            if (v > Integer.MAX_VALUE) throw new UnsupportedOperationException("matmul dimension " + v + " exceeds cuBLAS's 32-bit limit");
        int dtypeCode, compute;
        switch (t) {
            case float64 -> { dtypeCode = Cublas.R_64F; compute = Cublas.COMPUTE_64F; }
            case float32 -> {
                dtypeCode = Cublas.R_32F;
                compute = float32Precision.equals("highest") ? Cublas.COMPUTE_32F : Cublas.COMPUTE_32F_FAST_TF32;
            }
            case float16 -> { dtypeCode = Cublas.R_16F; compute = Cublas.COMPUTE_32F; }
            case bfloat16 -> { dtypeCode = Cublas.R_16BF; compute = Cublas.COMPUTE_32F; }
            default -> throw new IllegalStateException();
        }
        int math = compute == Cublas.COMPUTE_32F_FAST_TF32 ? Cublas.TF32_TENSOR_OP_MATH : Cublas.DEFAULT_MATH;
        Cublas lib = Cublas.get(dev.driverVersion);
        dev.makeCurrent();
        // column-major: C^T[n, m] = op(B^T)[n, k] * op(A^T)[k, m]
        synchronized (dev) {
            MemorySegment handle = dev.cublas(lib, stream.handle, math);
            lib.gemm(handle, dtypeCode, compute, mb.op, ma.op, (int) n, (int) m, (int) k,
                    bo.address(), (int) mb.ld, strideB, ao.address(), (int) ma.ld, strideA,
                    oo.address(), (int) ldc, strideC, (int) batch);
        }
        be.keepAlive(out, new Strided[]{a, b});
        // the contiguous copies go back at once (stream order makes that safe), not when the GC finds them
        if (tmpA != null) tmpA.storage().release();
        if (tmpB != null) tmpB.storage().release();
    }

    private static void integer(CudaBackend be, Strided out, Strided a, Strided b, long batch, long m, long k, long n, Stream stream) {
        CudaDevice dev = be.dev;
        long maxOff = Math.max(Math.max(Layout.maxOffset(a.shape(), a.stride()), Layout.maxOffset(b.shape(), b.stride())),
                Layout.maxOffset(out.shape(), out.stride()));
        boolean idx32 = maxOff < (1L << 31) && m < (1L << 31) && n < (1L << 31) && k < (1L << 31);
        IntSpec spec = new IntSpec(out.dtype(), idx32);
        MemorySegment f = dev.kernels.get(spec);
        Params p = Params.start().ptr(Operand.of(out, dev).address()).ptr(Operand.of(a, dev).address()).ptr(Operand.of(b, dev).address())
                .idx(m, idx32).idx(n, idx32).idx(k, idx32)
                .idx(a.stride()[0], idx32).idx(a.stride()[1], idx32).idx(a.stride()[2], idx32)
                .idx(b.stride()[0], idx32).idx(b.stride()[1], idx32).idx(b.stride()[2], idx32)
                .idx(out.stride()[0], idx32).idx(out.stride()[1], idx32).idx(out.stride()[2], idx32);
        long gx = (n + 15) / 16, gy = (m + 15) / 16;
        if (gx > Integer.MAX_VALUE || gy > 65535 || batch > 65535)
            throw new UnsupportedOperationException("integer matmul on CUDA: grid too large for " + batch + "x" + m + "x" + n);
        Driver.launch(f, (int) gx, (int) gy, (int) batch, 16, 16, 1, 0, stream.handle, p.pointerArray(), spec);
        be.keepAlive(out, new Strided[]{a, b});
    }
}
