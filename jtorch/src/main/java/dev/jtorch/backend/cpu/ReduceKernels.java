package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;

import dev.jtorch.backend.Strided;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.ScanOp;
import dev.jtorch.DType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reductions over the dims where the output has size 1 on the CPU: the generic path (every op's double and long
 * accumulation, {@link #reduce}) and the opt-in fast path for float32 / float64 (the ops in {@link #FAST}, where
 * the reduced or the kept elements are contiguous); also the scans along one dim.
 */
final class ReduceKernels {
    private ReduceKernels() {}

    /** The ops the float32 / float64 fast path ({@link #fast}) takes. */
    static final Set<ReduceOp> FAST = EnumSet.of(ReduceOp.SUM, ReduceOp.MEAN, ReduceOp.AMAX, ReduceOp.AMIN);

    /** out = op over in's reduced dims: the fast path where it applies, else the generic one. */
    static void run(ReduceOp op, Strided out, Strided in) {
        if (!fast(op, out, in)) reduce(op, out, in);
    }

    /** Splits a view into the part indexed by the output (kept) and the part reduced over. */
    private record Plan(Strided outer, long[] innerShape, long[] innerStride, long innerNumel) {}

    private static Plan plan(Strided out, Strided in) {
        int nd = in.dim();
        long[] outerStride = new long[nd];
        int r = 0;
        for (int d = 0; d < nd; d++) if (out.shape()[d] == 1 && in.shape()[d] != 1) r++;
        long[] innerShape = new long[r], innerStride = new long[r];
        long m = 1;
        for (int d = 0, k = 0; d < nd; d++) {
            if (out.shape()[d] == 1 && in.shape()[d] != 1) {
                innerShape[k] = in.shape()[d];
                innerStride[k++] = in.stride()[d];
                m *= in.shape()[d];
            } else {
                outerStride[d] = in.stride()[d];
            }
        }
        // outer: in's storage walked in out's shape, with the reduced dims pinned at index 0
        Strided outer = new Strided(in.storage(), in.dtype(), out.shape(), outerStride, in.offset());
        return new Plan(outer, innerShape, innerStride, m);
    }

    static void reduce(ReduceOp op, Strided out, Strided in) {
        Plan p = plan(out, in);
        long outN = out.numel();
        boolean fp = in.dtype().isFloatingPoint();
        long grain = Math.max(1, Parallel.GRAIN / Math.max(1, p.innerNumel));
        Parallel.forRange(outN, grain, (s, e) -> {
            int cap = (int) Math.min(p.innerNumel, 1 << 16);
            Access.Cursor base = new Access.Cursor(p.outer, s);
            double[] dres = new double[(int) (e - s)];
            long[] lres = new long[(int) (e - s)];
            double[] dbuf = fp ? new double[Math.max(cap, 1)] : null;
            long[] lbuf = fp ? null : new long[Math.max(cap, 1)];
            for (long o = s; o < e; o++) {
                Strided block = new Strided(in.storage(), in.dtype(), p.innerShape, p.innerStride, base.offset);
                int i = (int) (o - s);
                if (fp) dres[i] = reduceDouble(op, block, p.innerNumel, dbuf);
                else lres[i] = reduceLong(op, block, p.innerNumel, lbuf);
                base.advance(1);
            }
            boolean indexOut = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
            if (fp && !indexOut) storeDouble(out, s, (int) (e - s), dres);
            else if (fp) {
                for (int i = 0; i < dres.length; i++) lres[i] = (long) dres[i];
                storeLong(out, s, (int) (e - s), lres);
            } else storeLong(out, s, (int) (e - s), lres);
        });
    }

    private static double reduceDouble(ReduceOp op, Strided block, long m, double[] buf) {
        double acc = switch (op) {
            case SUM, MEAN, ANY -> 0;
            case PROD, ALL -> 1;
            case AMAX, ARGMAX -> Double.NEGATIVE_INFINITY;
            case AMIN, ARGMIN -> Double.POSITIVE_INFINITY;
        };
        long best = 0;
        boolean nanSeen = false;
        for (long start = 0; start < m; start += buf.length) {
            int n = (int) Math.min(buf.length, m - start);
            loadDouble(block, start, n, buf);
            switch (op) {
                case null -> throw new NullPointerException(); // makes javac require a case for every constant
                case SUM, MEAN -> acc += pairwiseSum(buf, 0, n);
                case PROD -> { for (int i = 0; i < n; i++) acc *= buf[i]; }
                case AMAX -> { for (int i = 0; i < n; i++) acc = Math.max(acc, buf[i]); }
                case AMIN -> { for (int i = 0; i < n; i++) acc = Math.min(acc, buf[i]); }
                case ALL -> { for (int i = 0; i < n; i++) if (buf[i] == 0) acc = 0; }
                case ANY -> { for (int i = 0; i < n; i++) if (buf[i] != 0) acc = 1; }
                case ARGMAX -> {
                    for (int i = 0; i < n && !nanSeen; i++) {
                        if (Double.isNaN(buf[i])) { nanSeen = true; best = start + i; }
                        else if (buf[i] > acc || start + i == 0) { acc = buf[i]; best = start + i; }
                    }
                }
                case ARGMIN -> {
                    for (int i = 0; i < n && !nanSeen; i++) {
                        if (Double.isNaN(buf[i])) { nanSeen = true; best = start + i; }
                        else if (buf[i] < acc || start + i == 0) { acc = buf[i]; best = start + i; }
                    }
                }
            }
        }
        return switch (op) {
            case MEAN -> acc / m;
            case ARGMAX, ARGMIN -> best;
            case SUM, PROD, AMAX, AMIN, ALL, ANY -> acc;
        };
    }

    /** Pairwise summation: the error grows with log n, not n. */
    static double pairwiseSum(double[] x, int from, int n) {
        if (n <= 32) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i + 4 <= n; i += 4) {
                s0 += x[from + i];
                s1 += x[from + i + 1];
                s2 += x[from + i + 2];
                s3 += x[from + i + 3];
            }
            for (; i < n; i++) s0 += x[from + i];
            return (s0 + s1) + (s2 + s3);
        }
        int half = n / 2;
        return pairwiseSum(x, from, half) + pairwiseSum(x, from + half, n - half);
    }

    private static long reduceLong(ReduceOp op, Strided block, long m, long[] buf) {
        long acc = switch (op) {
            case SUM, ANY -> 0;
            case PROD, ALL -> 1;
            case AMAX, ARGMAX -> Long.MIN_VALUE;
            case AMIN, ARGMIN -> Long.MAX_VALUE;
            case MEAN -> throw new IllegalArgumentException(op.name() + " needs a floating point input");
        };
        long best = 0;
        for (long start = 0; start < m; start += buf.length) {
            int n = (int) Math.min(buf.length, m - start);
            loadLong(block, start, n, buf);
            switch (op) {
                case null -> throw new NullPointerException(); // makes javac require a case for every constant
                case SUM -> { for (int i = 0; i < n; i++) acc += buf[i]; }
                case PROD -> { for (int i = 0; i < n; i++) acc *= buf[i]; }
                case AMAX -> { for (int i = 0; i < n; i++) acc = Math.max(acc, buf[i]); }
                case AMIN -> { for (int i = 0; i < n; i++) acc = Math.min(acc, buf[i]); }
                case ALL -> { for (int i = 0; i < n; i++) if (buf[i] == 0) acc = 0; }
                case ANY -> { for (int i = 0; i < n; i++) if (buf[i] != 0) acc = 1; }
                case ARGMAX -> { for (int i = 0; i < n; i++) if (buf[i] > acc || start + i == 0) { acc = buf[i]; best = start + i; } }
                case ARGMIN -> { for (int i = 0; i < n; i++) if (buf[i] < acc || start + i == 0) { acc = buf[i]; best = start + i; } }
                case MEAN -> throw new IllegalArgumentException(op.name());
            }
        }
        return op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? best : acc;
    }

    /** CUMSUM, CUMPROD and ARGSORT (in {@code descending} order) along one dim. */
    static void scan(ScanOp op, Strided out, Strided in, int dim, boolean descending) {
        int nd = in.dim();
        long len = nd == 0 ? 1 : in.shape()[dim];
        long[] lineShape = nd == 0 ? new long[0] : in.shape().clone();
        if (nd > 0) lineShape[dim] = 1;
        long lines = 1;
        for (long s : lineShape) lines *= s;
        if (len > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("dimension too large for " + op.torchName());
        long inStep = nd == 0 ? 0 : in.stride()[dim], outStep = nd == 0 ? 0 : out.stride()[dim];
        Strided inLines = new Strided(in.storage(), in.dtype(), lineShape, in.stride(), in.offset());
        Strided outLines = new Strided(out.storage(), out.dtype(), lineShape, out.stride(), out.offset());
        boolean fp = in.dtype().isFloatingPoint();
        Parallel.forRange(lines, Math.max(1, Parallel.GRAIN / Math.max(1, len)), (s, e) -> {
            Access.Cursor ic = new Access.Cursor(inLines, s), oc = new Access.Cursor(outLines, s);
            double[] d = fp ? new double[(int) len] : null;
            long[] l = new long[(int) len];
            for (long line = s; line < e; line++) {
                Strided src = new Strided(in.storage(), in.dtype(), new long[]{len}, new long[]{inStep}, ic.offset);
                Strided dst = new Strided(out.storage(), out.dtype(), new long[]{len}, new long[]{outStep}, oc.offset);
                switch (op) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case ARGSORT -> {
                        if (fp) loadDouble(src, 0, (int) len, d); else loadLong(src, 0, (int) len, l);
                        long[] order = fp ? argsort(d, descending) : argsort(l, descending);
                        storeLong(dst, 0, (int) len, order);
                    }
                    case CUMSUM, CUMPROD -> {
                        boolean sum = op == ScanOp.CUMSUM;
                        if (fp) {
                            loadDouble(src, 0, (int) len, d);
                            double acc = sum ? 0 : 1;
                            for (int i = 0; i < len; i++) d[i] = acc = sum ? acc + d[i] : acc * d[i];
                            storeDouble(dst, 0, (int) len, d);
                        } else {
                            loadLong(src, 0, (int) len, l);
                            long acc = sum ? 0 : 1;
                            for (int i = 0; i < len; i++) l[i] = acc = sum ? acc + l[i] : acc * l[i];
                            storeLong(dst, 0, (int) len, l);
                        }
                    }
                }
                ic.advance(1);
                oc.advance(1);
            }
        });
    }

    /** Stable order; NaN sorts above everything, as in PyTorch. */
    private static long[] argsort(double[] v, boolean descending) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        java.util.Comparator<Integer> asc = (a, b) -> Double.compare(v[a], v[b]) == 0 ? 0 : compareNanLast(v[a], v[b]);
        Arrays.sort(idx, descending ? asc.reversed() : asc);
        return Arrays.stream(idx).mapToLong(Integer::longValue).toArray();
    }

    private static int compareNanLast(double a, double b) {
        boolean na = Double.isNaN(a), nb = Double.isNaN(b);
        if (na || nb) return na == nb ? 0 : na ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }

    private static long[] argsort(long[] v, boolean descending) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        java.util.Comparator<Integer> asc = (a, b) -> Long.compare(v[a], v[b]);
        Arrays.sort(idx, descending ? asc.reversed() : asc);
        return Arrays.stream(idx).mapToLong(Integer::longValue).toArray();
    }

    // ================================================================ the float32 / float64 fast path

    /** SUM, MEAN, AMAX, AMIN of float32/float64 where the reduced or the kept elements are contiguous. */
    private static boolean fast(ReduceOp op, Strided out, Strided in) {
        if (!FAST.contains(op)) return false;
        DType t = in.dtype();
        if (!FastPath.isFloat(t) || out.dtype() != t || in.numel() == 0 || !out.isContiguous()) return false;
        int nd = in.dim();
        // split in's dims into reduced (out size 1, in size > 1) and kept (in size > 1), each merged where possible
        long[] rShape = new long[nd], rStride = new long[nd], kShape = new long[nd], kStride = new long[nd];
        int nr = 0, nk = 0;
        for (int d = 0; d < nd; d++) {
            long size = in.shape()[d], st = in.stride()[d];
            if (size == 1) continue;
            if (out.shape()[d] == 1) {
                if (nr > 0 && rStride[nr - 1] == st * size) { rShape[nr - 1] *= size; rStride[nr - 1] = st; }
                else { rShape[nr] = size; rStride[nr++] = st; }
            } else {
                if (nk > 0 && kStride[nk - 1] == st * size) { kShape[nk - 1] *= size; kStride[nk - 1] = st; }
                else { kShape[nk] = size; kStride[nk++] = st; }
            }
        }
        long m = 1;
        for (int d = 0; d < nr; d++) m *= rShape[d];
        if (nr <= 1 && (nr == 0 || rStride[0] == 1)) {
            rowReduce(op, out, in, nk, kShape, kStride, m);
            return true;
        }
        if (nk == 1 && kStride[0] == 1 && kShape[0] >= 16) {
            columnReduce(op, out, in, nr, rShape, rStride, (int) kShape[0], m);
            return true;
        }
        return false;
    }

    /** Each output reduces a contiguous run of m elements. */
    private static void rowReduce(ReduceOp op, Strided out, Strided in, int nk, long[] kShape, long[] kStride, long m) {
        long outN = out.numel();
        boolean f32 = in.dtype() == DType.float32;
        Object x = Access.array(in), y = Access.array(out);
        int yo = (int) out.offset();
        long base = in.offset();
        if (outN == 1) {
            double r = reduceRun(op, f32, x, (int) base, (int) m, true);
            if (f32) ((float[]) y)[yo] = (float) r; else ((double[]) y)[yo] = r;
            return;
        }
        Parallel.forRange(outN, Math.max(1, FastPath.GRAIN / m), (s, e) -> {
            long[] idx = new long[nk];
            long off = base, rest = s;
            for (int d = nk - 1; d >= 0; d--) {
                idx[d] = rest % kShape[d];
                rest /= kShape[d];
                off += idx[d] * kStride[d];
            }
            for (long o = s; o < e; o++) {
                double r = reduceRun(op, f32, x, (int) off, (int) m, false);
                if (f32) ((float[]) y)[yo + (int) o] = (float) r; else ((double[]) y)[yo + (int) o] = r;
                for (int d = nk - 1; d >= 0; d--) {
                    off += kStride[d];
                    if (++idx[d] < kShape[d]) break;
                    off -= idx[d] * kStride[d];
                    idx[d] = 0;
                }
            }
        });
    }

    /** One contiguous run; {@code parallel} splits long runs across the pool (the result does not depend on the thread count). */
    static double reduceRun(ReduceOp op, boolean f32, Object x, int off, int m, boolean parallel) {
        boolean max = op == ReduceOp.AMAX;
        if (op == ReduceOp.AMAX || op == ReduceOp.AMIN) {
            if (!parallel || m <= 4 * FastPath.GRAIN) return extreme(max, f32, x, off, m);
            double[] part = new double[(int) Math.min(64, (m + 4 * FastPath.GRAIN - 1) / (4 * FastPath.GRAIN))];
            int step = (m + part.length - 1) / part.length;
            Parallel.forRange(part.length, 1, (s, e) -> {
                for (long p = s; p < e; p++) {
                    int from = (int) p * step, len = Math.min(step, m - from);
                    part[(int) p] = extreme(max, f32, x, off + from, len);
                }
            });
            double r = part[0];
            for (double v : part) r = max ? Math.max(r, v) : Math.min(r, v);
            return r;
        }
        double sum;
        if (m <= SUM_PIECE) sum = pieceSum(f32, x, off, m);
        else {
            // fixed-size pieces, combined pairwise: the result does not depend on the thread count
            int pieces = (m + SUM_PIECE - 1) / SUM_PIECE;
            double[] ps = new double[pieces];
            Parallel.RangeBody body = (s, e) -> {
                for (long p = s; p < e; p++) {
                    int from = (int) p * SUM_PIECE;
                    ps[(int) p] = pieceSum(f32, x, off + from, Math.min(SUM_PIECE, m - from));
                }
            };
            if (parallel) Parallel.forRange(pieces, Math.max(1, 4 * FastPath.GRAIN / SUM_PIECE), body);
            else body.run(0, pieces);
            sum = pairwiseSum(ps, 0, pieces);
        }
        return op == ReduceOp.MEAN ? sum / m : sum;
    }

    /** Elements per independently summed piece of a long run (a multiple of {@link ScalarKernels#SUM_BLOCK}). */
    static final int SUM_PIECE = 64 * ScalarKernels.SUM_BLOCK;

    private static double pieceSum(boolean f32, Object x, int off, int n) {
        if (f32 && Simd.AVAILABLE) return VectorKernels.sum((float[]) x, off, n);
        if (n <= ScalarKernels.SUM_BLOCK) return blockSum(f32, x, off, n);
        int blocks = (n + ScalarKernels.SUM_BLOCK - 1) / ScalarKernels.SUM_BLOCK;
        double[] bs = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            int from = b * ScalarKernels.SUM_BLOCK;
            bs[b] = blockSum(f32, x, off + from, Math.min(ScalarKernels.SUM_BLOCK, n - from));
        }
        return pairwiseSum(bs, 0, blocks);
    }

    private static double blockSum(boolean f32, Object x, int off, int n) {
        if (f32) return ScalarKernels.blockSum((float[]) x, off, n);
        return Simd.AVAILABLE ? VectorKernels.blockSum((double[]) x, off, n) : ScalarKernels.blockSum((double[]) x, off, n);
    }

    private static double extreme(boolean max, boolean f32, Object x, int off, int n) {
        if (f32) return Simd.AVAILABLE ? VectorKernels.extreme(max, (float[]) x, off, n) : ScalarKernels.extreme(max, (float[]) x, off, n);
        return Simd.AVAILABLE ? VectorKernels.extreme(max, (double[]) x, off, n) : ScalarKernels.extreme(max, (double[]) x, off, n);
    }

    /** Rows to add in the input dtype before folding them into the double accumulators. */
    private static final int COLUMN_BLOCK = 64;

    /**
     * The kept elements are one contiguous run of k (out is contiguous over them): out[j] reduces
     * in[r, j] over the m reduced positions r, vectorized across j.
     */
    private static void columnReduce(ReduceOp op, Strided out, Strided in, int nr, long[] rShape, long[] rStride, int k, long m) {
        boolean f32 = in.dtype() == DType.float32;
        boolean sum = op == ReduceOp.SUM || op == ReduceOp.MEAN, max = op == ReduceOp.AMAX;
        Object x = Access.array(in), y = Access.array(out);
        int yo = (int) out.offset();
        long base = in.offset();
        Parallel.forRange(k, Math.max(16, FastPath.GRAIN / Math.max(1, m)), (s, e) -> {
            int w = (int) (e - s);
            double[] acc = sum ? new double[w] : null;
            float[] fb = f32 ? new float[w] : null;
            double[] db = f32 ? null : new double[w];
            long[] idx = new long[nr];
            long off = base + s;
            int inBlock = 0;
            for (long r = 0; r < m; r++) {
                int o = (int) off;
                if (inBlock == 0 && (sum || r == 0)) {
                    if (f32) System.arraycopy((float[]) x, o, fb, 0, w); else System.arraycopy((double[]) x, o, db, 0, w);
                } else if (sum) {
                    if (f32) { if (Simd.AVAILABLE) VectorKernels.addInto(fb, (float[]) x, o, w); else ScalarKernels.addInto(fb, (float[]) x, o, w); }
                    else { if (Simd.AVAILABLE) VectorKernels.addInto(db, (double[]) x, o, w); else ScalarKernels.addInto(db, (double[]) x, o, w); }
                } else {
                    if (f32) { if (Simd.AVAILABLE) VectorKernels.extremeInto(max, fb, (float[]) x, o, w); else ScalarKernels.extremeInto(max, fb, (float[]) x, o, w); }
                    else { if (Simd.AVAILABLE) VectorKernels.extremeInto(max, db, (double[]) x, o, w); else ScalarKernels.extremeInto(max, db, (double[]) x, o, w); }
                }
                if (sum && (++inBlock == COLUMN_BLOCK || r == m - 1)) {
                    if (f32) for (int j = 0; j < w; j++) acc[j] += fb[j];
                    else for (int j = 0; j < w; j++) acc[j] += db[j];
                    inBlock = 0;
                }
                for (int d = nr - 1; d >= 0; d--) {
                    off += rStride[d];
                    if (++idx[d] < rShape[d]) break;
                    off -= idx[d] * rStride[d];
                    idx[d] = 0;
                }
            }
            for (int j = 0; j < w; j++) {
                double v = sum ? (op == ReduceOp.MEAN ? acc[j] / m : acc[j]) : f32 ? fb[j] : db[j];
                if (f32) ((float[]) y)[yo + (int) s + j] = (float) v; else ((double[]) y)[yo + (int) s + j] = v;
            }
        });
    }
}
