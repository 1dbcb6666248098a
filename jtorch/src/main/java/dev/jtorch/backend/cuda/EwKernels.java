package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;
import dev.jtorch.backend.cuda.Codegen.K;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.UnaryOp;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Elementwise kernels: unary and binary ops, WHERE, COPY (dtype conversion and layout change) and
 * FILL. Dims are merged where every operand allows; a kernel is then either linear (all operands
 * dense: vectorized 16-byte loads when aligned) or strided (offsets computed from the shape and
 * per-operand strides passed as kernel parameters, up to {@link Layout#MAX_RANK} dims).
 *
 * <p>Operand modes in a spec: {@code c} dense, {@code s} strided, {@code z} one element broadcast
 * (all strides 0), {@code v} a scalar passed by value.
 *
 * <p>ADD and SUB with an alpha ({@code alpha} in the spec) compute {@code a ± alpha * b} as PyTorch's CUDA kernel
 * does: alpha in the compute type (float for float16/bfloat16/float32, double for float64) and one fused
 * multiply-add, which nvcc's default contraction makes of PyTorch's {@code self + alpha * other}.
 */
final class EwKernels {
    private EwKernels() {}

    static final int THREADS = 256;

    /** What an elementwise kernel computes. */
    enum What { UNARY, BINARY, WHERE, COPY, FILL }

    record Spec(What what, Op op, DType out, DType[] ins, char outMode, char[] modes, int rank, boolean idx32, int vec, boolean alpha)
            implements KernelCache.Spec {

        Spec(What what, Op op, DType out, DType[] ins, char outMode, char[] modes, int rank, boolean idx32, int vec) {
            this(what, op, out, ins, outMode, modes, rank, idx32, vec, false);
        }

        @Override public boolean equals(Object o) {
            return o instanceof Spec s && s.what == what && s.op == op && s.out == out && s.outMode == outMode && s.rank == rank
                    && s.idx32 == idx32 && s.vec == vec && s.alpha == alpha && java.util.Arrays.equals(s.ins, ins)
                    && java.util.Arrays.equals(s.modes, modes);
        }

        @Override public int hashCode() {
            int h = ((what.ordinal() * 31 + (op == null ? 99 : op.hashCode())) * 31 + out.ordinal()) * 31 + outMode;
            h = (h * 31 + rank) * 31 + vec + (idx32 ? 7 : 0) + (alpha ? 13 : 0);
            for (DType t : ins) h = h * 31 + t.ordinal();
            for (char c : modes) h = h * 31 + c;
            return h;
        }

        @Override public String key() {
            StringBuilder k = new StringBuilder("ew:").append(what).append(':').append(op == null ? "-" : op.name()).append(':')
                    .append(out.name()).append(outMode);
            for (int i = 0; i < ins.length; i++) k.append(',').append(ins[i].name()).append(modes[i]);
            return k.append(":r").append(rank).append(idx32 ? ":i32" : ":i64").append(":v").append(vec).append(alpha ? ":alpha" : "").toString();
        }

        /** Per-input compute kinds, the result expression over v0..vn, and the result kind. */
        private record Body(K[] kinds, String expr, K result) {}

        private Body body() {
            switch (what) {
                case UNARY -> {
                    K k = Codegen.kind(ins[0]);
                    return new Body(new K[]{k}, Codegen.unary((UnaryOp) op, k, ins[0], "v0"), Codegen.resultKind(op, k));
                }
                case BINARY -> {
                    DType t = modes[0] != 'v' ? ins[0] : ins[1];
                    K k = Codegen.kind(t);
                    String expr = alpha ? Codegen.addAlpha((BinaryOp) op, k, "v0", "v1", "za") : Codegen.binary((BinaryOp) op, k, t, "v0", "v1");
                    return new Body(new K[]{k, k}, expr, Codegen.resultKind(op, k));
                }
                case WHERE -> {
                    K k = Codegen.kind(out);
                    return new Body(new K[]{K.L, k, k}, "(v0 ? v1 : v2)", k);
                }
                case COPY -> {
                    DType i = ins[0];
                    K k;
                    if (i.isFloatingPoint() && out.isFloatingPoint()) k = (i == DType.float64 || out == DType.float64) ? K.D : K.F;
                    else if (out == DType.bool && i.isFloatingPoint()) k = Codegen.kind(i);
                    else k = K.L;
                    return new Body(new K[]{k}, "v0", k);
                }
                case FILL -> {
                    return new Body(new K[0], null, null);
                }
            }
            throw new IllegalStateException();
        }

        private static String fillValue(DType t) {
            return switch (t) {
                case float32 -> "__int_as_float((int)fillbits)";
                case float64 -> "__longlong_as_double((ll)fillbits)";
                default -> "(" + Codegen.stype(t) + ")fillbits";
            };
        }

        @Override public String source() {
            Body b = body();
            String ot = Codegen.stype(out);
            StringBuilder s = new StringBuilder();
            s.append("typedef ").append(idx32 ? "unsigned int" : "ull").append(" IDX;\n");
            int r = Math.max(1, rank);
            if (vec == 0) s.append("struct jt_sh { IDX s[").append(r).append("]; };\n");
            s.append("extern \"C\" __global__ void __launch_bounds__(").append(THREADS).append(") k(").append(ot).append("* o");
            for (int i = 0; i < ins.length; i++) {
                if (modes[i] == 'v') s.append(", ").append(Codegen.scalarParamType(ins[i])).append(" s").append(i);
                else s.append(", const ").append(Codegen.stype(ins[i])).append("* p").append(i);
            }
            if (what == What.FILL) s.append(", ull fillbits");
            K alphaKind = alpha ? b.kinds[1] : null;
            if (alpha) s.append(alphaKind == K.L ? ", ll alpha" : ", double alpha");
            s.append(", IDX n");
            if (vec == 0) {
                s.append(", jt_sh sh");
                if (outMode == 's') s.append(", jt_sh so");
                for (int i = 0; i < ins.length; i++) if (modes[i] == 's') s.append(", jt_sh st").append(i);
            }
            s.append(") {\n");
            // values that do not depend on the element
            if (alpha) s.append("  const ").append(Codegen.ctype(alphaKind)).append(" za = (").append(Codegen.ctype(alphaKind)).append(")alpha;\n");
            for (int i = 0; i < ins.length; i++) {
                if (modes[i] == 'v') s.append("  const ").append(Codegen.ctype(b.kinds[i])).append(" z").append(i).append(" = ")
                        .append(Codegen.scalar(ins[i], "s" + i, b.kinds[i])).append(";\n");
                if (modes[i] == 'z') s.append("  const ").append(Codegen.ctype(b.kinds[i])).append(" z").append(i).append(" = ")
                        .append(Codegen.load(ins[i], "p" + i + "[0]", b.kinds[i])).append(";\n");
            }
            String result = what == What.FILL ? fillValue(out) : Codegen.store(out, b.expr, b.result);
            if (vec > 0) {
                s.append("  const IDX base = ((IDX)blockIdx.x * ").append(THREADS).append(" + threadIdx.x) * ").append(vec).append(";\n");
                s.append("  if (base >= n) return;\n");
                if (vec > 1) {
                    s.append("  if (base + ").append(vec).append(" <= n) {\n");
                    for (int i = 0; i < ins.length; i++)
                        if (modes[i] == 'c') s.append("    const jt_vec<").append(Codegen.stype(ins[i])).append(", ").append(vec).append("> a").append(i)
                                .append(" = *(const jt_vec<").append(Codegen.stype(ins[i])).append(", ").append(vec).append(">*)(p").append(i).append(" + base);\n");
                    s.append("    jt_vec<").append(ot).append(", ").append(vec).append("> r;\n");
                    s.append("    #pragma unroll\n    for (int j = 0; j < ").append(vec).append("; j++) {\n");
                    appendLoads(s, b, "      ", i -> "a" + i + ".v[j]");
                    s.append("      r.v[j] = ").append(result).append(";\n    }\n");
                    s.append("    *(jt_vec<").append(ot).append(", ").append(vec).append(">*)(o + base) = r;\n");
                    s.append("    return;\n  }\n");
                }
                s.append("  const IDX end = base + ").append(vec).append(" < n ? base + ").append(vec).append(" : n;\n");
                s.append("  for (IDX e = base; e < end; e++) {\n");
                appendLoads(s, b, "    ", i -> "p" + i + "[e]");
                s.append("    o[e] = ").append(result).append(";\n  }\n}\n");
                return s.toString();
            }
            s.append("  const IDX i = (IDX)blockIdx.x * ").append(THREADS).append(" + threadIdx.x;\n");
            s.append("  if (i >= n) return;\n");
            List<String> offs = new ArrayList<>();
            List<String> strs = new ArrayList<>();
            if (outMode == 's') { offs.add("oo"); strs.add("so"); }
            for (int i = 0; i < ins.length; i++) if (modes[i] == 's') { offs.add("o" + i); strs.add("st" + i); }
            if (!offs.isEmpty()) {
                s.append("  IDX ").append(String.join(" = 0, ", offs)).append(" = 0;\n");
                s.append("  {\n    IDX r = i;\n");
                if (rank > 1) {
                    s.append("    #pragma unroll\n    for (int d = ").append(rank - 1).append("; d > 0; d--) {\n");
                    s.append("      const IDX q = r / sh.s[d]; const IDX c = r - q * sh.s[d]; r = q;\n");
                    for (int j = 0; j < offs.size(); j++) s.append("      ").append(offs.get(j)).append(" += c * ").append(strs.get(j)).append(".s[d];\n");
                    s.append("    }\n");
                }
                for (int j = 0; j < offs.size(); j++) s.append("    ").append(offs.get(j)).append(" += r * ").append(strs.get(j)).append(".s[0];\n");
                s.append("  }\n");
            }
            appendLoads(s, b, "  ", i -> modes[i] == 's' ? "p" + i + "[o" + i + "]" : "p" + i + "[i]");
            s.append("  o[").append(outMode == 's' ? "oo" : "i").append("] = ").append(result).append(";\n}\n");
            return s.toString();
        }

        private void appendLoads(StringBuilder s, Body b, String indent, java.util.function.IntFunction<String> raw) {
            for (int i = 0; i < ins.length; i++) {
                s.append(indent).append("const ").append(Codegen.ctype(b.kinds[i])).append(" v").append(i).append(" = ");
                if (modes[i] == 'v' || modes[i] == 'z') s.append("z").append(i);
                else s.append(Codegen.load(ins[i], raw.apply(i), b.kinds[i]));
                s.append(";\n");
            }
        }
    }

    // ---------------------------------------------------------------- launching

    /** Runs an elementwise kernel writing every element of {@code out}. */
    static void run(CudaBackend be, What what, Op op, Strided out, Strided[] inputs, long fillBits) {
        run(be, what, op, out, inputs, fillBits, null);
    }

    /** The same; for ADD and SUB a non-null {@code alpha} (Double or Long) computes {@code a ± alpha * b}. */
    static void run(CudaBackend be, What what, Op op, Strided out, Strided[] inputs, long fillBits, Number alpha) {
        CudaDevice dev = be.dev;
        Operand o = Operand.of(out, dev);
        Operand[] in = new Operand[inputs.length];
        for (int i = 0; i < inputs.length; i++) in[i] = Operand.of(inputs[i], dev);
        long n = out.numel();
        if (n == 0) return;
        Stream stream = dev.currentStream();
        for (Operand x : in) if (!x.scalar) x.storage.materialize(stream);
        be.prepareOutput(out, o.storage, stream);

        long[] base = new long[1 + in.length];
        base[0] = o.address();
        for (int i = 0; i < in.length; i++) base[1 + i] = in[i].scalar ? 0 : in[i].address();
        long[][] strides = new long[1 + in.length][];
        // the common case, every operand dense in the same order, skips the general merge
        boolean dense = out.isContiguous();
        for (int i = 0; i < in.length && dense; i++) dense = in[i].scalar || in[i].view.isContiguous();
        if (dense) {
            long[] one = {1};
            strides[0] = one;
            for (int i = 0; i < in.length; i++) strides[1 + i] = in[i].scalar ? null : one;
            launch(be, what, op, o, in, new long[]{n}, strides, base, fillBits, alpha, stream);
        } else {
            strides[0] = out.stride();
            for (int i = 0; i < in.length; i++) strides[1 + i] = in[i].scalar ? null : in[i].view.stride();
            Layout.Coalesced c = Layout.coalesce(out.shape(), strides);
            launch(be, what, op, o, in, c.shape(), c.strides(), base, fillBits, alpha, stream);
        }
        be.keepAlive(out, inputs);
    }

    private static void launch(CudaBackend be, What what, Op op, Operand o, Operand[] in, long[] shape, long[][] strides, long[] base,
                               long fillBits, Number alpha, Stream stream) {
        int rank = shape.length;
        if (rank > Layout.MAX_RANK) {
            // peel the outermost dim on the host
            long[] subShape = java.util.Arrays.copyOfRange(shape, 1, rank);
            long[][] subStrides = new long[strides.length][];
            for (int j = 0; j < strides.length; j++) subStrides[j] = strides[j] == null ? null : java.util.Arrays.copyOfRange(strides[j], 1, rank);
            for (long i0 = 0; i0 < shape[0]; i0++) {
                long[] b = base.clone();
                b[0] += i0 * strides[0][0] * o.dtype.itemSize();
                for (int j = 0; j < in.length; j++) if (!in[j].scalar) b[1 + j] += i0 * strides[1 + j][0] * in[j].dtype.itemSize();
                launch(be, what, op, o, in, subShape, subStrides, b, fillBits, alpha, stream);
            }
            return;
        }
        long n = Layout.numel(shape);
        DType[] dts = new DType[in.length];
        char[] modes = new char[in.length];
        boolean allDense = Layout.dense(shape, strides[0]);
        char outMode = allDense ? 'c' : 's';
        boolean idx32 = n < (1L << 31) && Layout.maxOffset(shape, strides[0]) < (1L << 31);
        for (int i = 0; i < in.length; i++) {
            dts[i] = in[i].dtype;
            if (in[i].scalar) modes[i] = 'v';
            else if (Layout.allZero(strides[1 + i])) modes[i] = 'z';
            else if (Layout.dense(shape, strides[1 + i])) modes[i] = 'c';
            else {
                modes[i] = 's';
                allDense = false;
                idx32 &= Layout.maxOffset(shape, strides[1 + i]) < (1L << 31);
            }
        }
        if (outMode == 's') allDense = false;
        int vec = 0;
        if (allDense) {
            int maxSize = o.dtype.itemSize();
            for (int i = 0; i < in.length; i++) if (modes[i] == 'c') maxSize = Math.max(maxSize, dts[i].itemSize());
            vec = Math.max(1, 16 / maxSize);
            if (base[0] % ((long) vec * o.dtype.itemSize()) != 0) vec = 1;
            for (int i = 0; i < in.length && vec > 1; i++)
                if (modes[i] == 'c' && base[1 + i] % ((long) vec * dts[i].itemSize()) != 0) vec = 1;
            if (n < (long) vec * 2) vec = 1;
        }
        Spec spec = new Spec(what, op, o.dtype, dts, outMode, modes, rank, idx32, vec, alpha != null);
        MemorySegment f = be.dev.kernels.get(spec);
        Params p = Params.start().ptr(base[0]);
        for (int i = 0; i < in.length; i++) {
            if (modes[i] == 'v') {
                if (dts[i].isFloatingPoint()) p.f64(in[i].doubleValue);
                else p.i64(in[i].longValue);
            } else {
                p.ptr(base[1 + i]);
            }
        }
        if (what == What.FILL) p.i64(fillBits);
        if (alpha != null) {
            DType t = modes[0] != 'v' ? dts[0] : dts[1];
            if (t.isFloatingPoint()) p.f64(alpha.doubleValue());
            else p.i64(t == DType.bool ? (alpha.longValue() != 0 ? 1 : 0) : alpha.longValue());
        }
        p.idx(n, idx32);
        if (vec == 0) {
            p.idxArray(shape, rank, idx32);
            if (outMode == 's') p.idxArray(strides[0], rank, idx32);
            for (int i = 0; i < in.length; i++) if (modes[i] == 's') p.idxArray(strides[1 + i], rank, idx32);
        }
        long per = vec > 0 ? (long) THREADS * vec : THREADS;
        long blocks = (n + per - 1) / per;
        if (blocks > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor too large for one launch: " + n + " elements");
        Driver.launch(f, (int) blocks, 1, 1, THREADS, 1, 1, 0, stream.handle, p.pointerArray(), spec);
    }
}
