package dev.jtorch;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.SegmentStorage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Pinned memory without a GPU: pinMemory() fails with PyTorch's message, non_blocking is harmless, and CPU ops on
 * storages in native memory (what a pinned tensor has; here a test storage over plain off-heap memory, so this
 * runs on any machine) give exactly what they give on Java arrays, every dtype, views, in-place writes and aliasing.
 * The GPU side is {@link CudaPinnedTest}.
 */
class PinnedMemoryTest {

    /** A CPU storage in off-heap memory: what PinnedStorage is to the CPU backend, without the driver. */
    record NativeStorage(MemorySegment segment, DType dtype, long numel) implements SegmentStorage {}

    /** x's values in a new native storage, same shape (contiguous). */
    static Tensor onNative(Tensor x) {
        Tensor c = x.detach().clone();
        long n = c.numel();
        NativeStorage s = new NativeStorage(Arena.ofAuto().allocate(n * c.dtype.itemSize(), 8), c.dtype, n);
        s.write((ArrayStorage) c.storage, 0, 0, n);
        return new Tensor(s, c.dtype, c.shape.clone(), c.stride.clone(), 0);
    }

    /** Representative values of every dtype: extremes, signed zeros, infinities and NaN where the dtype has them. */
    static Tensor samples(DType t) {
        return switch (t) {
            case bool -> Torch.fromArray(new boolean[]{true, false, true, true, false, false});
            case uint8 -> Torch.tensor(new long[]{0, 1, 127, 128, 200, 255}, t);
            case int8 -> Torch.tensor(new long[]{-128, -1, 0, 1, 100, 127}, t);
            case int16 -> Torch.tensor(new long[]{-32768, -1, 0, 1, 12345, 32767}, t);
            case int32 -> Torch.tensor(new long[]{Integer.MIN_VALUE, -1, 0, 1, 123456789, Integer.MAX_VALUE}, t);
            case int64 -> Torch.tensor(new long[]{Long.MIN_VALUE, -1, 0, 1, 1L << 53 | 1, Long.MAX_VALUE}, t);
            case float16 -> Torch.tensor(new double[]{-65504, -0.0, 6.103515625E-5, 5.960464477539063E-8, Double.POSITIVE_INFINITY, Double.NaN}, t);
            case bfloat16 -> Torch.tensor(new double[]{-3.3895313892515355E38, -0.0, 1.0078125, 9.183549615799121E-41, Double.NEGATIVE_INFINITY, Double.NaN}, t);
            case float32 -> Torch.tensor(new double[]{-Float.MAX_VALUE, -0.0, Float.MIN_VALUE, 0.1f, Double.POSITIVE_INFINITY, Double.NaN}, t);
            case float64 -> Torch.tensor(new double[]{-Double.MAX_VALUE, -0.0, Double.MIN_VALUE, 0.1, Double.NEGATIVE_INFINITY, Double.NaN}, t);
        };
    }

    /** Same dtype, shape and values, bit for bit (NaN equals NaN, -0.0 differs from 0.0). */
    static void assertSameValues(Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype());
        assertEquals(expected.shape(), actual.shape());
        if (expected.dtype().isFloatingPoint()) assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray());
        else if (expected.dtype() == DType.bool) assertArrayEquals(expected.toBooleanArray(), actual.toBooleanArray());
        else assertArrayEquals(expected.toLongArray(), actual.toLongArray());
    }

    @Test
    void pinMemoryWithoutAGpuFailsLikePyTorch() {
        Assumptions.assumeFalse(Torch.cuda.isAvailable(), "a GPU is present: CudaPinnedTest covers pinning");
        Tensor x = Torch.arange(6.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, x::pinMemory);
        assertEquals("Cannot access accelerator device when none is available.", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Torch.zeros(0).pinMemory());
        assertEquals("Cannot access accelerator device when none is available.", e.getMessage());
        assertFalse(x.isPinned()); // is_pinned() is False without an accelerator, no error
        assertThrows(IllegalStateException.class, () -> x.cuda(true));
        assertThrows(IllegalStateException.class, () -> x.to(Device.of("cuda"), true));
    }

    @Test
    void nonBlockingBetweenCpuTensorsIsAPlainCopy() {
        Tensor x = Torch.arange(6.0);
        assertSame(x, x.to(Device.CPU, true));
        Tensor d = x.to(Device.CPU, DType.float64, true);
        assertEquals(DType.float64, d.dtype());
        assertFalse(d.isPinned());
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5}, d.toDoubleArray());
        Tensor y = Torch.zeros(6);
        assertSame(y, y.copy_(x, true));
        assertArrayEquals(x.toFloatArray(), y.toFloatArray());
    }

    @Test
    void everyDtypeRoundTripsThroughNativeMemory() {
        for (DType t : DType.values()) {
            Tensor x = samples(t);
            Tensor n = onNative(x);
            assertFalse(n.isPinned(), "a native storage that is not PinnedStorage is not pinned");
            assertSameValues(x, n);
            assertEquals(x.toString(), n.toString(), t.toString());
            assertEquals(x.toList(), n.toList(), t.toString());
            assertSameValues(x, n.clone());
            assertSameValues(x.flip(0), n.flip(0));
            // written through the native storage, read back
            Tensor back = onNative(Torch.zeros(new long[]{6}, t));
            back.copy_(x);
            assertSameValues(x, back);
            Tensor twice = onNative(Torch.zeros(new long[]{6}, t));
            twice.copy_(n); // native to native
            assertSameValues(x, twice);
            if (t != DType.bool) {
                assertSameValues(x.to(DType.float64), n.to(DType.float64));
                assertSameValues(x.eq(x), n.eq(n));
            }
            Tensor scalar = onNative(x.get(2));
            assertEquals(0, scalar.dim());
            if (t.isFloatingPoint()) assertEquals(Double.doubleToLongBits(x.get(2).item()), Double.doubleToLongBits(scalar.item()));
            else if (t == DType.bool) assertEquals(x.get(2).itemBoolean(), scalar.itemBoolean());
            else assertEquals(x.get(2).itemLong(), scalar.itemLong());
        }
    }

    @Test
    void opsOnNativeTensorsMatchOpsOnArrays() {
        Tensor a = Torch.arange(24.0).reshape(2, 3, 4).sub(7.5);
        Tensor n = onNative(a);
        assertSameValues(a.add(1), n.add(1));
        assertSameValues(a.mul(a), n.mul(n));
        assertSameValues(a.mul(a), n.mul(a)); // one native, one array operand
        assertSameValues(a.exp(), n.exp());
        assertSameValues(a.sum(1), n.sum(1));
        assertSameValues(a.amax(new int[]{0, 2}, false), n.amax(new int[]{0, 2}, false));
        assertSameValues(a.cumsum(2), n.cumsum(2));
        assertSameValues(a.argsort(1, true), n.argsort(1, true));
        assertSameValues(a.matmul(a.transpose(1, 2)), n.matmul(n.transpose(1, 2)));
        assertSameValues(a.get(":, 1:, ::2"), n.get(":, 1:, ::2"));
        assertSameValues(a.get(":, 1:, ::2").contiguous(), n.get(":, 1:, ::2").contiguous());
        assertSameValues(Torch.cat(List.of(a, a), 1), Torch.cat(List.of(n, a), 1));
        assertSameValues(Torch.where(a.gt(0), a, a.neg()), Torch.where(n.gt(0), n, a.neg()));
        Tensor idx = Torch.tensor(new long[]{2, 0, 2});
        assertSameValues(a.indexSelect(2, idx), n.indexSelect(2, idx));
        assertSameValues(a.gather(2, idx.expand(2, 3, 3)), n.gather(2, idx.expand(2, 3, 3)));
        assertSameValues(a.get(a.gt(3)), n.get(n.gt(3)));
    }

    @Test
    void inPlaceWritesReachTheNativeMemoryAndOnlyTheWrittenElements() {
        Tensor a = Torch.arange(24.0).reshape(2, 3, 4);
        Tensor n = onNative(a);
        for (Tensor t : new Tensor[]{a, n}) {
            t.get(":, 1").fill_(-1);           // a strided slice
            t.transpose(0, 2).get(1).mul_(10);  // a transposed view: column 1 of every row
            t.get("0, :, 3").add_(t.get("1, :, 0")); // reads one view, writes another of the same storage
            t.set(t.gt(100), 0.5);              // index_put through a mask
        }
        assertSameValues(a, n);
        NativeStorage s = (NativeStorage) n.storage;
        for (long i = 0; i < 24; i++) // the storage itself holds the values, element by element
            assertEquals(a.view(-1).get(i).item(), s.segment().getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i), "element " + i);
    }

    @Test
    void overlappingCopiesWithinOneNativeStorageBehaveAsOnArrays() {
        Tensor a = Torch.arange(10L);
        Tensor n = onNative(a);
        a.get("1:").copy_(a.get(":-1"));
        n.get("1:").copy_(n.get(":-1"));
        assertSameValues(a, n);
        assertArrayEquals(new long[]{0, 0, 1, 2, 3, 4, 5, 6, 7, 8}, n.toLongArray());
        Tensor b = Torch.arange(6.0).reshape(2, 3);
        Tensor m = onNative(b);
        b.add_(b.flip(1));
        m.add_(m.flip(1));
        assertSameValues(b, m);
    }

    @Test
    void arrayRefusesNativeStorageClearly() {
        Tensor n = onNative(Torch.arange(4.0));
        IllegalStateException e = assertThrows(IllegalStateException.class, n::array);
        assertTrue(e.getMessage().contains("not a Java array"), e.getMessage());
        assertArrayEquals(new float[]{0, 1, 2, 3}, (float[]) n.clone().array());
    }

    @Test
    void segmentStorageChecksItsRanges() {
        NativeStorage s = (NativeStorage) onNative(Torch.arange(4L)).storage;
        assertThrows(IndexOutOfBoundsException.class, () -> s.read(2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> s.write(ArrayStorage.allocate(DType.int64, 2), 0, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> s.write(ArrayStorage.allocate(DType.int32, 2), 0, 0, 2));
        assertArrayEquals(new long[]{1, 2}, (long[]) s.read(1, 2).array());
        assertEquals(Device.CPU, s.device());
        assertTrue(Arrays.equals(new long[0], (long[]) s.read(4, 0).array()));
    }
}
