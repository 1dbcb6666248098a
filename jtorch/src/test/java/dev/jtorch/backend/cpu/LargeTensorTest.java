package dev.jtorch.backend.cpu;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.backend.CpuOutOfMemoryError;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * CPU tensors beyond a Java array's limit (issue 17, items 5 and 6). The split-and-stage machinery is checked
 * without huge memory by lowering its two knobs: tensors over {@value #LIMIT} elements go to native memory and
 * ops stage at most {@value #PIECE} elements per operand at a time, so every op below runs in many pieces and is
 * compared with the same op on Java arrays: bit for bit, except float sums and products over more elements than
 * a piece (partial sums combined in a fixed order: checked against float64 instead), matmul (the pieces are
 * smaller GEMMs, whose blocking may round differently), column reductions (the kernel choice depends on a piece's
 * width) and the transcendental ops of {@link #close}.
 */
class LargeTensorTest {
    static final long LIMIT = 10_000;
    static final int PIECE = 1000;

    /** Runs {@code f} with the lowered knobs: what it allocates above {@value #LIMIT} elements is native. */
    static <T> T native_(Supplier<T> f) {
        try (var limits = LowLimits.set(LIMIT, PIECE)) {
            return f.get();
        }
    }

    static boolean isNative(Tensor t) { return LowLimits.isNative(t); }

    /** Same shape, dtype and bits. */
    static void assertSame_(Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape());
        assertEquals(expected.dtype(), actual.dtype());
        if (expected.dtype().isFloatingPoint()) assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray());
        else assertArrayEquals(expected.toLongArray(), actual.toLongArray());
    }

    /** The op on an array tensor and on a native copy of it give the same bits; the native result is native when large. */
    static void same(Tensor x, Function<Tensor, Tensor> op) {
        Tensor expected = op.apply(x);
        Tensor nx = native_(x::clone);
        assertTrue(isNative(nx));
        Tensor actual = native_(() -> op.apply(nx));
        if (actual.numel() > LIMIT) assertTrue(isNative(actual), "a result of " + actual.numel() + " elements lives in native memory");
        assertSame_(expected, actual);
    }

    /**
     * The same within a tolerance: for reductions whose kernel (and so its order of additions) depends on the width of a
     * piece. Elementwise ops, exp, sin and sigmoid included, give the same bits (their vector lanes and scalar tails agree).
     */
    static void close(Tensor x, Function<Tensor, Tensor> op) { close(x, op, 2e-7, 0); }

    static void close(Tensor x, Function<Tensor, Tensor> op, double rtol, double atol) {
        Tensor expected = op.apply(x);
        Tensor nx = native_(x::clone);
        Tensor actual = native_(() -> op.apply(nx));
        assertEquals(expected.shape(), actual.shape());
        assertEquals(expected.dtype(), actual.dtype());
        assertTrue(expected.allclose(actual, rtol, atol), "within rtol " + rtol + ", atol " + atol);
    }

    static Tensor x() {
        manualSeed(17);
        return randn(120, 130);
    }

    @Test
    void elementwiseWithBroadcastingAndStridedViews() {
        Tensor x = x(), row = randn(130), col = randn(120, 1);
        same(x, Tensor::exp);
        same(x, Tensor::sin);
        same(x, Tensor::sigmoid);
        same(x, t -> t.mul(3.5));
        same(x, t -> t.add(row));
        same(x, t -> t.sub(col));
        same(x, t -> t.add(t, 2.0));
        same(x, t -> t.div(t.t().t().add(1)));
        same(x, t -> where(t.gt(0), t, row));
        same(x, t -> t.t().mul(2));
        same(x, t -> t.t().contiguous());
        same(x, t -> t.flip(0, 1).add(1));
        same(x, t -> t.narrow(1, 7, 100).narrow(0, 3, 110).neg());
        same(x, t -> t.reshape(60, 2, 130).transpose(0, 2).mul(t.reshape(60, 2, 130).transpose(0, 2)));
        same(x, t -> t.get(0).add(t.get(119)));
        same(x, t -> t.narrow(0, 0, 1).expand(120, 130).add(t));
    }

    @Test
    void conversions() {
        Tensor x = x();
        same(x, t -> t.to(DType.float64));
        same(x, t -> t.to(DType.float16));
        same(x, t -> t.to(DType.bfloat16));
        same(x, t -> t.mul(100).to(DType.int32));
        same(x, t -> t.mul(100).to(DType.int8));
        same(x, t -> t.gt(0));
        same(x.mul(100).to(DType.int64), t -> t.mul(3).add(t));
        same(x.gt(0), t -> t.logicalNot());
        same(x.mul(100).to(DType.int16), t -> t.abs());
    }

    @Test
    void inPlace() {
        Tensor x = x(), row = randn(130);
        same(x, t -> t.clone().mul_(2));
        same(x, t -> t.clone().add_(row));
        same(x, t -> {
            Tensor c = t.clone();
            c.t().mul_(3); // a transposed in-place view writes back through the pieces
            return c;
        });
        same(x, t -> {
            Tensor c = t.clone();
            c.narrow(0, 10, 100).fill_(7.0);
            return c;
        });
        same(x, t -> {
            Tensor c = t.clone();
            c.narrow(1, 0, 65).copy_(c.narrow(1, 65, 65)); // a copy between halves of one native storage
            return c;
        });
    }

    @Test
    void reductionsWithinAPiece() {
        Tensor x = x();
        same(x, t -> t.sum(1));
        same(x, t -> t.mean(1));
        // column reductions: the array path's vectorized column kernel takes pieces 16 columns wide or more (real pieces,
        // 2^24 elements, are); the test's 1000-element pieces are narrower and reduce in the generic kernel
        close(x, t -> t.sum(0), 1e-5, 1e-5);
        close(x, t -> t.mean(0), 1e-5, 1e-7);
        close(x, t -> t.t().mean(1), 1e-5, 1e-7);
        same(x, t -> t.amax(1));
        same(x, t -> t.amax(new int[]{0}, true));
        same(x, t -> t.argmax(0));
        same(x, t -> t.argmax(1));
        same(x, t -> t.gt(0).all(1));
        same(x, t -> t.gt(0).any(0));
        close(x, t -> t.div(10).add(1).prod(1));
        same(x.mul(10).to(DType.int64), t -> t.sum(0));
    }

    @Test
    void reductionsOverManyPieces() {
        Tensor x = x();
        // exact reductions: the same bits
        same(x, Tensor::amax);
        same(x, Tensor::amin);
        same(x, Tensor::argmax);
        same(x, Tensor::argmin);
        same(x, t -> t.gt(-3).all());
        same(x, t -> t.gt(3.5).any());
        same(x.mul(1000).to(DType.int64), Tensor::sum);
        Tensor withNan = x.clone();
        withNan.narrow(0, 50, 1).narrow(1, 3, 1).fill_(Double.NaN);
        withNan.narrow(0, 90, 1).narrow(1, 3, 1).fill_(Double.NaN);
        same(withNan, Tensor::argmax); // the first NaN wins
        same(withNan, Tensor::amax);
        // float sums and means: float64 partials combined in order, as accurate as the array kernel
        Tensor nx = native_(x::clone);
        double ref = x.to(DType.float64).sum().item();
        assertEquals(ref, native_(nx::sum).item(), 1e-4);
        assertEquals(ref / x.numel(), native_(nx::mean).item(), 1e-8);
        assertEquals(x.sum().item(), native_(nx::sum).item(), 1e-4);
        Tensor small = x.div(100).add(1);
        assertEquals(small.to(DType.float64).prod().item(), native_(() -> native_(small::clone).prod()).item(), 1e-3);
        // the same input gives the same bits every time
        assertEquals(Double.doubleToRawLongBits(native_(nx::sum).item()), Double.doubleToRawLongBits(native_(nx::sum).item()));
    }

    @Test
    void scans() {
        Tensor x = x();
        same(x, t -> t.cumsum(0));
        same(x, t -> t.cumsum(1));
        same(x, t -> t.t().cumsum(1));
        Tensor n = native_(() -> randn(20_000));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> native_(() -> n.cumsum(0)));
        assertTrue(e.getMessage().startsWith("cumsum along a dimension of 20000 elements"), e.getMessage());
    }

    @Test
    void matmulAndCat() {
        Tensor x = x(), w = randn(130, 50), big = randn(200, 130), w2 = randn(130, 60);
        Tensor nx = native_(x::clone), nbig = native_(big::clone), nw = native_(() -> randn(130, 100).clone());
        assertTrue(isNative(nx));
        assertTrue(native_(() -> x.matmul(w)).allclose(native_(() -> nx.matmul(w)), 1e-5, 1e-5));
        assertTrue(big.matmul(w2).allclose(native_(() -> nbig.matmul(w2)), 1e-5, 1e-5));
        Tensor nw2 = native_(() -> randn(130, 100).mul(1)); // 13000 elements: native
        assertTrue(isNative(nw2));
        assertTrue(x.matmul(nw2.clone().contiguous()).allclose(native_(() -> nx.matmul(nw2)), 1e-5, 1e-5));
        assertTrue(x.t().matmul(big.narrow(0, 0, 120)).allclose(native_(() -> nx.t().matmul(nbig.narrow(0, 0, 120))), 1e-5, 1e-5));
        assertNotNull(nw);
        same(x, t -> cat(List.of(t, t.mul(2)), 0));
        same(x, t -> cat(List.of(t, t.narrow(1, 0, 5)), 1));
    }

    @Test
    void indexing() {
        Tensor x = x();
        Tensor rows = tensor(new long[]{3, 0, 119, 3, -1, 64});
        same(x, t -> t.get(rows));
        same(x, t -> t.get(rows, tensor(new long[]{1, 2, 3, 4, 5, 129})));
        same(x, t -> t.t().get(tensor(new long[]{7, 7, 0})));
        same(x, t -> t.clone().indexPut_(new Tensor[]{rows}, ones(6, 130), true)); // repeated rows accumulate in order
        Tensor values = randn(6, 130);
        same(x, t -> t.clone().indexPut_(new Tensor[]{rows}, values, false));
        Tensor nx = native_(x::clone);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> native_(() -> nx.get(tensor(new long[]{120}))));
        assertTrue(e.getMessage().contains("index 120 is out of bounds for dimension 0 with size 120"), e.getMessage());
    }

    @Test
    void autogradThroughNativeTensors() {
        Tensor x = x();
        Tensor a = x.clone().requiresGrad_(), b = x.clone().requiresGrad_();
        a.mul(a).add(a.t().t().mul(3)).sum(1).sum().backward();
        b.sin().mul(b).sum(0).sum().backward();
        Tensor na = native_(() -> x.clone().requiresGrad_()), nb = native_(() -> x.clone().requiresGrad_());
        native_(() -> {
            na.mul(na).add(na.t().t().mul(3)).sum(1).sum().backward();
            nb.sin().mul(nb).sum(0).sum().backward();
            return null;
        });
        assertTrue(isNative(na.grad()));
        assertSame_(a.grad(), na.grad());
        assertSame_(b.grad(), nb.grad());
    }

    @Test
    void elementAccessAndPrinting() {
        Tensor x = x();
        Tensor nx = native_(x::clone);
        assertEquals(x.get(5, 7).item(), nx.get(5, 7).item());
        assertEquals(x.get(119).toList(), nx.get(119).toList());
        assertEquals(x.toString(), nx.toString()); // summarized: only the edges are read
        assertEquals(x.to(DType.int64).toString(), native_(() -> x.to(DType.int64)).toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, nx::array);
        assertTrue(e.getMessage().contains("native memory"), e.getMessage());
    }

    @Test
    void aScopeFreesNativeStoragesAndTheirUseFailsClearly() {
        Tensor x = x(), y;
        try (var scope = scope()) {
            y = native_(x::clone);
            assertTrue(isNative(y));
            assertEquals(x.sum().item(), y.sum(1).sum().item(), 1e-4);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.add(1));
        assertTrue(e.getMessage().contains("released"), e.getMessage());
    }

    // ---------------------------------------------------------------- out of memory (item 5)

    @Test
    void heapAllocationBeyondTheHeapSaysHowManyBytes() {
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 16_000_000_000L, "the heap could hold 16.8 GB");
        CpuOutOfMemoryError e = assertThrows(CpuOutOfMemoryError.class, () -> zeros(new long[]{2_100_000_000L}, DType.float64));
        assertTrue(e.getMessage().startsWith("[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: "
                + "you tried to allocate 16800000000 bytes. Error code 12 (Cannot allocate memory); Java heap: "), e.getMessage());
        assertTrue(e.getMessage().contains("bytes max (-Xmx)"), e.getMessage());
        assertEquals(6.0, ones(2, 3).sum().item()); // the JVM goes on
    }

    @Test
    void nativeAllocationBeyondTheMachineFailsBeforeTouchingMemory() {
        CpuOutOfMemoryError e = assertThrows(CpuOutOfMemoryError.class, () -> zeros(new long[]{1L << 40}, DType.float32));
        assertTrue(e.getMessage().startsWith("[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: "
                + "you tried to allocate 4398046511104 bytes. Error code 12 (Cannot allocate memory); native memory: "), e.getMessage());
        assertEquals(6.0, ones(2, 3).sum().item());
    }

    // ---------------------------------------------------------------- the real thing

    /** {@code ones(46341, 46341)}, 8.6 GB of float32, where the machine has the memory for two of them. */
    @Test
    void onesBeyondTwoToTheThirtyOne() {
        long bytes = 46341L * 46341 * 4;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Assumptions.assumeTrue(os.getFreeMemorySize() > 2 * bytes + (2L << 30), "needs about 19 GB of free memory");
        try (var scope = scope()) { // frees both native storages when it closes
            Tensor x = ones(46341, 46341);
            assertEquals(46341L * 46341, x.numel());
            // 46341 * 46341 = 2147488281 rounded once to float32 (partial sums in float64); PyTorch 1.13's float32
            // cascade rounds on the way and gives 2147488000
            assertEquals(2147488256.0, x.sum().item());
            assertEquals(1.0, x.get(46340, 46340).item());
            assertEquals(46341.0, x.get(12345).sum().item());
            assertEquals(46341.0, x.select(1, 40000).sum().item());
            x.get(7).narrow(0, 3, 2).fill_(5.0);
            assertEquals(List.of(1.0, 1.0, 1.0, 5.0, 5.0, 1.0), x.get(7).narrow(0, 0, 6).toList());
            Tensor y = x.mul(2);
            assertEquals(10.0, y.get(7, 4).item());
            assertEquals(2.0, y.get(46340, 0).item());
            assertEquals(7L * 46341 + 3, y.argmax().itemLong());
            assertEquals(46341.0 * 2 + 16, y.get(7).sum().item());
            assertTrue(y.toString().startsWith("tensor([[2., 2., 2.,  ..., 2., 2., 2.],"), y.toString().substring(0, 60));
        }
    }
}
