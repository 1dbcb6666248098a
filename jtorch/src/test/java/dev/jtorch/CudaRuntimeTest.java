package dev.jtorch;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.backend.cuda.CudaOutOfMemoryError;
import dev.jtorch.backend.cuda.Event;
import dev.jtorch.backend.cuda.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

/** The CUDA runtime around the kernels: devices, memory, streams and events, errors, printing. */
@Tag("cuda")
class CudaRuntimeTest {
    static final Device GPU = Device.of("cuda");

    @BeforeEach
    void needGpu() { Assumptions.assumeTrue(Torch.cuda.isAvailable(), "no CUDA device"); }

    @Test
    void deviceQueries() {
        assertTrue(Torch.cuda.deviceCount() >= 1);
        assertFalse(Torch.cuda.getDeviceName().isBlank());
        int[] cc = Torch.cuda.getDeviceCapability();
        assertTrue(cc[0] >= 5, "compute capability " + cc[0] + "." + cc[1]);
        System.out.println("CUDA: " + dev.jtorch.backend.cuda.Cuda.describe());
    }

    @Test
    void tensorsLiveOnTheDeviceAndPrintLikePyTorch() {
        Tensor x = Torch.tensor(new double[][]{{1, 2}, {3, 4}}).cuda();
        assertTrue(x.isCuda());
        assertEquals("cuda:0", x.device().toString());
        assertEquals("torch.cuda.FloatTensor", x.type());
        assertEquals("tensor([[1., 2.],\n        [3., 4.]], device='cuda:0')", x.toString());
        assertEquals(10.0, x.sum().item());
        assertEquals("tensor([4., 6.], device='cuda:0')", x.sum(0).toString());
        Tensor y = x.cpu();
        assertFalse(y.isCuda());
        assertThrows(IllegalStateException.class, x::array);
    }

    @Test
    void memoryIsReturnedWhenTensorsBecomeUnreachable() throws Exception {
        Torch.cuda.synchronize();
        long before = Torch.cuda.memoryAllocated();
        for (int i = 0; i < 200; i++) {
            Tensor t = Torch.ones(new long[]{1 << 18}, DType.float32, GPU).mul(2); // 1 MiB each, twice
            assertEquals(2.0, t.get(5).item());
        }
        long reservedAfterLoop = Torch.cuda.memoryReserved();
        for (int i = 0; i < 20 && Torch.cuda.memoryAllocated() > before + (8L << 20); i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertTrue(Torch.cuda.memoryAllocated() <= before + (8L << 20),
                "allocated " + Torch.cuda.memoryAllocated() + " vs " + before + " before the loop");
        // blocks come back only when the GC notices; the allocator requests a collection every 1 GiB of fresh allocations
        assertTrue(reservedAfterLoop < (3L << 29), "reserved " + reservedAfterLoop);
        assertTrue(Torch.cuda.maxMemoryAllocated() >= Torch.cuda.memoryAllocated());
        Torch.cuda.emptyCache();
        assertTrue(Torch.cuda.memoryReserved() <= Torch.cuda.memoryAllocated() + (64L << 20));
    }

    @Test
    void scopesFreeDeviceMemoryWhenTheyClose() {
        Torch.cuda.synchronize();
        long before = Torch.cuda.memoryAllocated();
        Tensor freed, view, kept;
        try (TensorScope scope = Torch.scope()) {
            freed = Torch.ones(new long[]{1 << 20}, DType.float32, GPU); // 4 MiB
            view = freed.get("10:20");
            kept = scope.keep(freed.mul(2).add(1).sum());
            assertTrue(scope.size() >= 3, "recorded " + scope.size());
        }
        // everything but the kept scalar went back at once, without a GC
        assertTrue(Torch.cuda.memoryAllocated() <= before + 4096, "allocated " + Torch.cuda.memoryAllocated() + " vs " + before);
        assertEquals(3.0 * (1 << 20), kept.item());
        IllegalStateException e = assertThrows(IllegalStateException.class, freed::toString);
        assertTrue(e.getMessage().contains("TensorScope"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> freed.add(1));
        assertThrows(IllegalStateException.class, () -> view.sum().item());
        assertThrows(IllegalStateException.class, () -> freed.copy_(Torch.zeros(new long[]{1 << 20}, DType.float32, GPU)));
        assertThrows(IllegalStateException.class, () -> freed.uniform_(0, 1));
        // the device is fine afterwards
        assertEquals(6.0, Torch.ones(new long[]{3}, DType.float32, GPU).mul(2).sum().item());
    }

    @Test
    void aLoopOfScopesStaysFlatAndKeepsGradients() {
        Tensor w = Torch.randn(new long[]{256, 256}, DType.float32, GPU).mul(0.01).requiresGrad_();
        Torch.cuda.synchronize();
        long base = Torch.cuda.memoryAllocated();
        long worst = 0;
        for (int i = 0; i < 300; i++) {
            try (var s = Torch.scope()) {
                Tensor x = Torch.randn(new long[]{512, 256}, DType.float32, GPU);
                Tensor loss = x.matmul(w).tanh().pow(2).mean();
                loss.backward();
                try (var g = Torch.noGrad()) { w.sub_(w.grad().mul(0.1)); }
                w.grad().zero_();
            }
            worst = Math.max(worst, Torch.cuda.memoryAllocated() - base);
        }
        // only the gradient (256 KiB, allocated in the first scope and escaped) outlives the scopes
        assertTrue(worst <= (256 * 256 * 4) + 4096, "grew by " + worst);
        assertTrue(Double.isFinite(w.grad().sum().item()));
        assertTrue(Double.isFinite(w.sum().item()));
    }

    @Test
    void outOfMemorySaysHowMuch() {
        long[] info = Torch.cuda.memGetInfo();
        CudaOutOfMemoryError e = assertThrows(CudaOutOfMemoryError.class,
                () -> Torch.empty(new long[]{info[1] / 4 * 2}, DType.float32, GPU));
        assertTrue(e.getMessage().startsWith("CUDA out of memory. Tried to allocate"), e.getMessage());
        assertTrue(e.getMessage().contains("is free"), e.getMessage());
        // the device is still usable
        assertEquals(6.0, Torch.ones(new long[]{3}, DType.float32, GPU).mul(2).sum().item());
    }

    @Test
    void indexOutOfBoundsThrowsAndTheContextSurvives() {
        Tensor x = Torch.arange(0, 10, 1).cuda();
        Tensor bad = Torch.tensor(new long[]{1, 12}).cuda();
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.get(bad));
        assertTrue(e.getMessage().contains("index 12 is out of bounds for dimension 0 with size 10"), e.getMessage());
        assertEquals(45, x.sum().itemLong());
    }

    @Test
    void integerDivisionByZeroDoesNotRaiseOnCuda() {
        // documented: like PyTorch on CUDA, the value is unspecified but nothing is thrown
        Tensor a = Torch.tensor(new long[]{7, -7}).cuda(), z = Torch.tensor(new long[]{0, 0}).cuda();
        assertDoesNotThrow(() -> a.floorDivide(z).cpu());
        assertDoesNotThrow(() -> a.remainder(z).cpu());
    }

    @Test
    void eventsTimeWork() {
        Event start = Torch.cuda.Event(true), end = Torch.cuda.Event(true);
        Tensor a = Torch.rand(new long[]{1024, 1024}, DType.float32, GPU);
        start.record();
        for (int i = 0; i < 10; i++) a = a.matmul(a).mul(1e-3);
        end.record();
        end.synchronize();
        float ms = start.elapsedTime(end);
        assertTrue(ms > 0 && ms < 10_000, "elapsed " + ms);
        assertTrue(end.query());
    }

    @Test
    void streamsOrderWork() {
        Stream s = Torch.cuda.Stream();
        Tensor x = Torch.ones(new long[]{1 << 20}, DType.float32, GPU);
        s.waitStream(Torch.cuda.currentStream());
        Tensor y;
        try (var g = Torch.cuda.stream(s)) {
            assertEquals(s, Torch.cuda.currentStream());
            y = x.mul(3).add(1);
        }
        assertNotEquals(s, Torch.cuda.currentStream());
        s.synchronize();
        assertTrue(s.query());
        assertEquals(4.0 * (1 << 20), y.sum().item());
    }

    @Test
    void tf32MatmulIsCloseButOptIn() {
        Tensor a = Torch.randn(new long[]{256, 512}, DType.float32, GPU), b = Torch.randn(new long[]{512, 128}, DType.float32, GPU);
        Tensor exact = a.to(DType.float64).matmul(b.to(DType.float64));
        try {
            Torch.backends.cuda.matmul.allowTf32(true);
            Tensor fast = a.matmul(b);
            double err = fast.to(DType.float64).sub(exact).norm().item() / exact.norm().item();
            assertTrue(err < 5e-3, "tf32 relative error " + err);
        } finally {
            Torch.backends.cuda.matmul.allowTf32(false);
        }
        double err = a.matmul(b).to(DType.float64).sub(exact).norm().item() / exact.norm().item();
        assertTrue(err < 1e-5, "fp32 relative error " + err);
    }

    @Test
    void bigTensorsRoundTrip() {
        int n = 64 << 20;
        Tensor x = Torch.ones(new long[]{n}, DType.float32, GPU).mul(0.5);
        assertEquals(n * 0.5, x.sum().item(), n * 1e-6);
        Tensor y = x.add(x);
        float[] h = y.toFloatArray();
        assertEquals(n, h.length);
        assertEquals(1.0f, h[n - 1]);
        assertEquals(n - 1, Torch.arange(0, n, 1).cuda().argmax().itemLong());
    }

    @Test
    void copiesBetweenDevicesKeepStridesAndDtypes() {
        Tensor c = Torch.arange(0, 24, 1).reshape(2, 3, 4);
        Tensor g = c.cuda().permute(2, 0, 1);
        assertArrayEquals(c.permute(2, 0, 1).contiguous().toLongArray(), g.cpu().toLongArray());
        Tensor h = Torch.zeros(new long[]{4, 6}, DType.float16, GPU);
        h.get(":, ::2").copy_(Torch.ones(new long[]{4, 3}, DType.float64));
        assertEquals(12.0, h.sum().item());
        assertEquals("tensor([ True, False], device='cuda:0')", Torch.tensor(new boolean[]{true, false}).cuda().toString());
    }
}
