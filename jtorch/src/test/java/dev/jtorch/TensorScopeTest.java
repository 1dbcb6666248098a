package dev.jtorch;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.backend.Storage;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * TensorScope's bookkeeping, on the host: a stand-in device storage records its release, so nesting,
 * keep, escape and the closing rules are checked without a GPU (CudaRuntimeTest checks the real memory).
 */
class TensorScopeTest {
    /** A device storage that only remembers whether it was released. */
    static final class FakeStorage implements Storage {
        volatile boolean released;

        @Override public Device device() { return Device.of("cuda"); }

        @Override public DType dtype() { return DType.float32; }

        @Override public long numel() { return 4; }

        @Override public void release() { released = true; }

        @Override public boolean isReleased() { return released; }
    }

    static FakeStorage[] last = new FakeStorage[1];

    /** A "device" tensor on a fake storage, recorded as the dispatcher records allocations. */
    static Tensor deviceTensor() {
        FakeStorage s = new FakeStorage();
        TensorScope.record(s);
        last[0] = s;
        return new Tensor(s, DType.float32, new long[]{4}, new long[]{1}, 0);
    }

    static boolean released(Tensor t) { return t.storage.isReleased(); }

    @Test
    void closingFreesWhatWasMadeInsideExceptKeptTensors() {
        Tensor outside = deviceTensor();
        Tensor a, b, c;
        try (TensorScope scope = Torch.scope()) {
            assertSame(scope, TensorScope.current());
            a = deviceTensor();
            b = deviceTensor();
            c = deviceTensor();
            assertEquals(3, scope.size());
            assertSame(b, scope.keep(b));
            assertSame(c, TensorScope.keep(c));
            assertEquals(1, scope.size());
        }
        assertTrue(released(a));
        assertFalse(released(b));
        assertFalse(released(c));
        assertFalse(released(outside));
        assertNull(TensorScope.current());
    }

    @Test
    void keptTensorsGoToTheEnclosingScope() {
        Tensor inner, escaped, view;
        try (TensorScope outer = Torch.scope()) {
            try (TensorScope in = Torch.scope()) {
                inner = TensorScope.keep(deviceTensor());
                escaped = TensorScope.escape(deviceTensor());
                view = deviceTensor();
                TensorScope.keep(List.of(view.get(0)));   // a view keeps its base's storage
                assertEquals(0, in.size());
            }
            assertFalse(released(inner));
            assertFalse(released(view));
            assertEquals(2, outer.size());
        }
        assertTrue(released(inner));
        assertTrue(released(view));
        assertFalse(released(escaped));
    }

    @Test
    void hostTensorsAreNotTracked() {
        Tensor x;
        try (TensorScope scope = Torch.scope()) {
            x = Torch.ones(4).mul(2);
            assertEquals(0, scope.size());
        }
        assertEquals(8.0, x.sum().item());
        assertSame(x, TensorScope.keep(x)); // nothing to do outside scopes
    }

    @Test
    void scopesCloseInOrderOnTheirThread() throws Exception {
        TensorScope outer = Torch.scope();
        TensorScope inner = Torch.scope();
        assertThrows(IllegalStateException.class, outer::close);
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                inner.close();
            } catch (Throwable e) {
                other.set(e);
            }
        });
        t.start();
        t.join();
        assertInstanceOf(IllegalStateException.class, other.get());
        inner.close();
        inner.close(); // idempotent
        assertFalse(inner.isOpen());
        outer.close();
        assertNull(TensorScope.current());
    }

    @Test
    void otherThreadsAllocationsAreNotRecorded() throws Exception {
        try (TensorScope scope = Torch.scope()) {
            Thread t = new Thread(TensorScopeTest::deviceTensor);
            t.start();
            t.join();
            assertEquals(0, scope.size());
        }
    }
}
