package dev.jtorch;

import static dev.jtorch.PinnedMemoryTest.assertSameValues;
import static dev.jtorch.PinnedMemoryTest.samples;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.backend.cuda.Cuda;
import dev.jtorch.backend.cuda.Event;
import dev.jtorch.backend.cuda.Stream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pinned host memory and non-blocking copies on a GPU: pinMemory(), every dtype through pinned memory both
 * ways, strided and broadcast operands, the pageable fallback, and the ordering guarantees. What "returns at
 * once" means is proven without timing: a {@link Gate} holds the stream at a host function, so a copy queued
 * behind it cannot have run when the call returns; a call that waited for the stream would hang until the gate
 * gives up (then the test fails naming it).
 */
@Tag("cuda")
class CudaPinnedTest {
    static final Device GPU = Device.of("cuda");
    static final Device CPU = Device.CPU;

    @BeforeEach
    void needGpu() { Assumptions.assumeTrue(Torch.cuda.isAvailable(), "no CUDA device"); }

    /**
     * Holds a stream at a host function (cuLaunchHostFunc) until {@link #open()} (or {@code seconds} pass): work
     * queued on the stream behind it cannot start before. Closing opens it.
     */
    static final class Gate implements AutoCloseable {
        private static final MethodHandle LAUNCH_HOST_FUNC;
        private static final MemorySegment HOLD;
        private static final Map<Long, Gate> GATES = new ConcurrentHashMap<>();
        private static final AtomicLong IDS = new AtomicLong(1);

        static {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup cuda = SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
                LAUNCH_HOST_FUNC = linker.downcallHandle(cuda.find("cuLaunchHostFunc").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
                MethodHandle hold = MethodHandles.lookup().findStatic(Gate.class, "hold", MethodType.methodType(void.class, MemorySegment.class));
                HOLD = linker.upcallStub(hold, FunctionDescriptor.ofVoid(ADDRESS), Arena.global());
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final CountDownLatch latch = new CountDownLatch(1);
        private final int seconds;
        private volatile boolean timedOut;

        private Gate(int seconds) { this.seconds = seconds; }

        static Gate on(Stream s) { return on(s, 20); }

        static Gate on(Stream s, int seconds) {
            Gate g = new Gate(seconds);
            long id = IDS.getAndIncrement();
            GATES.put(id, g);
            int rc;
            try {
                rc = (int) LAUNCH_HOST_FUNC.invokeExact(MemorySegment.ofAddress(s.cudaStream()), HOLD, MemorySegment.ofAddress(id));
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
            assertEquals(0, rc, "cuLaunchHostFunc");
            return g;
        }

        /** Runs on the driver's callback thread; must not throw. */
        private static void hold(MemorySegment userData) {
            Gate g = GATES.remove(userData.address());
            if (g == null) return;
            try {
                if (!g.latch.await(g.seconds, TimeUnit.SECONDS)) g.timedOut = true;
            } catch (Throwable ignored) {
                g.timedOut = true;
            }
        }

        void open() { latch.countDown(); }

        /** True when the gate opened by itself: something waited for the held stream. */
        boolean timedOut() { return timedOut; }

        boolean isOpen() { return latch.getCount() == 0; }

        @Override public void close() { open(); }
    }

    static String address(Tensor t) {
        String s = t.storage.toString(); // CudaStorage(float32, N elements at 0x... on cuda:0)
        return s.substring(s.indexOf(" at ") + 4, s.indexOf(" on "));
    }

    /** Waits (up to ~5 s) until the GC has run pending cleaners, so memory counters settle. */
    static void settle() throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(20);
        }
    }

    // ---------------------------------------------------------------- pinMemory

    @Test
    void pinMemoryGivesAPinnedCpuTensorThatCpuOpsUse() {
        Tensor x = Torch.arange(12.0).reshape(3, 4);
        Tensor p = x.pinMemory();
        assertTrue(p.isPinned());
        assertFalse(x.isPinned());
        assertEquals(CPU, p.device());
        assertEquals("torch.FloatTensor", p.type());
        assertEquals(x.toString(), p.toString());
        assertSame(p, p.pinMemory());
        assertTrue(p.get(1).isPinned(), "a view of pinned memory is pinned");
        assertFalse(p.clone().isPinned(), "clone() allocates ordinary memory, as in PyTorch");
        assertFalse(p.to(DType.float64).isPinned());
        assertTrue(Cuda.pinnedMemoryBytes() >= 48);
        IllegalStateException e = assertThrows(IllegalStateException.class, p::array);
        assertTrue(e.getMessage().contains("pinned"), e.getMessage());

        // CPU ops read and write it
        assertSameValues(x.add(1), p.add(1));
        assertSameValues(x.sum(0), p.sum(0));
        assertSameValues(x.matmul(x.t()), p.matmul(p.t()));
        p.get(":, 1").mul_(10);
        p.set(p.gt(80), -1.0);
        assertTrue(p.isPinned());
        assertArrayEquals(new float[]{0, 10, 2, 3, 4, 50, 6, 7, 8, -1, 10, 11}, p.toFloatArray());

        // layout: PyTorch keeps the strides (storage just large enough); broadcast views become contiguous
        Tensor t = x.t().pinMemory();
        assertArrayEquals(new long[]{1, 4}, t.stride());
        assertSameValues(x.t(), t);
        Tensor gappy = x.get(":, ::2").pinMemory();
        assertArrayEquals(new long[]{4, 2}, gappy.stride());
        assertEquals(0, gappy.storageOffset());
        assertSameValues(x.get(":, ::2"), gappy);
        Tensor slice = x.get("1:, 1:3").pinMemory();
        assertSameValues(x.get("1:, 1:3"), slice);
        Tensor expanded = Torch.arange(3.0).expand(2, 3).pinMemory();
        assertArrayEquals(new long[]{3, 1}, expanded.stride());
        assertSameValues(Torch.arange(3.0).expand(2, 3), expanded);
        Tensor empty = Torch.zeros(0, 3).pinMemory();
        assertTrue(empty.isPinned());
        assertEquals(0, empty.numel());
        Tensor scalar = Torch.tensor(2.5).pinMemory();
        assertEquals(2.5, scalar.item());
        assertTrue(scalar.isPinned());
    }

    @Test
    void pinMemoryRefusesGpuTensorsAndPassesGradients() {
        Tensor g = Torch.ones(new long[]{2}, DType.float32, GPU);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::pinMemory);
        assertEquals("cannot pin 'torch.cuda.FloatTensor' only dense CPU tensors can be pinned", e.getMessage());
        assertFalse(g.isPinned());

        Tensor x = Torch.arange(4.0).requiresGrad_();
        Tensor p = x.pinMemory();
        assertEquals("PinMemoryBackward0", p.gradFn().name());
        p.mul(p).sum().backward();
        assertArrayEquals(new float[]{0, 2, 4, 6}, x.grad().toFloatArray());
        Tensor q = x.detach().pinMemory().requiresGrad_();
        Tensor onGpu = q.to(GPU, true);
        onGpu.mul(3).sum().backward();
        assertArrayEquals(new float[]{3, 3, 3, 3}, q.grad().toFloatArray());
    }

    @Test
    void aPinnedScalarCanStandForANumberInGpuOps() {
        Tensor g = Torch.arange(4.0).to(GPU);
        Tensor two = Torch.tensor(2.0).pinMemory();
        assertArrayEquals(new float[]{0, 2, 4, 6}, g.mul(two).toFloatArray());
        Tensor row = Torch.arange(3.0).pinMemory();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.get(":3").add(row));
        assertTrue(e.getMessage().startsWith("Expected all tensors to be on the same device"), e.getMessage());
    }

    // ---------------------------------------------------------------- every dtype, both directions

    @Test
    void everyDtypeRoundTripsThroughPinnedMemoryWithNonBlockingCopies() {
        Stream s = Torch.cuda.Stream();
        for (DType t : DType.values()) {
            Tensor x = samples(t).expand(1000, 6).contiguous(); // 6000 elements: more than one 512-byte block
            Tensor p = x.pinMemory();
            assertTrue(p.isPinned(), t.toString());
            assertSameValues(x, p);
            Tensor g, g2, h, h2, h64;
            Tensor into = Torch.zeros(new long[]{1000, 6}, t).pinMemory();
            Tensor dev = Torch.zeros(new long[]{1000, 6}, t, GPU);
            try (var use = s.use()) {
                g = p.to(GPU, true);                   // host to device from pinned memory: queued
                g2 = p.cuda(true);
                dev.copy_(p, true);
                h = g.to(CPU, true);                   // device to host: a new pinned tensor, queued
                into.copy_(g2, true);                  // into existing pinned memory, queued
                h64 = t == DType.bool ? null : g.to(CPU, DType.float64, true); // converted on the device, then queued
                h2 = dev.to(CPU, true);
                s.synchronize();
            }
            assertTrue(g.isCuda() && g2.isCuda(), t.toString());
            assertTrue(h.isPinned() && h2.isPinned(), "to(cpu, nonBlocking) lands in pinned memory, as in PyTorch: " + t);
            assertSameValues(x, h);
            assertSameValues(x, h2);
            assertSameValues(x, into);
            assertSameValues(x, g.cpu());              // read back through the pageable path too
            if (h64 != null) assertSameValues(x.to(DType.float64), h64);
            // blocking copies through pinned memory are direct too, and wait
            Tensor gb = p.to(GPU);
            Tensor hb = Torch.zeros(new long[]{1000, 6}, t).pinMemory();
            hb.copy_(gb);
            assertSameValues(x, hb);
            if (t != DType.bool) {
                // a pinned source converted on the way (converted on the host, as PyTorch does: the copy then waits)
                assertSameValues(x.to(DType.float64), p.to(GPU, DType.float64, true).cpu());
            }
        }
    }

    @Test
    void stridedAndBroadcastOperandsOnEitherSide() {
        Tensor x = Torch.arange(24.0).reshape(4, 6);
        Stream s = Torch.cuda.Stream();
        try (var use = s.use()) {
            Tensor pt = x.t().pinMemory();                      // strides (1, 6): copied as a span, gathered on the device
            Tensor gt = pt.to(GPU, true);
            Tensor gappy = x.get(":, ::2").pinMemory();         // strides (6, 2) over 19 elements
            Tensor gg = gappy.cuda(true);
            Tensor row = Torch.arange(6.0).pinMemory();
            Tensor big = Torch.zeros(new long[]{4, 6}, DType.float32, GPU);
            big.copy_(row, true);                               // broadcast from pinned memory
            Tensor colMajor = Torch.zeros(new long[]{6, 4}, DType.float32, GPU).t();
            colMajor.copy_(x.pinMemory(), true);                // into a non-contiguous device view
            Tensor gx = x.to(GPU);
            Tensor fromStrided = gx.t().to(CPU, true);          // a strided device source: made contiguous on the device
            Tensor bcast = Torch.zeros(4, 6).pinMemory();
            bcast.copy_(gx.get(1), true);                       // broadcast device source into pinned memory
            Tensor pinnedT = Torch.zeros(6, 4).pinMemory();
            pinnedT.t().copy_(gx, true);                        // a non-contiguous pinned destination: the copy waits
            Tensor part = Torch.zeros(4, 6).pinMemory();
            part.get("1:3").copy_(gx.get("2:"), true);          // a contiguous part of pinned memory
            s.synchronize();
            assertSameValues(x.t(), gt.cpu());
            assertSameValues(x.get(":, ::2"), gg.cpu());
            assertSameValues(Torch.arange(6.0).expand(4, 6), big.cpu());
            assertSameValues(x, colMajor.cpu());
            assertSameValues(x.t(), fromStrided);
            assertTrue(fromStrided.isPinned());
            assertSameValues(x.get(1).expand(4, 6), bcast);
            assertSameValues(x.t(), pinnedT);
            assertArrayEquals(new float[]{0, 0, 0, 0, 0, 0, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0, 0, 0, 0, 0, 0},
                    part.toFloatArray());
        }
    }

    @Test
    void fromPageableMemoryNonBlockingCopiesWait() {
        Tensor x = Torch.arange(0, 1 << 20, 1, DType.float32);
        Tensor expected = x.clone();
        Tensor g = x.to(GPU, true);
        x.fill_(-1);                                            // the copy already took the values
        assertSameValues(expected, g.cpu());
        Tensor h = Torch.zeros(1 << 20);
        h.copy_(g, true);                                       // into pageable memory: complete on return
        assertFalse(h.isPinned());
        assertSameValues(expected, h);
        Tensor viaCpu = g.to(CPU, false);
        assertFalse(viaCpu.isPinned(), "a blocking copy to the CPU gives ordinary memory");
    }

    // ---------------------------------------------------------------- ordering: queued, not waited for

    @Test
    void hostToDeviceFromPinnedMemoryReturnsBeforeTheCopyRuns() throws Exception {
        int n = 1 << 25; // 128 MiB of float32
        Tensor p = Torch.arange(0, n, 1, DType.float32).pinMemory();
        Tensor d = Torch.empty(new long[]{n}, DType.float32, GPU);
        Stream s = Torch.cuda.Stream();
        Event before, after;
        long hostNanos;
        try (var use = s.use(); Gate gate = Gate.on(s)) {
            before = Torch.cuda.Event(true).record();
            long t0 = System.nanoTime();
            d.copy_(p, true);
            hostNanos = System.nanoTime() - t0;
            after = Torch.cuda.Event(true).record();
            assertFalse(gate.isOpen());
            assertFalse(after.query(), "the copy cannot have run: the stream is held");
            assertFalse(s.query());
            gate.open();
            after.synchronize();
            assertFalse(gate.timedOut(), "copy_(pinned, nonBlocking=true) waited for the stream");
        }
        float ms = before.elapsedTime(after);
        assertTrue(ms > 0, "the copy took " + ms + " ms on the device");
        System.out.printf("pinned H2D of 128 MiB: queued in %.3f ms on the host, %.3f ms on the device (%.1f GB/s)%n",
                hostNanos / 1e6, ms, (4.0 * n) / (ms * 1e6));
        assertTrue(d.equal(p.to(GPU)));

        // the same through to(): a fresh device tensor, whose block the pool already holds for this stream
        try (var use = s.use()) {
            Tensor warm = Torch.empty(new long[]{n}, DType.float32, GPU);
            warm.storage.release();
            try (Gate gate = Gate.on(s)) {
                Tensor e = p.to(GPU, true);
                Event done = Torch.cuda.Event().record();
                assertFalse(done.query(), "to(cuda, nonBlocking=true) ran the copy although the stream is held");
                gate.open();
                done.synchronize();
                assertFalse(gate.timedOut(), "to(cuda, nonBlocking=true) waited for the stream");
                assertTrue(e.equal(d));
            }
        }

        // without a gate: the copy is still in flight when the call returns (printed, not asserted: timing)
        try (var use = s.use()) {
            Event start = Torch.cuda.Event(true).record();
            d.copy_(p, true);
            Event end = Torch.cuda.Event(true).record();
            boolean inFlight = !end.query();
            end.synchronize();
            System.out.println("pinned H2D of 128 MiB still in flight when copy_ returned: " + inFlight + " (" + start.elapsedTime(end) + " ms)");
        }
    }

    @Test
    void deviceToHostIntoPinnedMemoryReturnsBeforeTheCopyRuns() {
        int n = 1 << 24;
        Tensor g = Torch.randn(new long[]{n}, DType.float32, GPU);
        Tensor expected = g.cpu();
        Tensor into = Torch.zeros(n).pinMemory();
        Stream s = Torch.cuda.Stream();
        try (var use = s.use(); Gate gate = Gate.on(s)) {
            into.copy_(g, true);
            Event done = Torch.cuda.Event().record();
            assertFalse(done.query(), "copy_ ran although the stream is held");
            gate.open();
            done.synchronize();
            assertFalse(gate.timedOut(), "copy_(cuda, nonBlocking=true) into pinned memory waited for the stream");
        }
        assertSameValues(expected, into);
    }

    @Test
    void toCpuNonBlockingAllocatesItsPinnedResultWithoutWaiting() {
        int n = 1 << 22;
        Tensor g = Torch.randn(new long[]{n}, DType.float32, GPU);
        Tensor expected = g.cpu();
        Stream s = Torch.cuda.Stream();
        Tensor h;
        try (var use = s.use(); Gate gate = Gate.on(s, 10)) {
            h = g.to(CPU, true);                       // cuMemAllocHost, then the queued copy
            Event done = Torch.cuda.Event().record();
            assertFalse(done.query(), "to(cpu, nonBlocking=true) ran the copy although the stream is held");
            gate.open();
            done.synchronize();
            assertFalse(gate.timedOut(), "to(cpu, nonBlocking=true) waited for the stream (does cuMemAllocHost synchronize?)");
        }
        assertTrue(h.isPinned());
        assertSameValues(expected, h);
    }

    @Test
    void toCpuNonBlockingFromAWarmPoolDoesNotWait() throws Exception {
        int n = 1 << 22;
        Tensor g = Torch.randn(new long[]{n}, DType.float32, GPU);
        Tensor expected = g.cpu();
        Tensor warm = g.to(CPU, true);
        Torch.cuda.synchronize();
        warm = null;
        settle();                                           // its block is back in the pool
        Stream s = Torch.cuda.Stream();
        Tensor h;
        try (var use = s.use(); Gate gate = Gate.on(s, 10)) {
            h = g.to(CPU, true);
            Event done = Torch.cuda.Event().record();
            assertFalse(done.query(), "to(cpu, nonBlocking=true) ran the copy although the stream is held");
            gate.open();
            done.synchronize();
            assertFalse(gate.timedOut(), "to(cpu, nonBlocking=true) waited for the stream with a block cached");
        }
        assertSameValues(expected, h);
    }

    static long pinnedAddress(Tensor t) {
        String s = t.storage.toString(); // PinnedStorage(float32, N elements at 0x...)
        return Long.parseUnsignedLong(s.substring(s.indexOf(" at 0x") + 6, s.length() - 1), 16);
    }

    @Test
    void aCollectedPinnedBlockIsReusedAndEmptyCacheGivesItBack() throws Exception {
        settle();
        Cuda.emptyCache();
        long n = (1 << 21) + 12345;                         // a 16 MiB block of float32
        Tensor first = Torch.full(new long[]{n}, 1.0).pinMemory();
        long address = pinnedAddress(first);
        first = null;
        settle();
        assertTrue(Cuda.pinnedMemoryCached() >= 16L << 20, "the dead storage's block was not cached: " + Cuda.pinnedMemoryCached());
        Tensor second = Torch.full(new long[]{n}, 2.0).pinMemory();
        assertEquals(address, pinnedAddress(second), "the cached block was not reused");
        assertEquals(2.0, second.get(n - 1).item());
        second = null;
        settle();
        Cuda.emptyCache();
        assertEquals(0, Cuda.pinnedMemoryCached());
    }

    // ---------------------------------------------------------------- memory is not reused or freed under a queued copy

    @Test
    void aDeviceBlockFreedUnderACopyOnAnotherStreamIsNotReusedBeforeIt() throws Exception {
        settle(); // no cleaner returns another block of this size class while the test runs
        long n = 1 << 20; // 4 MiB: its own size class, handed out last in first out
        Tensor src = Torch.full(new long[]{n}, 3.0, DType.float32, GPU);
        Torch.cuda.synchronize();
        Tensor into = Torch.zeros(n).pinMemory();
        String block = address(src);
        Stream s = Torch.cuda.Stream();
        Tensor reused;
        try (Gate gate = Gate.on(s)) {
            try (var use = s.use()) { into.copy_(src, true); } // queued on s behind the gate: reads src later
            src.storage.release();                               // src's block goes back while that copy waits
            reused = Torch.full(new long[]{n}, 7.0, DType.float32, GPU); // on the default stream
            assertEquals(block, address(reused), "the pool handed out src's block again");
            gate.open();
            Torch.cuda.synchronize();
            assertFalse(gate.timedOut(), "reusing the block waited on the host instead of on the device");
        }
        assertTrue(into.equal(Torch.full(new long[]{n}, 3.0)), "the copy read the block after its next user wrote it");
        assertTrue(reused.equal(Torch.full(new long[]{n}, 7.0, DType.float32, GPU)));

        // on one stream, stream order alone keeps it right
        Tensor src2 = Torch.full(new long[]{n}, 5.0, DType.float32, GPU);
        Tensor into2 = Torch.zeros(n).pinMemory();
        Torch.cuda.synchronize(); // src2 was written on the default stream; s reads it
        try (var use = s.use(); Gate gate = Gate.on(s)) {
            Tensor onS = src2.to(GPU).add(0);                    // allocated on s
            String b2 = address(onS);
            into2.copy_(onS, true);
            onS.storage.release();
            Tensor next = Torch.full(new long[]{n}, 9.0, DType.float32, GPU);
            assertEquals(b2, address(next));
            gate.open();
            s.synchronize();
            assertFalse(gate.timedOut());
            assertTrue(next.equal(Torch.full(new long[]{n}, 9.0, DType.float32, GPU)));
        }
        assertTrue(into2.equal(Torch.full(new long[]{n}, 5.0)));
    }

    @Test
    void pinnedMemoryOutlivesItsTensorUntilQueuedCopiesAreDoneThenGoesBack() throws Exception {
        int n = 1 << 20;
        Tensor d = Torch.empty(new long[]{n}, DType.float32, GPU);
        Stream s = Torch.cuda.Stream();
        settle();
        long before = Cuda.pinnedMemoryBytes();
        Tensor[] pinned = {Torch.full(new long[]{n}, 5.0).pinMemory()}; // allocated before the stream is held
        try (var use = s.use(); Gate gate = Gate.on(s)) {
            d.copy_(pinned[0], true);
            pinned[0] = null;
            settle();                                           // the pinned tensor is unreachable now
            assertTrue(Cuda.pinnedMemoryBytes() >= before + 4L * n,
                    "pinned memory was freed while a queued copy still reads it: " + Cuda.pinnedMemoryBytes() + " vs " + before);
            gate.open();
            s.synchronize();
            assertFalse(gate.timedOut());
        }
        assertTrue(d.equal(Torch.full(new long[]{n}, 5.0, DType.float32, GPU)));
        for (int i = 0; i < 50 && Cuda.pinnedMemoryBytes() > before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(Cuda.pinnedMemoryBytes() <= before, "pinned memory not given back: " + Cuda.pinnedMemoryBytes() + " vs " + before);
    }

    @Test
    void aLoopOfPinnedBatchesDoesNotGrowPinnedMemory() throws Exception {
        settle();
        long before = Cuda.pinnedMemoryBytes();
        Tensor acc = Torch.zeros(new long[]{1 << 18}, DType.float32, GPU);
        for (int i = 0; i < 200; i++) {
            Tensor batch = Torch.full(new long[]{1 << 18}, 1.0).pinMemory(); // 1 MiB
            acc.add_(batch.to(GPU, true));
        }
        assertEquals(200.0, acc.get(12345).item());
        for (int i = 0; i < 250 && Cuda.pinnedMemoryBytes() > before + (8L << 20); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(Cuda.pinnedMemoryBytes() <= before + (8L << 20), "pinned " + Cuda.pinnedMemoryBytes() + " vs " + before + " before the loop");
    }
}
