package dev.jtorch.backend.cuda;

import java.util.ArrayList;
import java.util.List;

/** Index-space helpers: merging dims that are contiguous for every operand, and offset bounds. */
final class Layout {
    private Layout() {}

    /** The most dims a generated kernel indexes; more are peeled off on the host. */
    static final int MAX_RANK = 8;

    /** A shape and one stride array per operand (null for operands without strides). */
    record Coalesced(long[] shape, long[][] strides) {
        int rank() { return shape.length; }
    }

    /**
     * Drops size-1 dims and merges neighbouring dims that every operand walks contiguously
     * (stride[d] == stride[d+1] * shape[d+1]); the element order (row-major) is preserved.
     */
    static Coalesced coalesce(long[] shape, long[][] strides) {
        int ops = strides.length;
        List<Long> sh = new ArrayList<>();
        List<long[]> st = new ArrayList<>();
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) continue;
            long[] cur = new long[ops];
            for (int o = 0; o < ops; o++) cur[o] = strides[o] == null ? 0 : strides[o][d];
            if (!sh.isEmpty()) {
                int last = sh.size() - 1;
                long size = sh.get(last);
                long[] prev = st.get(last);
                boolean merge = true;
                for (int o = 0; o < ops && merge; o++) merge = cur[o] == prev[o] * size;
                if (merge) {
                    sh.set(last, size * shape[d]);
                    continue;
                }
            }
            sh.add(shape[d]);
            st.add(cur);
        }
        int r = sh.size();
        long[] outShape = new long[r];
        long[][] outStrides = new long[ops][];
        for (int o = 0; o < ops; o++) outStrides[o] = strides[o] == null ? null : new long[r];
        for (int i = 0; i < r; i++) {
            outShape[r - 1 - i] = sh.get(i);
            for (int o = 0; o < ops; o++) if (outStrides[o] != null) outStrides[o][r - 1 - i] = st.get(i)[o];
        }
        return new Coalesced(outShape, outStrides);
    }

    /** True when a coalesced operand walks its elements densely in order (rank 0, or rank 1 with stride 1). */
    static boolean dense(long[] shape, long[] stride) {
        return shape.length == 0 || (shape.length == 1 && stride[0] == 1);
    }

    static boolean allZero(long[] stride) {
        for (long s : stride) if (s != 0) return false;
        return true;
    }

    /** The largest element offset (relative to the view's offset) the view reaches; -1 when empty. */
    static long maxOffset(long[] shape, long[] stride) {
        long m = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) return -1;
            m = Math.addExact(m, Math.multiplyExact(shape[d] - 1, stride[d]));
        }
        return m;
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        return n;
    }
}
