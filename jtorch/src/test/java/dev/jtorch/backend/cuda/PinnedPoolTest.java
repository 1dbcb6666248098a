package dev.jtorch.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pinned-block cache's bookkeeping, over a fake driver (runs without a GPU). */
class PinnedPoolTest {
    /** Hands out heap-backed blocks and can be told to refuse; counts what it gave and took back. */
    static final class FakeHost implements PinnedPool.Host {
        final Arena arena = Arena.ofAuto();
        final List<MemorySegment> live = new ArrayList<>();
        long capacity = Long.MAX_VALUE, allocations, frees;

        long liveBytes() { return live.stream().mapToLong(MemorySegment::byteSize).sum(); }

        @Override public MemorySegment allocOrNull(long bytes) {
            if (liveBytes() + bytes > capacity) return null;
            allocations++;
            MemorySegment m = arena.allocate(bytes, 64);
            live.add(m);
            return m;
        }

        @Override public void free(MemorySegment block) {
            assertTrue(live.removeIf(m -> m.address() == block.address()), "freed a block the driver did not give");
            frees++;
        }
    }

    /** An event the test completes by hand. */
    static final class FakeUse implements PinnedPool.Use {
        boolean done, released;

        @Override public boolean done() { return done; }

        @Override public void release() {
            assertTrue(done && !released, "released an event that is not done, or twice");
            released = true;
        }
    }

    @Test
    void sizesRoundUpToPowersOfTwo() {
        assertEquals(512, PinnedPool.blockSize(1));
        assertEquals(512, PinnedPool.blockSize(512));
        assertEquals(1024, PinnedPool.blockSize(513));
        assertEquals(1L << 20, PinnedPool.blockSize(1L << 20));
        assertEquals(1L << 21, PinnedPool.blockSize((1L << 20) + 1));
        assertEquals(1L << 30, PinnedPool.blockSize(600_000_000L));
    }

    @Test
    void aReturnedBlockIsReusedWithoutTheDriver() {
        FakeHost host = new FakeHost();
        PinnedPool pool = new PinnedPool(host);
        MemorySegment a = pool.allocate(3000);
        assertEquals(4096, a.byteSize());
        assertEquals(4096, pool.inUseBytes());
        pool.release(a, List.of());
        assertEquals(0, pool.inUseBytes());
        assertEquals(4096, pool.cachedBytes());
        MemorySegment b = pool.allocate(4000);                // same size class
        assertEquals(a.address(), b.address(), "not reused");
        assertEquals(1, host.allocations);
        assertEquals(0, pool.cachedBytes());
        MemorySegment c = pool.allocate(5000);                // another class: a fresh block
        assertNotEquals(a.address(), c.address());
        assertEquals(2, host.allocations);
        assertEquals(4096 + 8192, pool.inUseBytes());
    }

    @Test
    void aBlockIsNotReusedBeforeItsQueuedCopiesAreDone() {
        FakeHost host = new FakeHost();
        PinnedPool pool = new PinnedPool(host);
        MemorySegment a = pool.allocate(1 << 20);
        FakeUse first = new FakeUse(), second = new FakeUse();
        pool.release(a, List.of(first, second));
        assertEquals(1 << 20, pool.inUseBytes(), "a block under a queued copy is still in use");
        MemorySegment b = pool.allocate(1 << 20);
        assertNotEquals(a.address(), b.address(), "reused while its copies may run");
        first.done = true;
        assertEquals(2 << 20, pool.inUseBytes());
        assertTrue(first.released, "a completed event is given back at once");
        second.done = true;
        assertEquals(1 << 20, pool.inUseBytes());
        assertTrue(second.released);
        assertEquals(a.address(), pool.allocate(1 << 20).address());
        assertEquals(2, host.allocations);
        assertEquals(0, host.frees);
    }

    @Test
    void emptyCacheGivesFreeBlocksBackButNotBlocksInUse() {
        FakeHost host = new FakeHost();
        PinnedPool pool = new PinnedPool(host);
        MemorySegment a = pool.allocate(1000), b = pool.allocate(1000), c = pool.allocate(100_000);
        FakeUse pending = new FakeUse();
        pool.release(a, List.of());
        pool.release(c, List.of(pending));
        assertEquals(1024, pool.emptyCache());
        assertEquals(1, host.frees);
        assertEquals(1024 + 131072, pool.inUseBytes());
        assertEquals(0, pool.cachedBytes());
        pending.done = true;
        assertEquals(131072, pool.emptyCache());
        assertEquals(List.of(b.address()), host.live.stream().map(MemorySegment::address).toList(), "only b is still held");
    }

    @Test
    void whenTheDriverRefusesTheCacheIsTrimmedAndTheDriverAskedAgain() {
        FakeHost host = new FakeHost();
        host.capacity = 4 << 20;
        PinnedPool pool = new PinnedPool(host);
        MemorySegment a = pool.allocate(1 << 20), b = pool.allocate(1 << 20);
        pool.release(a, List.of());
        pool.release(b, List.of());
        MemorySegment big = pool.allocate(3 << 20);          // 4 MiB: only fits once the cached 2 MiB go back
        assertEquals(4 << 20, big.byteSize());
        assertEquals(2, host.frees);
        assertEquals(0, pool.cachedBytes());
        assertNull(pool.allocate(1), "nothing left to trim: null, and the caller collects and retries");
        assertEquals(4 << 20, pool.inUseBytes());
    }
}
