package dev.jtorch.backend.cpu;

import dev.jtorch.backend.Strided;

/**
 * Several same-shape strided operands walked together in row-major order, with size-1 dims
 * dropped and adjacent dims merged wherever every operand allows it (a contiguous tensor becomes
 * one dim). {@link Rows} then hands out runs along the innermost dim as (offset, stride) pairs, so
 * kernels work on plain arrays with no per-element index arithmetic beyond a stride.
 */
final class Layout {
    final int nd;
    final long[] shape;
    /** stride[k][d]: operand k's stride along merged dim d. */
    final long[][] stride;
    final long[] offset;

    private Layout(int nd, long[] shape, long[][] stride, long[] offset) {
        this.nd = nd;
        this.shape = shape;
        this.stride = stride;
        this.offset = offset;
    }

    /** All operands must have the same shape. */
    static Layout of(Strided... ops) {
        int k = ops.length;
        long[] shp = ops[0].shape();
        int full = shp.length;
        long[] shape = new long[Math.max(full, 1)];
        long[][] stride = new long[k][Math.max(full, 1)];
        long[] offset = new long[k];
        for (int j = 0; j < k; j++) offset[j] = ops[j].offset();
        int nd = 0;
        for (int d = 0; d < full; d++) {
            long size = shp[d];
            if (size == 1) continue;
            if (nd > 0) {
                boolean merge = true;
                for (int j = 0; j < k && merge; j++) merge = stride[j][nd - 1] == ops[j].stride()[d] * size;
                if (merge) {
                    shape[nd - 1] *= size;
                    for (int j = 0; j < k; j++) stride[j][nd - 1] = ops[j].stride()[d];
                    continue;
                }
            }
            shape[nd] = size;
            for (int j = 0; j < k; j++) stride[j][nd] = ops[j].stride()[d];
            nd++;
        }
        if (nd == 0) { // a single element
            shape[0] = 1;
            for (int j = 0; j < k; j++) stride[j][0] = 1;
            nd = 1;
        }
        return new Layout(nd, shape, stride, offset);
    }

    long inner() { return shape[nd - 1]; }

    long innerStride(int operand) { return stride[operand][nd - 1]; }

    /** Runs along the innermost dim covering flat positions [start, end). */
    final class Rows {
        private final long[] index = new long[nd];
        private final long[] cur;
        private long pos;
        private final long end;
        /** The current run: its length and each operand's offset where it starts. */
        int n;
        final int[] off;

        Rows(long start, long end) {
            this.end = end;
            this.pos = start;
            int k = offset.length;
            cur = offset.clone();
            off = new int[k];
            long rest = start;
            for (int d = nd - 1; d >= 0; d--) {
                index[d] = rest % shape[d];
                rest /= shape[d];
                for (int j = 0; j < k; j++) cur[j] += index[d] * stride[j][d];
            }
        }

        boolean next() {
            if (n > 0) advance(n);
            if (pos >= end) return false;
            n = (int) Math.min(shape[nd - 1] - index[nd - 1], end - pos);
            for (int j = 0; j < off.length; j++) off[j] = (int) cur[j];
            return true;
        }

        private void advance(long run) {
            pos += run;
            int d = nd - 1;
            int k = cur.length;
            index[d] += run;
            for (int j = 0; j < k; j++) cur[j] += run * stride[j][d];
            while (d > 0 && index[d] >= shape[d]) {
                for (int j = 0; j < k; j++) cur[j] -= index[d] * stride[j][d];
                index[d] = 0;
                d--;
                index[d]++;
                for (int j = 0; j < k; j++) cur[j] += stride[j][d];
            }
        }
    }
}
