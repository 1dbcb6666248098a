package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;
import dev.jtorch.backend.cuda.Codegen.K;
import dev.jtorch.ops.ReduceOp;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Reductions over the dims where the output has size 1 (SUM, PROD, MEAN, AMAX, AMIN, ALL, ANY,
 * ARGMAX, ARGMIN). The index space splits into outer (kept) and inner (reduced) dims, each merged
 * where contiguous. Two shapes of kernel:
 * <ul>
 *   <li>A, a block per output: threads stride over the inner elements (16-byte vector loads when
 *       the reduced run is contiguous and aligned), then a warp-shuffle and shared-memory tree;</li>
 *   <li>B, a thread per output: for reductions over outer dims, where neighbouring outputs are
 *       neighbours in memory and loads coalesce across the warp.</li>
 * </ul>
 * When there are too few outputs to fill the GPU the inner range is also split across blocks
 * (grid.y); each writes a partial accumulator and a finalize kernel combines them (two passes).
 * Accumulators: float for float16/bfloat16/float32, double for float64, long long for integers;
 * ARGMAX/ARGMIN keep the first index of the extreme value, NaN counting as the extreme.
 */
final class ReduceKernels {
    private ReduceKernels() {}

    static K accKind(ReduceOp op, DType in) {
        return op == ReduceOp.ALL || op == ReduceOp.ANY ? K.L : Codegen.kind(in);
    }

    static boolean isArg(ReduceOp op) { return op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN; }

    static int accBytes(ReduceOp op, DType in) {
        if (isArg(op)) return 16;
        return accKind(op, in) == K.F ? 4 : 8;
    }

    /** The accumulator type, identity, combine and finalize definitions shared by a reduction's kernels. */
    static String accDefs(ReduceOp op, DType in, DType out, int threads) {
        K k = accKind(op, in);
        String t = Codegen.ctype(k);
        StringBuilder s = new StringBuilder();
        if (isArg(op)) {
            String cmp = op == ReduceOp.ARGMAX ? ">" : "<";
            s.append("struct A { ").append(t).append(" v; ll i; };\n");
            s.append("JT_DEV A ident() { A a; a.v = 0; a.i = -1; return a; }\n");
            s.append("JT_DEV A elem(").append(t).append(" v, ll j) { A a; a.v = v; a.i = j; return a; }\n");
            s.append("JT_DEV A comb(A a, A b) {\n  if (a.i < 0) return b;\n  if (b.i < 0) return a;\n");
            if (k != K.L) {
                s.append("  const bool an = a.v != a.v, bn = b.v != b.v;\n");
                s.append("  if (an || bn) { if (an && bn) return a.i < b.i ? a : b; return an ? a : b; }\n");
            }
            s.append("  if (a.v ").append(cmp).append(" b.v) return a;\n  if (b.v ").append(cmp).append(" a.v) return b;\n");
            s.append("  return a.i < b.i ? a : b;\n}\n");
            s.append("JT_DEV A shfl(A a, int off) { A r; r.v = __shfl_down_sync(0xffffffffu, a.v, off); r.i = __shfl_down_sync(0xffffffffu, a.i, off); return r; }\n");
        } else {
            s.append("typedef ").append(t).append(" A;\n");
            String ident = switch (op) {
                case SUM, MEAN, ANY -> "0";
                case PROD, ALL -> "1";
                case AMAX -> k == K.L ? "(-9223372036854775807LL - 1)" : "-JT_INF";
                case AMIN -> k == K.L ? "9223372036854775807LL" : "JT_INF";
                case ARGMAX, ARGMIN -> throw new IllegalArgumentException(op.name());
            };
            s.append("JT_DEV A ident() { return (A)(").append(ident).append("); }\n");
            String comb = switch (op) {
                case SUM, MEAN -> k == K.L ? "(ll)((ull)a + (ull)b)" : "a + b";
                case PROD -> k == K.L ? "(ll)((ull)a * (ull)b)" : "a * b";
                case AMAX -> k == K.L ? "(a > b ? a : b)" : "jmax(a, b)";
                case AMIN -> k == K.L ? "(a < b ? a : b)" : "jmin(a, b)";
                case ALL -> "(a & b)";
                case ANY -> "(a | b)";
                case ARGMAX, ARGMIN -> throw new IllegalArgumentException(op.name());
            };
            s.append("JT_DEV A comb(A a, A b) { return ").append(comb).append("; }\n");
            s.append("JT_DEV A shfl(A a, int off) { return __shfl_down_sync(0xffffffffu, a, off); }\n");
        }
        s.append("JT_DEV A warp_reduce(A a) {\n  #pragma unroll\n  for (int off = 16; off > 0; off >>= 1) a = comb(a, shfl(a, off));\n  return a;\n}\n");
        s.append("JT_DEV A block_reduce(A a) {\n  a = warp_reduce(a);\n");
        if (threads > 32) {
            s.append("  __shared__ A sh[32];\n  const int lane = threadIdx.x & 31, w = threadIdx.x >> 5;\n");
            s.append("  if (lane == 0) sh[w] = a;\n  __syncthreads();\n");
            s.append("  a = threadIdx.x < ").append(threads / 32).append(" ? sh[lane] : ident();\n");
            s.append("  if (w == 0) a = warp_reduce(a);\n");
        }
        s.append("  return a;\n}\n");
        // the value of one input element as an accumulator
        String raw = "x";
        String v = op == ReduceOp.ALL || op == ReduceOp.ANY
                ? "(ll)(" + Codegen.load(in, raw, Codegen.kind(in)) + " != 0)"
                : Codegen.load(in, raw, k);
        if (isArg(op)) s.append("JT_DEV A value(").append(Codegen.stype(in)).append(" x, ll j) { return elem(").append(v).append(", j); }\n");
        else s.append("JT_DEV A value(").append(Codegen.stype(in)).append(" x, ll j) { return ").append(v).append("; }\n");
        // finalize into the output dtype
        String fin = switch (op) {
            case MEAN -> Codegen.store(out, "a / (" + t + ")R", k);
            case ARGMAX, ARGMIN -> Codegen.store(out, "a.i", K.L);
            case SUM, PROD, AMAX, AMIN, ALL, ANY -> Codegen.store(out, "a", k);
        };
        s.append("JT_DEV ").append(Codegen.stype(out)).append(" finish(A a, ull R) { return ").append(fin).append("; }\n");
        return s.toString();
    }

    /** Decomposes {@code idx} over a shape struct into offsets (one per stride struct). */
    static void decompose(StringBuilder s, String indent, String idx, int rank, String shape, List<String> offs, List<String> strides) {
        if (rank == 0 || offs.isEmpty()) return;
        s.append(indent).append("{\n").append(indent).append("  IDX r = ").append(idx).append(";\n");
        if (rank > 1) {
            s.append(indent).append("  #pragma unroll\n").append(indent).append("  for (int d = ").append(rank - 1).append("; d > 0; d--) {\n");
            s.append(indent).append("    const IDX q = r / ").append(shape).append(".s[d]; const IDX c = r - q * ").append(shape).append(".s[d]; r = q;\n");
            for (int i = 0; i < offs.size(); i++) s.append(indent).append("    ").append(offs.get(i)).append(" += c * ").append(strides.get(i)).append(".s[d];\n");
            s.append(indent).append("  }\n");
        }
        for (int i = 0; i < offs.size(); i++) s.append(indent).append("  ").append(offs.get(i)).append(" += r * ").append(strides.get(i)).append(".s[0];\n");
        s.append(indent).append("}\n");
    }

    /** The main reduction kernel: strategy 'A' (block per output) or 'B' (thread per output). */
    record Spec(ReduceOp op, DType in, DType out, char strategy, int orank, int irank, boolean idx32, boolean split, int threads, int vec)
            implements KernelCache.Spec {
        @Override public String key() {
            return "red:" + op + ":" + in + ":" + out + ":" + strategy + ":o" + orank + ":i" + irank + (idx32 ? ":i32" : ":i64")
                    + (split ? ":split" : "") + ":t" + threads + ":v" + vec;
        }

        @Override public String source() {
            StringBuilder s = new StringBuilder();
            s.append("typedef ").append(idx32 ? "unsigned int" : "ull").append(" IDX;\n");
            s.append("struct jt_osh { IDX s[").append(Math.max(1, orank)).append("]; };\n");
            s.append("struct jt_ish { IDX s[").append(Math.max(1, irank)).append("]; };\n");
            s.append(accDefs(op, in, out, strategy == 'A' ? threads : 32));
            String it = Codegen.stype(in), ot = Codegen.stype(out);
            s.append("JT_DEV IDX inner_off(IDX j, const jt_ish& ish, const jt_ish& iis) {\n  IDX off = 0;\n");
            decompose(s, "  ", "j", irank, "ish", List.of("off"), List.of("iis"));
            s.append("  return off;\n}\n");
            s.append("extern \"C\" __global__ void __launch_bounds__(").append(threads).append(") k(").append(ot).append("* o, const ")
                    .append(it).append("* p, A* part, IDX outerN, IDX R, IDX chunk, jt_osh osh, jt_osh ois, jt_osh oos, jt_ish ish, jt_ish iis) {\n");
            if (strategy == 'A') s.append("  const IDX oi = blockIdx.x;\n");
            else s.append("  const IDX oi = (IDX)blockIdx.x * ").append(threads).append(" + threadIdx.x;\n  if (oi >= outerN) return;\n");
            s.append("  IDX ib = 0, ob = 0;\n");
            decompose(s, "  ", "oi", orank, "osh", List.of("ib", "ob"), List.of("ois", "oos"));
            s.append("  const IDX begin = (IDX)blockIdx.y * chunk;\n");
            s.append("  IDX end = begin + chunk;\n  if (end > R || end < begin) end = R;\n");
            s.append("  A acc = ident();\n");
            if (strategy == 'A') {
                if (vec > 1) {
                    String vt = "jt_vec<" + it + ", " + vec + ">";
                    s.append("  const ").append(it).append("* q = p + ib;\n");
                    s.append("  const IDX step = ").append(threads * vec).append(";\n");
                    s.append("  IDX j = begin + threadIdx.x * ").append(vec).append(";\n");
                    s.append("  for (; j + step + ").append(vec).append(" <= end; j += 2 * step) {\n");
                    s.append("    const ").append(vt).append(" x0 = *(const ").append(vt).append("*)(q + j);\n");
                    s.append("    const ").append(vt).append(" x1 = *(const ").append(vt).append("*)(q + j + step);\n");
                    s.append("    #pragma unroll\n    for (int u = 0; u < ").append(vec).append("; u++) acc = comb(acc, value(x0.v[u], 0));\n");
                    s.append("    #pragma unroll\n    for (int u = 0; u < ").append(vec).append("; u++) acc = comb(acc, value(x1.v[u], 0));\n");
                    s.append("  }\n");
                    s.append("  for (; j + ").append(vec).append(" <= end; j += step) {\n");
                    s.append("    const ").append(vt).append(" x0 = *(const ").append(vt).append("*)(q + j);\n");
                    s.append("    #pragma unroll\n    for (int u = 0; u < ").append(vec).append("; u++) acc = comb(acc, value(x0.v[u], 0));\n");
                    s.append("  }\n");
                    s.append("  for (IDX t = begin + ((end - begin) / ").append(vec).append(") * ").append(vec)
                            .append(" + threadIdx.x; t < end; t += ").append(threads).append(") acc = comb(acc, value(q[t], 0));\n");
                } else {
                    s.append("  for (IDX j = begin + threadIdx.x; j < end; j += ").append(threads)
                            .append(") acc = comb(acc, value(p[ib + inner_off(j, ish, iis)], (ll)j));\n");
                }
                s.append("  acc = block_reduce(acc);\n");
                s.append("  if (threadIdx.x != 0) return;\n");
            } else {
                s.append("  for (IDX j = begin; j < end; j++) acc = comb(acc, value(p[ib + inner_off(j, ish, iis)], (ll)j));\n");
            }
            if (split) s.append("  part[(ull)oi * gridDim.y + blockIdx.y] = acc;\n");
            else s.append("  o[ob] = finish(acc, (ull)R);\n");
            s.append("}\n");
            return s.toString();
        }
    }

    /** Second pass: a block per output combines its partial accumulators. */
    record FinishSpec(ReduceOp op, DType in, DType out, int orank, boolean idx32, int threads) implements KernelCache.Spec {
        @Override public String key() { return "redfin:" + op + ":" + in + ":" + out + ":o" + orank + (idx32 ? ":i32" : ":i64") + ":t" + threads; }

        @Override public String source() {
            StringBuilder s = new StringBuilder();
            s.append("typedef ").append(idx32 ? "unsigned int" : "ull").append(" IDX;\n");
            s.append("struct jt_osh { IDX s[").append(Math.max(1, orank)).append("]; };\n");
            s.append(accDefs(op, in, out, threads));
            s.append("extern \"C\" __global__ void __launch_bounds__(").append(threads).append(") k(").append(Codegen.stype(out))
                    .append("* o, const A* part, IDX splits, IDX R, jt_osh osh, jt_osh oos) {\n");
            s.append("  const IDX oi = blockIdx.x;\n  IDX ob = 0;\n");
            decompose(s, "  ", "oi", orank, "osh", List.of("ob"), List.of("oos"));
            s.append("  A acc = ident();\n");
            s.append("  for (IDX t = threadIdx.x; t < splits; t += ").append(threads).append(") acc = comb(acc, part[(ull)oi * splits + t]);\n");
            s.append("  acc = block_reduce(acc);\n");
            s.append("  if (threadIdx.x == 0) o[ob] = finish(acc, (ull)R);\n}\n");
            return s.toString();
        }
    }

    /** The launch plan for one reduction (pure: unit-testable without a GPU). */
    record Plan(char strategy, long[] outerShape, long[] outerIn, long[] outerOut, long[] innerShape, long[] innerIn,
                long outerN, long R, int threads, int vec, long splits, long chunk, boolean idx32) {}

    static Plan plan(ReduceOp op, Strided out, Strided in, long inAddress, int smCount) {
        int nd = in.dim();
        List<long[]> outer = new ArrayList<>(), inner = new ArrayList<>();
        for (int d = 0; d < nd; d++) {
            long is = in.shape()[d];
            if (out.shape()[d] == is) { if (is != 1) outer.add(new long[]{is, in.stride()[d], out.stride()[d]}); }
            else if (out.shape()[d] == 1) inner.add(new long[]{is, in.stride()[d]});
            else throw new IllegalArgumentException("reduction output shape " + java.util.Arrays.toString(out.shape())
                        + " does not match input " + java.util.Arrays.toString(in.shape()));
        }
        long[] os = new long[outer.size()], ois = new long[outer.size()], oos = new long[outer.size()];
        for (int i = 0; i < os.length; i++) { os[i] = outer.get(i)[0]; ois[i] = outer.get(i)[1]; oos[i] = outer.get(i)[2]; }
        long[] is = new long[inner.size()], iis = new long[inner.size()];
        for (int i = 0; i < is.length; i++) { is[i] = inner.get(i)[0]; iis[i] = inner.get(i)[1]; }
        Layout.Coalesced oc = Layout.coalesce(os, new long[][]{ois, oos});
        Layout.Coalesced ic = Layout.coalesce(is, new long[][]{iis});
        os = oc.shape(); ois = oc.strides()[0]; oos = oc.strides()[1];
        is = ic.shape(); iis = ic.strides()[0];
        long outerN = Layout.numel(os), R = Layout.numel(is);
        boolean innerContig = is.length >= 1 && iis[is.length - 1] == 1;
        char strategy;
        if (innerContig) strategy = R >= 32 ? 'A' : 'B';
        else strategy = outerN >= 64 ? 'B' : 'A';
        int threads;
        if (strategy == 'A') threads = R >= 8192 ? 512 : R >= 1024 ? 256 : R >= 256 ? 128 : 64;
        else threads = 256;
        int vec = 1;
        int isz = in.dtype().itemSize();
        if (strategy == 'A' && !isArg(op) && is.length == 1 && iis[0] == 1 && R >= 1024) {
            vec = Math.max(1, 16 / isz);
            if (inAddress % (16L) != 0) vec = 1;
            for (long s : ois) if (s % vec != 0) vec = 1;
        }
        long splits = 1;
        long blocksX = strategy == 'A' ? outerN : (outerN + threads - 1) / threads;
        long desired = 4L * smCount * (strategy == 'A' ? Math.max(1, 512 / threads) : 1);
        if (blocksX < 2L * smCount && R >= 1024) {
            long perBlock = strategy == 'A' ? (long) threads * 8 : 64;
            splits = Math.min((desired + blocksX - 1) / Math.max(1, blocksX), (R + perBlock - 1) / perBlock);
            splits = Math.max(1, Math.min(splits, 65535));
        }
        long chunk = splits == 1 ? Math.max(R, 1) : (R + splits - 1) / splits;
        if (vec > 1) chunk = (chunk + vec - 1) / vec * vec;
        if (splits > 1) splits = (R + chunk - 1) / chunk;
        boolean idx32 = outerN * splits < (1L << 31) && R + chunk < (1L << 31)
                && Layout.maxOffset(os, ois) + Layout.maxOffset(is, iis) + chunk < (1L << 31)
                && Layout.maxOffset(os, oos) < (1L << 31);
        return new Plan(strategy, os, ois, oos, is, iis, outerN, R, threads, vec, splits, chunk, idx32);
    }

    static void run(CudaBackend be, ReduceOp op, Strided out, Strided in) {
        CudaDevice dev = be.dev;
        Operand o = Operand.of(out, dev), x = Operand.of(in, dev);
        if (x.scalar) throw new IllegalArgumentException(op.torchName() + " expects a CUDA tensor");
        Stream stream = dev.currentStream();
        if (out.numel() == 0) return;
        x.storage.materialize(stream);
        be.prepareOutput(out, o.storage, stream);
        Plan p = plan(op, out, in, x.address(), dev.smCount);
        if (p.outerN == 0) return;
        if (p.outerShape.length > Layout.MAX_RANK || p.innerShape.length > Layout.MAX_RANK)
            throw new UnsupportedOperationException(op.torchName() + " on CUDA supports at most " + Layout.MAX_RANK
                    + " non-mergeable kept and reduced dims each");
        boolean split = p.splits > 1;
        Spec spec = new Spec(op, in.dtype(), out.dtype(), p.strategy, p.outerShape.length, p.innerShape.length, p.idx32, split, p.threads, p.vec);
        MemorySegment f = dev.kernels.get(spec);
        Allocator.Block part = split ? dev.allocator.malloc(p.outerN * p.splits * accBytes(op, in.dtype()), stream.handle) : null;
        try {
            Params prm = Params.start().ptr(o.address()).ptr(x.address()).ptr(part == null ? 0 : part.ptr)
                    .idx(p.outerN, p.idx32).idx(p.R, p.idx32).idx(p.chunk, p.idx32)
                    .idxArray(p.outerShape, p.outerShape.length, p.idx32).idxArray(p.outerIn, p.outerShape.length, p.idx32)
                    .idxArray(p.outerOut, p.outerShape.length, p.idx32)
                    .idxArray(p.innerShape, p.innerShape.length, p.idx32).idxArray(p.innerIn, p.innerShape.length, p.idx32);
            long gx = p.strategy == 'A' ? p.outerN : (p.outerN + p.threads - 1) / p.threads;
            if (gx > Integer.MAX_VALUE) throw new IllegalArgumentException("too many reduction outputs: " + p.outerN);
            Driver.launch(f, (int) gx, (int) p.splits, 1, p.threads, 1, 1, 0, stream.handle, prm.pointerArray(), spec);
            if (split) {
                int ft = p.splits >= 256 ? 256 : 32;
                FinishSpec fs = new FinishSpec(op, in.dtype(), out.dtype(), p.outerShape.length, p.idx32, ft);
                MemorySegment g = dev.kernels.get(fs);
                Params q = Params.start().ptr(o.address()).ptr(part.ptr).idx(p.splits, p.idx32).idx(p.R, p.idx32)
                        .idxArray(p.outerShape, p.outerShape.length, p.idx32).idxArray(p.outerOut, p.outerShape.length, p.idx32);
                Driver.launch(g, (int) p.outerN, 1, 1, ft, 1, 1, 0, stream.handle, q.pointerArray(), fs);
            }
        } finally {
            // stream order makes the partials safe to reuse for later work on this stream
            if (part != null) dev.allocator.free(part);
        }
        be.keepAlive(out, new Strided[]{in});
    }
}
