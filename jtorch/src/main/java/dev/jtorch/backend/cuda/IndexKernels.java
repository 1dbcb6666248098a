package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * INDEX (gather through int64 index tensors) and INDEX_PUT (scatter, optionally accumulating with
 * atomics; float16/bfloat16 and the sub-word integer types through a 32-bit compare-and-swap).
 * Indices are bounds-checked on the device: an out-of-range index skips its element and records
 * itself in an error word that the host reads after the kernel, then throws the CPU backend's
 * IndexOutOfBoundsException (unlike PyTorch's device-side assert, the context stays usable).
 * Non-accumulating writes with duplicate indices keep one of the values, unspecified which (as in
 * PyTorch on CUDA).
 */
final class IndexKernels {
    private IndexKernels() {}

    static final int THREADS = 256, MAX_INDICES = 16;

    record Spec(boolean put, boolean accumulate, DType dtype, char[] modes, int rank, boolean idx32) implements KernelCache.Spec {
        @Override public boolean equals(Object o) {
            return o instanceof Spec s && s.put == put && s.accumulate == accumulate && s.dtype == dtype && s.rank == rank
                    && s.idx32 == idx32 && java.util.Arrays.equals(s.modes, modes);
        }

        @Override public int hashCode() { return java.util.Objects.hash(put, accumulate, dtype, rank, idx32, java.util.Arrays.hashCode(modes)); }

        @Override public String key() {
            return "idx:" + (put ? (accumulate ? "putacc" : "put") : "get") + ":" + dtype + ":" + new String(modes) + ":r" + rank + (idx32 ? ":i32" : ":i64");
        }

        private String atomic(String ptr, String v) {
            return switch (dtype) {
                case float32, float64, int32, int64, int16, int8 -> "jt_atomic_add(" + ptr + ", " + v + ")";
                case float16 -> "jt_atomic_add_f16(" + ptr + ", h2f(" + v + "))";
                case bfloat16 -> "jt_atomic_add_bf16(" + ptr + ", bf2f(" + v + "))";
                case uint8 -> "jt_atomic_add_u8(" + ptr + ", (ll)" + v + ")";
                case bool -> "jt_atomic_or_bool(" + ptr + ", (ll)" + v + ")";
            };
        }

        /** modes[0]: out, modes[1]: the other data operand (src for INDEX, values for INDEX_PUT), then the indices. */
        @Override public String source() {
            String t = Codegen.stype(dtype);
            int nidx = modes.length - 2;
            StringBuilder s = new StringBuilder();
            s.append("typedef ").append(idx32 ? "unsigned int" : "ull").append(" IDX;\n");
            s.append("struct jt_sh { IDX s[").append(Math.max(1, rank)).append("]; };\n");
            s.append("struct jt_ix { ll stride[").append(Math.max(1, nidx)).append("]; ll size[").append(Math.max(1, nidx)).append("]; };\n");
            s.append("extern \"C\" __global__ void __launch_bounds__(").append(THREADS).append(") k(").append(t).append("* o, ");
            s.append(put ? "const " + t + "* p" : "const " + t + "* p");
            for (int k = 0; k < nidx; k++) {
                if (modes[2 + k] == 'v') s.append(", ll s").append(k);
                else s.append(", const ll* q").append(k);
            }
            s.append(", IDX n, jt_sh sh");
            List<String> offs = new ArrayList<>(), strs = new ArrayList<>();
            String[] names = new String[modes.length];
            names[0] = "oo";
            names[1] = "op";
            for (int k = 0; k < nidx; k++) names[2 + k] = "oq" + k;
            for (int j = 0; j < modes.length; j++) {
                if (modes[j] == 's') {
                    s.append(", jt_sh st").append(j);
                    offs.add(names[j]);
                    strs.add("st" + j);
                }
            }
            s.append(", jt_ix ix, ull* err) {\n");
            s.append("  const IDX i = (IDX)blockIdx.x * ").append(THREADS).append(" + threadIdx.x;\n  if (i >= n) return;\n");
            for (String off : offs) s.append("  IDX ").append(off).append(" = 0;\n");
            ReduceKernels.decompose(s, "  ", "i", rank, "sh", offs, strs);
            for (int j = 0; j < modes.length; j++) {
                if (modes[j] == 'c') s.append("  const IDX ").append(names[j]).append(" = i;\n");
                if (modes[j] == 'z') s.append("  const IDX ").append(names[j]).append(" = 0;\n");
            }
            // the indexed side: INDEX reads p at base + sum(idx * stride); INDEX_PUT writes o there
            String baseOff = put ? "oo" : "op";
            s.append("  ll off = (ll)").append(baseOff).append(";\n");
            for (int k = 0; k < nidx; k++) {
                s.append("  {\n    ll v = ").append(modes[2 + k] == 'v' ? "s" + k : "q" + k + "[oq" + k + "]").append(";\n");
                s.append("    const ll size = ix.size[").append(k).append("];\n");
                s.append("    if (v < -size || v >= size) {\n");
                s.append("      if (atomicCAS(err, 0ULL, 1ULL) == 0ULL) { err[1] = ").append(k).append("; err[2] = (ull)v; err[3] = (ull)size; }\n");
                s.append("      return;\n    }\n");
                s.append("    if (v < 0) v += size;\n    off += v * ix.stride[").append(k).append("];\n  }\n");
            }
            if (!put) {
                s.append("  o[oo] = p[off];\n");
            } else if (!accumulate) {
                s.append("  o[off] = p[op];\n");
            } else {
                s.append("  ").append(atomic("&o[off]", "p[op]")).append(";\n");
            }
            s.append("}\n");
            return s.toString();
        }
    }

    /**
     * INDEX: out[i] = in[offset(i) + sum_k idx_k[i] * strides[k]]; INDEX_PUT: out[offset(i) + ...] (+)= values[i].
     * {@code inputs[0]} is the source (INDEX) or the values (INDEX_PUT), then the int64 index tensors.
     */
    static void run(CudaBackend be, boolean put, Strided out, Strided[] inputs, long[] strides, long[] sizes, boolean accumulate) {
        CudaDevice dev = be.dev;
        int nidx = inputs.length - 1;
        if (nidx != strides.length || nidx != sizes.length) throw new IllegalArgumentException("index: " + nidx + " index tensors but "
                + strides.length + " strides and " + sizes.length + " sizes");
        if (nidx > MAX_INDICES) throw new UnsupportedOperationException("at most " + MAX_INDICES + " index tensors on CUDA");
        // The iteration space: out's shape for INDEX, the values' (index) shape for INDEX_PUT.
        Strided space = put ? out : out;
        long[] shape = space.shape();
        long n = Layout.numel(shape);
        if (n == 0) return;
        Operand data = Operand.of(inputs[0], dev);
        Operand[] idx = new Operand[nidx];
        for (int k = 0; k < nidx; k++) {
            idx[k] = Operand.of(inputs[1 + k], dev);
            if (idx[k].dtype != DType.int64) throw new IllegalArgumentException("index tensors must be int64, got " + idx[k].dtype);
        }
        if (data.scalar) throw new IllegalArgumentException("index: the data operand must be a CUDA tensor");
        // The indexed operand (INDEX: the source; INDEX_PUT: the destination) is restrided over the iteration
        // space; every reachable element must be inside its allocation.
        Strided indexed = put ? out : inputs[0];
        CudaStorage indexedStorage = (CudaStorage) indexed.storage();
        long reach = indexed.offset() + Layout.maxOffset(indexed.shape(), indexed.stride());
        for (int k = 0; k < nidx; k++) {
            if (sizes[k] < 0 || strides[k] < 0) throw new IllegalArgumentException("negative index size or stride");
            if (sizes[k] == 0) continue;
            reach += (sizes[k] - 1) * strides[k];
        }
        if (reach >= indexedStorage.numel)
            throw new IllegalStateException("indexed view reaches element " + reach + " of a CUDA storage of " + indexedStorage.numel);
        Stream stream = dev.currentStream();
        data.storage.materialize(stream);
        for (Operand q : idx) if (!q.scalar) q.storage.materialize(stream);
        CudaStorage outStorage = (CudaStorage) out.storage();
        if (put) outStorage.materialize(stream);
        else be.prepareOutput(out, outStorage, stream);

        Strided other = put ? inputs[0] : inputs[0]; // values (put) or source (get), both walked over the space
        long[][] st = new long[2 + nidx][];
        st[0] = out.stride();
        st[1] = other.stride();
        for (int k = 0; k < nidx; k++) st[2 + k] = idx[k].scalar ? null : inputs[1 + k].stride();
        Layout.Coalesced c = Layout.coalesce(shape, st);
        if (c.rank() > Layout.MAX_RANK) throw new UnsupportedOperationException("indexing on CUDA supports at most " + Layout.MAX_RANK + " non-mergeable dims");
        char[] modes = new char[2 + nidx];
        boolean idx32 = n < (1L << 31);
        for (int j = 0; j < modes.length; j++) {
            long[] sj = c.strides()[j];
            if (sj == null) modes[j] = 'v';
            else if (Layout.allZero(sj)) modes[j] = 'z';
            else if (Layout.dense(c.shape(), sj)) modes[j] = 'c';
            else modes[j] = 's';
            if (sj != null) idx32 &= Layout.maxOffset(c.shape(), sj) < (1L << 31);
        }
        // For the indexed operand the kernel adds idx * stride in 64-bit, so only its base walk must fit.
        Spec spec = new Spec(put, accumulate, out.dtype(), modes, c.rank(), idx32);
        MemorySegment f = dev.kernels.get(spec);
        Allocator.Block err = dev.allocator.malloc(32, stream.handle);
        try {
            Driver.memsetD8Async(err.ptr, (byte) 0, 32, stream.handle);
            Params p = Params.start().ptr(Operand.of(out, dev).address()).ptr(data.address());
            for (int k = 0; k < nidx; k++) {
                if (idx[k].scalar) p.i64(idx[k].longValue);
                else p.ptr(idx[k].address());
            }
            p.idx(n, idx32).idxArray(c.shape(), c.rank(), idx32);
            for (int j = 0; j < modes.length; j++) if (modes[j] == 's') p.idxArray(c.strides()[j], c.rank(), idx32);
            p.i64Array(concat(strides, sizes, Math.max(1, nidx)), 2 * Math.max(1, nidx));
            p.ptr(err.ptr);
            long blocks = (n + THREADS - 1) / THREADS;
            if (blocks > Integer.MAX_VALUE) throw new IllegalArgumentException("index: too many elements " + n);
            Driver.launch(f, (int) blocks, 1, 1, THREADS, 1, 1, 0, stream.handle, p.pointerArray(), spec);
            long[] e = readWords(err.ptr, stream);
            if (e[0] != 0)
                throw new IndexOutOfBoundsException("index " + e[2] + " is out of bounds for dimension " + e[1] + " with size " + e[3]);
        } finally {
            dev.allocator.free(err);
        }
        be.keepAlive(out, inputs);
    }

    /** strides then sizes, each padded to {@code n} entries (the layout of struct jt_ix). */
    private static long[] concat(long[] strides, long[] sizes, int n) {
        long[] r = new long[2 * n];
        System.arraycopy(strides, 0, r, 0, strides.length);
        System.arraycopy(sizes, 0, r, n, sizes.length);
        return r;
    }

    private static long[] readWords(long ptr, Stream stream) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(32, 8);
            Driver.memcpyDtoHAsync(host, ptr, 32, stream.handle);
            Driver.streamSynchronize(stream.handle);
            return host.toArray(ValueLayout.JAVA_LONG);
        }
    }
}
