package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.backend.Kernel;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Backends;
import dev.jtorch.backend.Strided;
import dev.jtorch.backend.cuda.Codegen.K;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.ScanOp;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * CUMSUM and CUMPROD along one dim: a thread per line when there are many lines, else a block per
 * line scanning chunks with warp shuffles and carrying the total forward. Accumulation is in
 * float for float16/bfloat16/float32 (as PyTorch's CUDA kernels), double, or long long.
 *
 * <p>ARGSORT is not a device kernel yet: the input is copied to the host, sorted by the CPU
 * backend (stable, NaN last) and the indices copied back.
 */
final class ScanKernels {
    private ScanKernels() {}

    record Spec(Op op, DType in, DType out, char strategy, int lrank, boolean idx32, int threads) implements KernelCache.Spec {
        @Override public String key() { return "scan:" + op + ":" + in + ":" + out + ":" + strategy + ":r" + lrank + (idx32 ? ":i32" : ":i64") + ":t" + threads; }

        @Override public String source() {
            K k = Codegen.kind(in);
            String t = Codegen.ctype(k);
            String comb = op == ScanOp.CUMSUM ? (k == K.L ? "(ll)((ull)a + (ull)b)" : "a + b") : (k == K.L ? "(ll)((ull)a * (ull)b)" : "a * b");
            String ident = op == ScanOp.CUMSUM ? "0" : "1";
            StringBuilder s = new StringBuilder();
            s.append("typedef ").append(idx32 ? "unsigned int" : "ull").append(" IDX;\n");
            s.append("typedef ").append(t).append(" A;\n");
            s.append("struct jt_sh { IDX s[").append(Math.max(1, lrank)).append("]; };\n");
            s.append("JT_DEV A comb(A a, A b) { return ").append(comb).append("; }\n");
            s.append("extern \"C\" __global__ void __launch_bounds__(").append(threads).append(") k(").append(Codegen.stype(out))
                    .append("* o, const ").append(Codegen.stype(in)).append("* p, IDX lines, IDX len, IDX sin, IDX sout, jt_sh sh, jt_sh si, jt_sh so) {\n");
            if (strategy == 'T') {
                s.append("  const IDX li = (IDX)blockIdx.x * ").append(threads).append(" + threadIdx.x;\n  if (li >= lines) return;\n");
            } else {
                s.append("  const IDX li = blockIdx.x;\n");
            }
            s.append("  IDX ib = 0, ob = 0;\n");
            ReduceKernels.decompose(s, "  ", "li", lrank, "sh", List.of("ib", "ob"), List.of("si", "so"));
            if (strategy == 'T') {
                s.append("  A acc = (A)").append(ident).append(";\n");
                s.append("  for (IDX j = 0; j < len; j++) {\n");
                s.append("    acc = comb(acc, ").append(Codegen.load(in, "p[ib + j * sin]", k)).append(");\n");
                s.append("    o[ob + j * sout] = ").append(Codegen.store(out, "acc", k)).append(";\n  }\n}\n");
                return s.toString();
            }
            int nw = threads / 32;
            s.append("  __shared__ A ws[32];\n");
            s.append("  const int lane = threadIdx.x & 31, w = threadIdx.x >> 5;\n");
            s.append("  A carry = (A)").append(ident).append(";\n");
            s.append("  for (IDX base = 0; base < len; base += ").append(threads).append(") {\n");
            s.append("    const IDX j = base + threadIdx.x;\n");
            s.append("    A v = j < len ? (A)(").append(Codegen.load(in, "p[ib + j * sin]", k)).append(") : (A)").append(ident).append(";\n");
            s.append("    #pragma unroll\n    for (int off = 1; off < 32; off <<= 1) { const A u = __shfl_up_sync(0xffffffffu, v, off); if (lane >= off) v = comb(u, v); }\n");
            s.append("    if (lane == 31) ws[w] = v;\n    __syncthreads();\n");
            s.append("    if (w == 0) {\n      A x = lane < ").append(nw).append(" ? ws[lane] : (A)").append(ident).append(";\n");
            s.append("      #pragma unroll\n      for (int off = 1; off < 32; off <<= 1) { const A u = __shfl_up_sync(0xffffffffu, x, off); if (lane >= off) x = comb(u, x); }\n");
            s.append("      ws[lane] = x;\n    }\n    __syncthreads();\n");
            s.append("    if (w > 0) v = comb(ws[w - 1], v);\n");
            s.append("    v = comb(carry, v);\n");
            s.append("    if (j < len) o[ob + j * sout] = ").append(Codegen.store(out, "v", k)).append(";\n");
            s.append("    carry = comb(carry, ws[").append(nw - 1).append("]);\n");
            s.append("    __syncthreads();\n  }\n}\n");
            return s.toString();
        }
    }

    static void run(CudaBackend be, ScanOp op, Strided out, Strided in, int scanDim, boolean descending) {
        switch (op) {
            case null -> throw new NullPointerException(); // makes javac require a case for every constant
            case ARGSORT -> argsortOnHost(be, out, in, scanDim, descending);
            case CUMSUM, CUMPROD -> scan(be, op, out, in, scanDim);
        }
    }

    private static void scan(CudaBackend be, ScanOp op, Strided out, Strided in, int scanDim) {
        CudaDevice dev = be.dev;
        Operand o = Operand.of(out, dev), x = Operand.of(in, dev);
        if (out.numel() == 0) return;
        Stream stream = dev.currentStream();
        x.storage.materialize(stream);
        be.prepareOutput(out, o.storage, stream);
        int nd = in.dim();
        int dim = nd == 0 ? -1 : scanDim;
        long len = nd == 0 ? 1 : in.shape()[dim];
        long sin = nd == 0 ? 0 : in.stride()[dim], sout = nd == 0 ? 0 : out.stride()[dim];
        long[] lshape = new long[Math.max(0, nd - 1)], li = new long[lshape.length], lo = new long[lshape.length];
        for (int d = 0, j = 0; d < nd; d++) {
            if (d == dim) continue;
            lshape[j] = in.shape()[d];
            li[j] = in.stride()[d];
            lo[j++] = out.stride()[d];
        }
        Layout.Coalesced c = Layout.coalesce(lshape, new long[][]{li, lo});
        long lines = Layout.numel(c.shape());
        if (c.rank() > Layout.MAX_RANK) throw new UnsupportedOperationException(op.torchName() + " on CUDA supports at most " + Layout.MAX_RANK + " other dims");
        char strategy = lines >= 4L * dev.smCount * 32 || len < 64 ? 'T' : 'B';
        int threads = strategy == 'T' ? 128 : (len >= 1024 ? 1024 : len >= 256 ? 256 : 64);
        boolean idx32 = lines < (1L << 31) && len < (1L << 31)
                && Layout.maxOffset(c.shape(), c.strides()[0]) + (len - 1) * sin + threads < (1L << 31)
                && Layout.maxOffset(c.shape(), c.strides()[1]) + (len - 1) * sout + threads < (1L << 31);
        Spec spec = new Spec(op, in.dtype(), out.dtype(), strategy, c.rank(), idx32, threads);
        MemorySegment f = dev.kernels.get(spec);
        Params p = Params.start().ptr(o.address()).ptr(x.address()).idx(lines, idx32).idx(len, idx32).idx(sin, idx32).idx(sout, idx32)
                .idxArray(c.shape(), c.rank(), idx32).idxArray(c.strides()[0], c.rank(), idx32).idxArray(c.strides()[1], c.rank(), idx32);
        long blocks = strategy == 'T' ? (lines + threads - 1) / threads : lines;
        if (blocks > Integer.MAX_VALUE) throw new IllegalArgumentException("too many lines for " + op.torchName() + ": " + lines);
        Driver.launch(f, (int) blocks, 1, 1, threads, 1, 1, 0, stream.handle, p.pointerArray(), spec);
        be.keepAlive(out, new Strided[]{in});
    }

    /** ARGSORT through the host (documented limitation): copy in, sort on the CPU backend, copy the indices back. */
    private static void argsortOnHost(CudaBackend be, Strided out, Strided in, int dim, boolean descending) {
        if (out.numel() == 0) return;
        ArrayStorage host = be.copyToHost(in);
        Strided hin = new Strided(host, in.dtype(), in.shape(), Strided.contiguousStrides(in.shape()), 0);
        ArrayStorage hout = ArrayStorage.allocate(DType.int64, out.numel());
        Strided ho = new Strided(hout, DType.int64, out.shape(), Strided.contiguousStrides(out.shape()), 0);
        Backends.cpu().execute(new Kernel.Scan(ScanOp.ARGSORT, ho, hin, dim, descending));
        be.copyFromHost(hout, out);
    }
}
