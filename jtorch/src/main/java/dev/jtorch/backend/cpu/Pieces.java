package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.SegmentStorage;
import dev.jtorch.backend.Strided;
import dev.jtorch.backend.Kernel;
import dev.jtorch.ops.ReduceOp;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Runs a CPU op whose operands reach more native memory than {@link Staging#pieceElements} (a tensor larger
 * than a Java array): the op is split into pieces along the output's dims, each piece's native operands are
 * gathered into compact arrays (keeping the views' dim order and broadcast dims, so the kernels take the
 * paths they take on arrays), today's kernel runs on them, and the output piece is scattered back. Pieces
 * run one after another; each kernel is parallel inside. Elementwise ops, copies, joins, scans along a dim
 * that fits a piece, matmuls whose inner dim fits a piece and indexing give the array path's bits; a
 * reduction over more elements than a piece combines per-piece partial results in a fixed order (partial
 * sums and products in float64 or int64, as the array kernel accumulates), so the same input always gives
 * the same bits. What cannot be split without changing results (a scan or a matmul's inner dim longer than
 * a piece) is refused with a message naming the op and the size.
 */
final class Pieces {
    private Pieces() {}

    static void execute(CpuBackend backend, Kernel kernel) {
        Strided out = kernel.out();
        if (out.numel() == 0) return;
        Strided[] in = unaliased(backend, out, kernel.inputs());
        switch (kernel) {
            case Kernel.Fill k -> elementwise(backend, k, out, in);
            case Kernel.Copy k -> elementwise(backend, k, out, in);
            case Kernel.Unary k -> elementwise(backend, k, out, in);
            case Kernel.Binary k -> elementwise(backend, k, out, in);
            case Kernel.Ternary k -> elementwise(backend, k, out, in);
            case Kernel.Join k -> {
                long at = 0;
                for (Strided t : in) {
                    backend.execute(new Kernel.Copy(out.narrow(k.dim(), at, t.shape()[k.dim()]), t));
                    at += t.shape()[k.dim()];
                }
            }
            case Kernel.Reduce k -> reduce(backend, k.op(), out, in[0]);
            case Kernel.Scan k -> scan(backend, k, out, in[0]);
            case Kernel.Matmul k -> matmul(backend, out, in[0], in[1]);
            case Kernel.Index k -> {
                if (in[0].storage() instanceof SegmentStorage) index(backend, out, in, k.strides(), k.sizes());
                else elementwise(backend, k, out, in); // the indexed array is passed whole: only out-shaped operands are split
            }
            case Kernel.IndexPut k -> {
                if (out.storage() instanceof SegmentStorage) indexPut(backend, k, out, in);
                else elementwise(backend, k, out, in);
            }
        }
    }

    private static long budget() { return Staging.pieceElements; }

    // ---------------------------------------------------------------- splitting

    /**
     * The dispatcher never hands a kernel an input that overlaps its output except as the very same view (in-place);
     * should one arrive, it is copied first, since pieces written back early would change what later pieces read.
     */
    private static Strided[] unaliased(CpuBackend backend, Strided out, Strided[] in) {
        Strided[] r = in;
        for (int i = 0; i < in.length; i++) {
            Strided s = in[i];
            if (s.storage() != out.storage() || (s.offset() == out.offset() && Arrays.equals(s.stride(), out.stride())
                    && Arrays.equals(s.shape(), out.shape()))) continue;
            if (r == in) r = in.clone();
            long[] cs = compactStrides(s.shape(), s.stride());
            Strided copy = new Strided(backend.allocate(s.dtype(), compactNumel(s.shape(), cs)), s.dtype(), s.shape(), cs, 0);
            backend.execute(new Kernel.Copy(copy, s));
            r[i] = copy;
        }
        return r;
    }

    /** Row-major tile sizes for {@code shape} holding at most {@code budget} elements (at least one). */
    static long[] tileShape(long[] shape, long budget) {
        long[] t = shape.clone();
        long inner = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] <= budget / inner) {
                inner *= Math.max(shape[d], 1);
                continue;
            }
            t[d] = Math.max(1, budget / inner);
            for (int e = d - 1; e >= 0; e--) t[e] = 1;
            break;
        }
        return t;
    }

    private interface TileAction {
        void run(long[] start, long[] len);
    }

    /** Calls {@code action} for every tile of {@code shape}, in row-major order of the tiles. */
    private static void forEachTile(long[] shape, long[] tile, TileAction action) {
        int nd = shape.length;
        long[] counts = new long[nd], index = new long[nd], start = new long[nd], len = new long[nd];
        for (int d = 0; d < nd; d++) {
            if (shape[d] == 0) return;
            counts[d] = (shape[d] + tile[d] - 1) / tile[d];
        }
        while (true) {
            for (int d = 0; d < nd; d++) {
                start[d] = index[d] * tile[d];
                len[d] = Math.min(tile[d], shape[d] - start[d]);
            }
            action.run(start.clone(), len.clone());
            int d = nd - 1;
            while (d >= 0 && ++index[d] == counts[d]) index[d--] = 0;
            if (d < 0) return;
        }
    }

    /** The box {@code [start, start + len)} of a view, sharing its storage. */
    private static Strided box(Strided s, long[] start, long[] len) {
        long offset = s.offset();
        for (int d = 0; d < start.length; d++) offset += start[d] * s.stride()[d];
        return new Strided(s.storage(), s.dtype(), len.clone(), s.stride(), offset);
    }

    // ---------------------------------------------------------------- the ops

    /** Runs {@code kernel} tile by tile on {@code out} and out-shaped inputs {@code in}. */
    private static void elementwise(CpuBackend backend, Kernel kernel, Strided out, Strided[] in) {
        forEachTile(out.shape(), tileShape(out.shape(), budget()), (start, len) -> {
            Strided o = box(out, start, len), staged = stageOut(o);
            Strided[] is = new Strided[in.length];
            for (int i = 0; i < in.length; i++) {
                boolean scalar = in[i].dim() == 0 && out.dim() > 0; // a 0-dim input standing for a scalar
                is[i] = stageIn(scalar ? in[i] : box(in[i], start, len));
            }
            backend.execute(kernel.with(staged, is));
            writeBack(staged, o);
        });
    }

    private static void scan(CpuBackend backend, Kernel.Scan k, Strided out, Strided in) {
        int dim = k.dim();
        long len = in.dim() == 0 ? 1 : in.shape()[dim];
        if (len > budget())
            throw new UnsupportedOperationException(k.op().torchName() + " along a dimension of " + len + " elements of a tensor in native memory "
                    + "is not supported: at most " + budget() + " elements per line");
        long[] outer = out.shape().clone();
        outer[dim] = 1;
        long[] tile = tileShape(outer, budget() / len);
        tile[dim] = len;
        forEachTile(out.shape(), tile, (start, l) -> {
            Strided o = box(out, start, l), staged = stageOut(o);
            backend.execute(k.with(staged, new Strided[]{stageIn(box(in, start, l))}));
            writeBack(staged, o);
        });
    }

    private static void matmul(CpuBackend backend, Strided out, Strided a, Strided b) {
        long batches = out.shape()[0], m = out.shape()[1], n = out.shape()[2], k = a.shape()[2], p = budget();
        if (k > p)
            throw new UnsupportedOperationException("matmul with an inner dimension of " + k + " elements on a tensor in native memory "
                    + "is not supported: at most " + p);
        long nt = k * n <= p ? n : Math.max(1, p / Math.max(k, 1));
        long mt = Math.min(m, Math.max(1, p / Math.max(Math.max(k, nt), 1)));
        long bt = mt == m && nt == n ? Math.min(batches, Math.max(1, p / Math.max(Math.max(m * k, k * n), Math.max(m * n, 1)))) : 1;
        for (long b0 = 0; b0 < batches; b0 += bt) {
            long bl = Math.min(bt, batches - b0);
            for (long n0 = 0; n0 < n; n0 += nt) { // b's columns staged once for all of a's row pieces
                long nl = Math.min(nt, n - n0);
                Strided bs = stageIn(box(b, new long[]{b0, 0, n0}, new long[]{bl, k, nl}));
                for (long m0 = 0; m0 < m; m0 += mt) {
                    long ml = Math.min(mt, m - m0);
                    Strided o = box(out, new long[]{b0, m0, n0}, new long[]{bl, ml, nl}), staged = stageOut(o);
                    backend.execute(new Kernel.Matmul(staged, stageIn(box(a, new long[]{b0, m0, 0}, new long[]{bl, ml, k})), bs));
                    writeBack(staged, o);
                }
            }
        }
    }

    private static void reduce(CpuBackend backend, ReduceOp op, Strided out, Strided in) {
        int nd = in.dim();
        boolean[] reduced = new boolean[nd];
        long reducedCount = 1;
        for (int d = 0; d < nd; d++) {
            reduced[d] = out.shape()[d] == 1 && in.shape()[d] != 1;
            if (reduced[d]) reducedCount *= in.shape()[d];
        }
        if (reducedCount <= budget()) { // each output piece reduces whole lines: the array path's bits
            forEachTile(out.shape(), tileShape(out.shape(), budget() / reducedCount), (start, len) -> {
                long[] inLen = len.clone();
                for (int d = 0; d < nd; d++) if (reduced[d]) inLen[d] = in.shape()[d];
                Strided o = box(out, start, len), staged = stageOut(o);
                backend.execute(new Kernel.Reduce(op, staged, stageIn(box(in, start, inLen))));
                writeBack(staged, o);
            });
            return;
        }
        long[] one = new long[nd];
        Arrays.fill(one, 1);
        long lineCount = reducedCount;
        forEachTile(out.shape(), one, (start, len) -> {
            long[] lineShape = new long[nd];
            for (int d = 0; d < nd; d++) lineShape[d] = reduced[d] ? in.shape()[d] : 1;
            Strided line = box(in, start, lineShape);
            writeBack(reduceLine(backend, op, line, lineCount, out.dtype()), box(out, start, one));
        });
    }

    /**
     * One output element of a reduction over more elements than a piece: partial results per piece (sums and products
     * in float64 or int64, the way the array kernel accumulates), combined in piece order. Returns a one-element array
     * view (all dims 1) holding the result in {@code outType}.
     */
    private static Strided reduceLine(CpuBackend backend, ReduceOp op, Strided line, long count, DType outType) {
        int nd = line.dim();
        long[] ones = new long[nd];
        Arrays.fill(ones, 1);
        DType in = line.dtype();
        boolean fp = in.isFloatingPoint();
        DType partialType = switch (op) {
            case SUM, MEAN, PROD -> fp ? DType.float64 : DType.int64;
            case ARGMAX, ARGMIN -> in;
            case AMAX, AMIN, ALL, ANY -> outType;
        };
        ReduceOp partialOp = switch (op) {
            case MEAN -> ReduceOp.SUM;
            case ARGMAX -> ReduceOp.AMAX;
            case ARGMIN -> ReduceOp.AMIN;
            case SUM, PROD, AMAX, AMIN, ALL, ANY -> op;
        };
        int reducedDim = -1;
        for (int d = 0; d < nd; d++) if (line.shape()[d] != 1) reducedDim = reducedDim < 0 ? d : -2;
        if ((op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) && reducedDim < 0)
            throw new IllegalStateException(op.torchName() + " reduces exactly one dim");
        long[] tile = tileShape(line.shape(), budget());
        long pieces = 1;
        for (int d = 0; d < nd; d++) pieces *= (line.shape()[d] + tile[d] - 1) / tile[d];
        if (pieces > Integer.MAX_VALUE - 8) throw new UnsupportedOperationException(op.torchName() + " over " + count + " elements: too many pieces");
        ArrayStorage partials = ArrayStorage.allocate(partialType, pieces);
        long[] argIndex = new long[(int) pieces];
        int[] at = {0};
        int rd = reducedDim;
        forEachTile(line.shape(), tile, (start, len) -> {
            Strided piece = stageIn(box(line, start, len));
            int i = at[0]++;
            Strided slot = new Strided(partials, partialType, ones, ones, i);
            if (partialType != outType && op != ReduceOp.ARGMAX && op != ReduceOp.ARGMIN) ReduceKernels.reduce(partialOp, slot, piece); // FastPath wants equal dtypes
            else backend.execute(new Kernel.Reduce(partialOp, slot, piece));
            if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
                long[] idx = new long[1];
                ArrayStorage local = new ArrayStorage(idx, DType.int64);
                backend.execute(new Kernel.Reduce(op, new Strided(local, DType.int64, ones, ones, 0), piece));
                argIndex[i] = start[rd] + idx[0];
            }
        });
        ArrayStorage result = ArrayStorage.allocate(outType, 1);
        Strided r = new Strided(result, outType, ones, ones, 0);
        Strided all = new Strided(partials, partialType, new long[]{pieces}, new long[]{1}, 0);
        Strided scalarOut = new Strided(result, outType, new long[]{1}, new long[]{1}, 0);
        switch (op) {
            case SUM, PROD, MEAN -> {
                ArrayStorage total = ArrayStorage.allocate(partialType, 1);
                Strided t = new Strided(total, partialType, new long[]{1}, new long[]{1}, 0);
                backend.execute(new Kernel.Reduce(partialOp, t, all));
                if (op == ReduceOp.MEAN) ((double[]) total.array())[0] /= count; // as the array kernel: the float64 sum over the count
                backend.execute(new Kernel.Copy(r, new Strided(total, partialType, ones, ones, 0)));
            }
            case ARGMAX, ARGMIN -> {
                // the first piece holding the extreme wins; NaN counts as the extreme, the first NaN winning
                double[] v = new double[(int) pieces];
                long[] lv = new long[(int) pieces];
                if (fp) Access.loadDouble(all, 0, (int) pieces, v);
                else Access.loadLong(all, 0, (int) pieces, lv);
                int best = 0;
                for (int i = 1; i < pieces; i++) {
                    boolean better;
                    if (fp) {
                        if (Double.isNaN(v[best])) break;
                        better = Double.isNaN(v[i]) || (op == ReduceOp.ARGMAX ? v[i] > v[best] : v[i] < v[best]);
                    } else {
                        better = op == ReduceOp.ARGMAX ? lv[i] > lv[best] : lv[i] < lv[best];
                    }
                    if (better) best = i;
                }
                ((long[]) result.array())[0] = argIndex[best];
            }
            case AMAX, AMIN, ALL, ANY -> backend.execute(new Kernel.Reduce(op, scalarOut, all)); // over the partials
        }
        return r;
    }

    /** INDEX from a native storage: the picked elements' offsets are computed as the array kernel does, and copied one by one. */
    private static void index(CpuBackend backend, Strided out, Strided[] in, long[] strides, long[] sizes) {
        Strided src = in[0];
        SegmentStorage seg = (SegmentStorage) src.storage();
        DType t = src.dtype();
        forEachTile(out.shape(), tileShape(out.shape(), budget()), (start, len) -> {
            Strided base = box(src, start, len);
            Strided[] idx = new Strided[strides.length];
            for (int k = 0; k < idx.length; k++) idx[k] = stageIn(box(in[k + 1], start, len));
            long n = base.numel();
            ArrayStorage picked = ArrayStorage.allocate(t, n);
            long[] offs = new long[(int) Math.min(n, CpuBackend.CHUNK)], buf = new long[offs.length];
            for (long s = 0; s < n; s += CpuBackend.CHUNK) {
                int m = (int) Math.min(CpuBackend.CHUNK, n - s);
                IndexKernels.offsets(base, idx, 0, strides, sizes, s, m, offs, buf);
                for (int j = 0; j < m; j++) move(seg.segment(), offs[j], 1, picked.array(), s + j, 1, 1, t, true);
            }
            Strided values = new Strided(picked, t, len, Strided.contiguousStrides(len), 0);
            Strided o = box(out, start, len);
            if (o.storage() instanceof SegmentStorage) writeBack(values, o);
            else backend.execute(new Kernel.Copy(o, values));
        });
    }

    /**
     * INDEX_PUT into a native storage: a piece's destination elements (each once, however often it is indexed) are
     * gathered into an array, the array kernel scatters into them in the same order it would into the storage (so
     * accumulation over repeated indices adds in the same order), and they are written back.
     */
    private static void indexPut(CpuBackend backend, Kernel.IndexPut put, Strided out, Strided[] in) {
        long[] strides = put.strides(), sizes = put.sizes();
        SegmentStorage seg = (SegmentStorage) out.storage();
        DType t = out.dtype();
        forEachTile(out.shape(), tileShape(out.shape(), budget()), (start, len) -> {
            Strided base = box(out, start, len);
            Strided values = stageIn(box(in[0], start, len));
            Strided[] idx = new Strided[strides.length];
            for (int k = 0; k < idx.length; k++) idx[k] = stageIn(box(in[k + 1], start, len));
            int n = (int) base.numel();
            long[] offs = new long[n], buf = new long[Math.min(n, CpuBackend.CHUNK)], chunk = new long[buf.length];
            for (int s = 0; s < n; s += CpuBackend.CHUNK) {
                int m = Math.min(CpuBackend.CHUNK, n - s);
                IndexKernels.offsets(base, idx, 0, strides, sizes, s, m, chunk, buf);
                System.arraycopy(chunk, 0, offs, s, m);
            }
            long[] unique = Arrays.stream(offs).sorted().distinct().toArray();
            long[] slots = new long[n];
            for (int j = 0; j < n; j++) slots[j] = Arrays.binarySearch(unique, offs[j]);
            ArrayStorage dest = ArrayStorage.allocate(t, unique.length);
            for (int u = 0; u < unique.length; u++) move(seg.segment(), unique[u], 1, dest.array(), u, 1, 1, t, true);
            Strided destView = new Strided(dest, t, len, new long[len.length], 0);
            Strided slotView = new Strided(new ArrayStorage(slots, DType.int64), DType.int64, len, Strided.contiguousStrides(len), 0);
            backend.execute(new Kernel.IndexPut(destView, values, new Strided[]{slotView}, new long[]{1}, new long[]{unique.length}, put.accumulate()));
            for (int u = 0; u < unique.length; u++) move(seg.segment(), unique[u], 1, dest.array(), u, 1, 1, t, false);
        });
    }

    // ---------------------------------------------------------------- staging a piece

    /** A native view's elements in a new compact array view of the same shape; an array view as it is. */
    static Strided stageIn(Strided v) {
        if (!(v.storage() instanceof SegmentStorage)) return v;
        Strided c = compact(v);
        transfer(v, c, true);
        return c;
    }

    /** An uninitialized compact array for a native output view (every op writes all of its output); an array view as it is. */
    private static Strided stageOut(Strided v) {
        return v.storage() instanceof SegmentStorage ? compact(v) : v;
    }

    /** Writes a staged output back into its native view (an array view that is not the staged one gets a copy). */
    private static void writeBack(Strided staged, Strided v) {
        if (v.storage() instanceof SegmentStorage) transfer(v, staged, false);
        else if (staged.storage() != v.storage()) CopyKernels.copy(v, staged);
    }

    private static Strided compact(Strided v) {
        long[] cs = compactStrides(v.shape(), v.stride());
        return new Strided(ArrayStorage.allocate(v.dtype(), compactNumel(v.shape(), cs)), v.dtype(), v.shape(), cs, 0);
    }

    /**
     * Dense strides that order the dims as {@code stride} does (largest stride outermost, later dims inner on ties),
     * keeping broadcast dims (stride 0, size above 1) at stride 0: a gathered view walks memory the way the original does.
     */
    static long[] compactStrides(long[] shape, long[] stride) {
        int nd = shape.length;
        Integer[] order = new Integer[nd];
        for (int d = 0; d < nd; d++) order[d] = d;
        Arrays.sort(order, (x, y) -> {
            int c = Long.compare(Math.abs(stride[x]), Math.abs(stride[y]));
            return c != 0 ? c : Integer.compare(y, x);
        });
        long[] cs = new long[nd];
        long st = 1;
        for (int d : order) {
            if (stride[d] == 0 && shape[d] > 1) continue;
            cs[d] = st;
            st *= Math.max(shape[d], 1);
        }
        return cs;
    }

    private static long compactNumel(long[] shape, long[] cs) {
        long n = 1;
        for (int d = 0; d < shape.length; d++) if (cs[d] != 0 || shape[d] <= 1) n *= shape[d];
        return n;
    }

    /** Copies between a native view and an array view of the same shape, row by row (dims broadcast in both are walked once). */
    private static void transfer(Strided nat, Strided arr, boolean toArray) {
        MemorySegment seg = ((SegmentStorage) nat.storage()).segment();
        Object a = ((ArrayStorage) arr.storage()).array();
        DType t = nat.dtype();
        int nd = nat.dim();
        if (nd == 0) {
            move(seg, nat.offset(), 1, a, arr.offset(), 1, 1, t, toArray);
            return;
        }
        long[] shape = nat.shape().clone();
        for (int d = 0; d < nd; d++) if (arr.stride()[d] == 0) shape[d] = 1;
        long inner = shape[nd - 1], sIn = nat.stride()[nd - 1], aIn = arr.stride()[nd - 1];
        if (nat.isContiguous() && arr.isContiguous()) {
            move(seg, nat.offset(), 1, a, arr.offset(), 1, nat.numel(), t, toArray);
            return;
        }
        long rows = 1;
        for (int d = 0; d < nd - 1; d++) rows *= shape[d];
        long[] index = new long[nd];
        for (long row = 0; row < rows; row++) {
            long ns = nat.offset(), as = arr.offset();
            for (int d = 0; d < nd - 1; d++) {
                ns += index[d] * nat.stride()[d];
                as += index[d] * arr.stride()[d];
            }
            move(seg, ns, sIn, a, as, aIn, inner, t, toArray);
            for (int d = nd - 2; d >= 0; d--) {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
    }

    /** Moves {@code count} elements between a segment (element {@code at}, stride {@code ss}) and an array (index {@code ai}, stride {@code as}). */
    private static void move(MemorySegment seg, long at, long ss, Object array, long ai, long as, long count, DType t, boolean toArray) {
        if (count == 0) return;
        long size = t.itemSize();
        if (ss == 1 && as == 1 && !(array instanceof boolean[])) {
            ValueLayout layout = switch (array) {
                case byte[] x -> ValueLayout.JAVA_BYTE;
                case short[] x -> ValueLayout.JAVA_SHORT_UNALIGNED;
                case int[] x -> ValueLayout.JAVA_INT_UNALIGNED;
                case long[] x -> ValueLayout.JAVA_LONG_UNALIGNED;
                case float[] x -> ValueLayout.JAVA_FLOAT_UNALIGNED;
                case double[] x -> ValueLayout.JAVA_DOUBLE_UNALIGNED;
                default -> throw new IllegalStateException("unexpected array " + array.getClass());
            };
            if (toArray) MemorySegment.copy(seg, layout, at * size, array, (int) ai, (int) count);
            else MemorySegment.copy(array, (int) ai, seg, layout, at * size, (int) count);
            return;
        }
        int i = (int) ai, si = (int) as;
        int n = (int) count;
        long b = at * size, sb = ss * size;
        switch (array) {
            case boolean[] x -> {
                if (toArray) for (int j = 0; j < n; j++) x[i + j * si] = seg.get(ValueLayout.JAVA_BYTE, b + j * sb) != 0;
                else for (int j = 0; j < n; j++) seg.set(ValueLayout.JAVA_BYTE, b + j * sb, (byte) (x[i + j * si] ? 1 : 0));
            }
            case byte[] x -> {
                if (toArray) for (int j = 0; j < n; j++) x[i + j * si] = seg.get(ValueLayout.JAVA_BYTE, b + j * sb);
                else for (int j = 0; j < n; j++) seg.set(ValueLayout.JAVA_BYTE, b + j * sb, x[i + j * si]);
            }
            case short[] x -> {
                if (toArray) for (int j = 0; j < n; j++) x[i + j * si] = seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, b + j * sb);
                else for (int j = 0; j < n; j++) seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, b + j * sb, x[i + j * si]);
            }
            case int[] x -> {
                if (toArray) for (int j = 0; j < n; j++) x[i + j * si] = seg.get(ValueLayout.JAVA_INT_UNALIGNED, b + j * sb);
                else for (int j = 0; j < n; j++) seg.set(ValueLayout.JAVA_INT_UNALIGNED, b + j * sb, x[i + j * si]);
            }
            case long[] x -> {
                if (toArray) for (int j = 0; j < n; j++) x[i + j * si] = seg.get(ValueLayout.JAVA_LONG_UNALIGNED, b + j * sb);
                else for (int j = 0; j < n; j++) seg.set(ValueLayout.JAVA_LONG_UNALIGNED, b + j * sb, x[i + j * si]);
            }
            case float[] x -> {
                if (toArray) for (int j = 0; j < n; j++) x[i + j * si] = seg.get(ValueLayout.JAVA_FLOAT_UNALIGNED, b + j * sb);
                else for (int j = 0; j < n; j++) seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, b + j * sb, x[i + j * si]);
            }
            case double[] x -> {
                if (toArray) for (int j = 0; j < n; j++) x[i + j * si] = seg.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, b + j * sb);
                else for (int j = 0; j < n; j++) seg.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, b + j * sb, x[i + j * si]);
            }
            default -> throw new IllegalStateException("unexpected array " + array.getClass());
        }
    }
}
