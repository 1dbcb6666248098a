package dev.jtorch.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/** The intra-op thread pool: splits index ranges across cores above a size threshold. */
public final class Parallel {
    private static volatile ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    /** Work below this many elements runs on the calling thread. */
    static final long GRAIN = 32_768;

    private Parallel() {}

    /** Like {@code torch.set_num_threads}. */
    public static void setNumThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("set_num_threads expects a positive integer");
        ForkJoinPool old = pool;
        pool = new ForkJoinPool(n);
        old.shutdown();
    }

    /** Like {@code torch.get_num_threads}. */
    public static int getNumThreads() { return pool.getParallelism(); }

    interface RangeBody { void run(long start, long end); }

    /** Runs body over [0, n) in pieces of at least {@code grain} elements, in parallel when worthwhile. */
    static void forRange(long n, long grain, RangeBody body) {
        int threads = pool.getParallelism();
        if (n <= grain || threads == 1 || java.util.concurrent.ForkJoinTask.getPool() == pool) {
            if (n > 0) body.run(0, n);
            return;
        }
        long pieces = Math.min(threads * 4L, (n + grain - 1) / grain);
        long step = (n + pieces - 1) / pieces;
        pool.invoke(new Split(body, 0, n, step));
    }

    private static final class Split extends RecursiveAction {
        final RangeBody body;
        final long start, end, step;

        Split(RangeBody body, long start, long end, long step) {
            this.body = body;
            this.start = start;
            this.end = end;
            this.step = step;
        }

        @Override protected void compute() {
            if (end - start <= step) {
                body.run(start, end);
                return;
            }
            long mid = start + ((end - start) / step / 2) * step;
            if (mid <= start) mid = start + step;
            invokeAll(new Split(body, start, mid, step), new Split(body, mid, end, step));
        }
    }
}
