package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;

import dev.jtorch.backend.Strided;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.ScanOp;
import java.util.Arrays;

/** Reductions over the dims where the output has size 1, and scans along one dim. */
final class Reductions {
    private Reductions() {}

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

}
