package dev.jtorch.backend.cpu;

import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Kernel;
import dev.jtorch.backend.SegmentStorage;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.Strided;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Runs a CPU op whose operands include {@link SegmentStorage}s (native host memory, e.g. pinned) on Java
 * arrays: each such storage's span reached by the op's views is read into one {@link ArrayStorage} (views of
 * the same storage share it, so in-place ops and aliasing behave as on arrays), the op runs on views rebased
 * onto the staged arrays, and then only the elements of the output view are written back, so concurrent
 * writers of other elements in the span are not overwritten. INDEX reads, and INDEX_PUT writes, beyond the
 * indexed view's own shape (by the index values times the indexed dims' strides): that view's span is widened
 * by the indexed dims' reach, and after INDEX_PUT the whole widened span is written back. A span wider than
 * {@link #pieceElements} (a tensor too large for an array) goes to {@link Pieces} instead, which splits the op.
 */
final class Staging {
    private Staging() {}

    /**
     * The most elements staged for one operand at a time; an op reaching a wider span runs in {@link Pieces}.
     * Tests lower it to run that path on small tensors.
     */
    static volatile int pieceElements = 1 << 24;

    static boolean needed(Kernel k) {
        if (k.out().storage() instanceof SegmentStorage) return true;
        for (Strided s : k.inputs()) if (s.storage() instanceof SegmentStorage) return true;
        return false;
    }

    /** A staged span: storage elements [lo, lo + array length) live in {@code array}. */
    private record Stage(long lo, ArrayStorage array) {}

    static void execute(CpuBackend backend, Kernel kernel) {
        // how far INDEX reads, and INDEX_PUT writes, past the indexed view's shape
        long readReach = kernel instanceof Kernel.Index k ? reach(k.strides(), k.sizes()) : 0;
        long writeReach = kernel instanceof Kernel.IndexPut k ? reach(k.strides(), k.sizes()) : 0;
        Strided out = kernel.out();
        Strided[] in = kernel.inputs();
        Map<Storage, long[]> spans = new IdentityHashMap<>();
        include(spans, out, writeReach);
        for (int i = 0; i < in.length; i++) include(spans, in[i], i == 0 ? readReach : 0);
        for (long[] span : spans.values()) {
            if (span[0] <= span[1] && span[1] - span[0] >= pieceElements) { // too large to stage at once: piece by piece
                Pieces.execute(backend, kernel);
                return;
            }
        }
        Map<Storage, Stage> stages = new IdentityHashMap<>();
        for (Map.Entry<Storage, long[]> e : spans.entrySet()) {
            long[] span = e.getValue();
            long lo = span[0] <= span[1] ? span[0] : 0, count = span[0] <= span[1] ? span[1] - span[0] + 1 : 0;
            stages.put(e.getKey(), new Stage(lo, ((SegmentStorage) e.getKey()).read(lo, count)));
        }
        Strided[] staged = new Strided[in.length];
        for (int i = 0; i < in.length; i++) staged[i] = rebase(in[i], stages);
        backend.execute(kernel.with(rebase(out, stages), staged));
        if (out.storage() instanceof SegmentStorage seg) {
            Stage st = stages.get(seg);
            if (kernel instanceof Kernel.IndexPut) seg.write(st.array(), 0, st.lo(), st.array().numel());
            else writeBack(seg, st, out);
        }
    }

    private static long reach(long[] strides, long[] sizes) {
        long reach = 0;
        for (int k = 0; k < strides.length; k++) if (sizes[k] > 0) reach += (sizes[k] - 1) * strides[k];
        return reach;
    }

    /** Widens the storage's span by the elements {@code s} reaches, plus {@code extra} (empty views reach none). */
    private static void include(Map<Storage, long[]> spans, Strided s, long extra) {
        if (!(s.storage() instanceof SegmentStorage)) return;
        long[] span = spans.computeIfAbsent(s.storage(), k -> new long[]{Long.MAX_VALUE, Long.MIN_VALUE});
        if (s.numel() == 0) return;
        long lo = s.offset() + Math.min(extra, 0), hi = s.offset() + Math.max(extra, 0);
        for (int d = 0; d < s.dim(); d++) {
            long reach = (s.shape()[d] - 1) * s.stride()[d];
            if (reach < 0) lo += reach;
            else hi += reach;
        }
        if (lo < 0 || hi >= s.storage().numel())
            throw new IllegalStateException("a view reaches elements [" + lo + ", " + hi + "] of a storage of " + s.storage().numel());
        span[0] = Math.min(span[0], lo);
        span[1] = Math.max(span[1], hi);
    }

    private static Strided rebase(Strided s, Map<Storage, Stage> stages) {
        Stage st = stages.get(s.storage());
        if (st == null) return s;
        long offset = s.numel() == 0 ? 0 : s.offset() - st.lo();
        return new Strided(st.array(), s.dtype(), s.shape(), s.stride(), offset);
    }

    /** Copies the output view's elements (only those) from the staged array back to the storage. */
    private static void writeBack(SegmentStorage seg, Stage st, Strided out) {
        long n = out.numel();
        if (n == 0) return;
        if (out.isContiguous()) {
            seg.write(st.array(), out.offset() - st.lo(), out.offset(), n);
            return;
        }
        int nd = out.dim();
        long[] shape = out.shape(), stride = out.stride();
        long inner = shape[nd - 1], innerStride = stride[nd - 1];
        long[] index = new long[nd - 1];
        for (long row = 0, rows = n / inner; row < rows; row++) {
            long at = out.offset();
            for (int d = 0; d < nd - 1; d++) at += index[d] * stride[d];
            if (innerStride == 1) {
                seg.write(st.array(), at - st.lo(), at, inner);
            } else {
                for (long k = 0; k < inner; k++) seg.write(st.array(), at + k * innerStride - st.lo(), at + k * innerStride, 1);
            }
            for (int d = nd - 2; d >= 0; d--) {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
    }
}
