package dev.jtorch.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link Parallel#forRange}: every index once, nested calls inline, the original exception rethrown, thread count changes. */
class ParallelTest {

    @Test
    void coversEveryIndexExactlyOnce() {
        for (long n : new long[]{1, 100, 32_768, 32_769, 1_000_003}) {
            AtomicIntegerArray seen = new AtomicIntegerArray((int) n);
            Parallel.forRange(n, 1000, (s, e) -> {
                for (long i = s; i < e; i++) seen.incrementAndGet((int) i);
            });
            for (int i = 0; i < n; i++) assertEquals(1, seen.get(i), "n=" + n + " i=" + i);
        }
    }

    @Test
    void nestedRangesRunInline() {
        AtomicLong total = new AtomicLong();
        Parallel.forRange(64, 1, (s, e) -> {
            for (long i = s; i < e; i++) Parallel.forRange(10_000, 10, (a, b) -> total.addAndGet(b - a));
        });
        assertEquals(64 * 10_000L, total.get());
    }

    @Test
    void theOriginalExceptionIsRethrown() {
        IndexOutOfBoundsException boom = new IndexOutOfBoundsException("index 7 is out of bounds for dimension 0 with size 3");
        var thrown = assertThrows(IndexOutOfBoundsException.class, () -> Parallel.forRange(1_000_000, 1000, (s, e) -> {
            if (s <= 500_000 && 500_000 < e) throw boom;
        }));
        assertSame(boom, thrown);
    }

    @Test
    void threadCountCanChange() {
        int before = Parallel.getNumThreads();
        try {
            Parallel.setNumThreads(3);
            assertEquals(3, Parallel.getNumThreads());
            AtomicLong total = new AtomicLong();
            Parallel.forRange(1_000_000, 100, (s, e) -> total.addAndGet(e - s));
            assertEquals(1_000_000, total.get());
            assertThrows(IllegalArgumentException.class, () -> Parallel.setNumThreads(0));
        } finally {
            Parallel.setNumThreads(before);
        }
    }
}
