package dev.jtorch.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The intra-op thread pool: splits index ranges across cores above a size threshold.
 *
 * <p>The calling thread works too: a range is cut into pieces that the caller and up to
 * {@code threads - 1} pool workers take one at a time from a shared counter, so that a worker
 * that is slow to wake up (a busy machine) costs nothing but its own share. Work started from
 * inside a pool worker runs inline (no nested parallelism).
 */
public final class Parallel {
    private static volatile ForkJoinPool pool = newPool(Runtime.getRuntime().availableProcessors());

    /** Work below this many elements runs on the calling thread. */
    static final long GRAIN = 32_768;

    /** Pieces per thread: more pieces balance better when threads start late or run slower. */
    private static final int PIECES_PER_THREAD = 8;

    private Parallel() {}

    private static ForkJoinPool newPool(int n) {
        // asyncMode: the pool only ever runs independent Runnables, first in first out
        return new ForkJoinPool(n, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
    }

    /** Like {@code torch.set_num_threads}. */
    public static void setNumThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("set_num_threads expects a positive integer");
        ForkJoinPool old = pool;
        pool = newPool(n);
        old.shutdown();
    }

    /** Like {@code torch.get_num_threads}. */
    public static int getNumThreads() { return pool.getParallelism(); }

    interface RangeBody { void run(long start, long end); }

    private static boolean inPool(ForkJoinPool p) {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == p;
    }

    /** Runs body over [0, n) in pieces of at least {@code grain} elements, in parallel when worthwhile. */
    static void forRange(long n, long grain, RangeBody body) {
        ForkJoinPool p = pool;
        int threads = p.getParallelism();
        if (n <= grain || threads == 1 || inPool(p)) {
            if (n > 0) body.run(0, n);
            return;
        }
        long pieces = Math.min((long) threads * PIECES_PER_THREAD, (n + grain - 1) / grain);
        long step = (n + pieces - 1) / pieces;
        pieces = (n + step - 1) / step;
        Job job = new Job(body, n, step, (int) pieces, Thread.currentThread());
        int helpers = (int) Math.min(threads - 1, pieces - 1);
        try {
            for (int i = 0; i < helpers; i++) p.execute(job);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the pool was replaced by setNumThreads meanwhile: the caller does the rest
        }
        job.run();
        job.await();
    }

    /** One parallel range: pieces handed out by a counter, completion counted, the first failure kept. */
    private static final class Job implements Runnable {
        final RangeBody body;
        final long n, step;
        final int pieces;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(RangeBody body, long n, long step, int pieces, Thread caller) {
            this.body = body;
            this.n = n;
            this.step = step;
            this.pieces = pieces;
            this.caller = caller;
        }

        @Override public void run() {
            int q;
            while ((q = next.getAndIncrement()) < pieces) {
                try {
                    if (failure.get() == null) body.run(q * step, Math.min(n, (q + 1) * step));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (done.incrementAndGet() == pieces) LockSupport.unpark(caller);
                }
            }
        }

        void await() {
            for (int spin = 0; done.get() < pieces; spin++) {
                if (spin < 1000) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 100_000);
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }
}
