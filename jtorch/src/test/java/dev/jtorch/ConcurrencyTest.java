package dev.jtorch;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorch.nn.F;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tensors made and used from many threads at once: independent work per thread, threads reading shared
 * tensors, and grad mode per thread. Results must equal the same work done on one thread, and nothing may
 * deadlock (the intra-op pool is entered from all threads at once).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrencyTest {

    static final int THREADS = 8;

    static Tensor randomTensor(long seed, long... shape) {
        Random r = new Random(seed);
        int n = 1;
        for (long s : shape) n *= (int) s;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian());
        return fromArray(v, shape);
    }

    /** A little of everything, some of it large enough to be split across the intra-op pool. */
    static List<Tensor> work(long seed) {
        Tensor a = randomTensor(seed, 300, 200), b = randomTensor(seed + 1, 200, 150);
        Tensor big = randomTensor(seed + 2, 400, 500);
        List<Tensor> out = new ArrayList<>();
        out.add(a.matmul(b));
        out.add(big.exp().add(big.mul(2.5)).sum(1));
        out.add(big.t().contiguous().mean(0));
        out.add(F.softmax(a, 1).sum(0));
        out.add(big.cumsum(1).amax(0));
        out.add(a.sort(1, false).values().get(":, :3").contiguous());
        out.add(big.to(float16).to(float32).sub(big).abs().max().reshape(1));
        out.add(big.gt(0).sum(0));
        out.add(a.argmax(1));
        out.add(where(big.lt(0), big.neg(), big).sqrt().sum().reshape(1));
        out.add(a.get("::2, 1::3").mul(b.sum()).contiguous());
        return out;
    }

    static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CyclicBarrier start = new CyclicBarrier(tasks.size());
            List<Future<T>> fs = new ArrayList<>();
            for (Callable<T> t : tasks) fs.add(pool.submit(() -> {
                start.await();
                return t.call();
            }));
            List<T> results = new ArrayList<>();
            for (Future<T> f : fs) results.add(f.get(100, TimeUnit.SECONDS));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Integer results must be equal; float ones within a few float32 ulps: the Vector API's transcendental
     * functions (exp in softmax) round differently once the JIT has compiled them, so a warm thread may differ
     * from a cold one in the last bit. A race would show as a gross error.
     */
    static void assertSame(List<Tensor> want, List<Tensor> got, String what) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            Tensor w = want.get(i), g = got.get(i);
            assertEquals(w.dtype(), g.dtype(), what + " result " + i);
            assertArrayEquals(w.shape().toArray(), g.shape().toArray(), what + " result " + i);
            if (!w.dtype().isFloatingPoint()) {
                assertArrayEquals(w.toLongArray(), g.toLongArray(), what + " result " + i);
                continue;
            }
            double[] a = w.toDoubleArray(), b = g.toDoubleArray();
            double scale = 0;
            for (double v : a) scale = Math.max(scale, Math.abs(v));
            for (int k = 0; k < a.length; k++)
                assertEquals(a[k], b[k], 1e-6 * (Math.abs(a[k]) + scale), what + " result " + i + " [" + k + "]");
        }
    }

    @Test
    void independentWorkOnEightThreads() throws Exception {
        List<List<Tensor>> expected = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) expected.add(work(1000L * t));
        List<Callable<List<List<Tensor>>>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 1000L * t;
            tasks.add(() -> {
                List<List<Tensor>> rounds = new ArrayList<>();
                for (int round = 0; round < 3; round++) rounds.add(work(seed));
                return rounds;
            });
        }
        List<List<List<Tensor>>> results = runAll(tasks);
        for (int t = 0; t < THREADS; t++)
            for (List<Tensor> round : results.get(t)) assertSame(expected.get(t), round, "thread " + t);
    }

    @Test
    void threadsSharingReadOnlyTensors() throws Exception {
        Tensor w = randomTensor(7, 256, 256), x = randomTensor(8, 64, 256);
        float[] wBefore = w.toFloatArray(), xBefore = x.toFloatArray();
        Tensor wT = w.t(); // a shared non-contiguous view
        Tensor y = x.matmul(w), s = x.matmul(wT).sum(0), n = w.norm(2, 1, false), c = w.get(":, 10:20").sum();
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            tasks.add(() -> {
                for (int i = 0; i < 5; i++) {
                    assertArrayEquals(y.toFloatArray(), x.matmul(w).toFloatArray());
                    assertArrayEquals(s.toFloatArray(), x.matmul(wT).sum(0).toFloatArray());
                    assertArrayEquals(n.toFloatArray(), w.norm(2, 1, false).toFloatArray());
                    assertEquals(c.item(), w.get(":, 10:20").sum().item());
                    Tensor mine = w.clone();
                    mine.mul_(2.0); // private copies may be written freely
                    assertEquals(2 * w.get(3, 4).item(), mine.get(3, 4).item());
                }
                return true;
            });
        }
        for (boolean ok : runAll(tasks)) assertTrue(ok);
        assertArrayEquals(wBefore, w.toFloatArray(), "shared tensors are unchanged");
        assertArrayEquals(xBefore, x.toFloatArray());
    }

    @Test
    void manySmallTensorsFromManyThreads() throws Exception {
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long k = t;
            tasks.add(() -> {
                long total = 0;
                for (int i = 0; i < 2000; i++) {
                    Tensor v = arange(0, 10).add(k).mul(i % 7);
                    total += v.sum().itemLong();
                }
                return total;
            });
        }
        List<Long> totals = runAll(tasks);
        for (int t = 0; t < THREADS; t++) {
            long want = 0;
            for (int i = 0; i < 2000; i++) want += (45 + 10L * t) * (i % 7);
            assertEquals(want, totals.get(t), "thread " + t);
        }
    }

    @Test
    void gradModeIsPerThread() throws Exception {
        CyclicBarrier inside = new CyclicBarrier(2);
        Callable<Boolean> noGradThread = () -> {
            try (var g = noGrad()) {
                inside.await(10, TimeUnit.SECONDS);
                Tensor x = ones(3).requiresGrad_();
                Tensor y = x.mul(2.0);
                inside.await(10, TimeUnit.SECONDS);
                return y.gradFn() == null && !isGradEnabled();
            }
        };
        Callable<Boolean> gradThread = () -> {
            inside.await(10, TimeUnit.SECONDS); // the other thread is inside noGrad() now
            Tensor x = ones(3).requiresGrad_();
            Tensor y = x.mul(2.0);
            inside.await(10, TimeUnit.SECONDS);
            return y.gradFn() != null && isGradEnabled();
        };
        List<Boolean> r = runAll(List.of(noGradThread, gradThread));
        assertTrue(r.get(0), "no_grad applies on its own thread");
        assertTrue(r.get(1), "and not on the other");
        assertTrue(isGradEnabled());
    }

    @Test
    void independentBackwardPassesOnEightThreads() throws Exception {
        List<Callable<float[]>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 50 + t;
            tasks.add(() -> {
                float[] last = null;
                for (int i = 0; i < 20; i++) {
                    Tensor x = randomTensor(seed, 40, 30).requiresGrad_();
                    Tensor loss = x.mul(x).sum().add(x.exp().mean());
                    loss.backward();
                    assertNotNull(x.grad());
                    last = x.grad().toFloatArray();
                }
                return last;
            });
        }
        List<float[]> grads = runAll(tasks);
        for (int t = 0; t < THREADS; t++) {
            Tensor x = randomTensor(50 + t, 40, 30);
            float[] want;
            try (var g = noGrad()) {
                want = x.mul(2.0).add(x.exp().div(1200.0)).toFloatArray();
            }
            float[] got = grads.get(t);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5 * Math.max(1, Math.abs(want[i])), "thread " + t + " grad[" + i + "]");
        }
    }

    @Test
    void sharedTensorWithoutGradStaysWithoutGrad() throws Exception {
        Tensor shared = randomTensor(3, 10);
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++)
            tasks.add(() -> {
                Tensor w = ones(10).requiresGrad_();
                Tensor y = shared.mul(w).sum();
                y.backward();
                return w.grad() != null && shared.grad() == null;
            });
        for (boolean ok : runAll(tasks)) assertTrue(ok);
        assertNull(shared.grad());
        assertFalse(shared.requiresGrad());
    }
}
