package dev.jtorch.amp;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** GradScaler's algorithm on the CPU in float32 (PyTorch's torch.amp.GradScaler semantics). */
class GradScalerTest {
    static Tensor param(double... v) { return Torch.tensor(v, DType.float32).requiresGrad_(); }

    static void sgd(List<Tensor> params, double lr) {
        try (var g = Torch.noGrad()) {
            for (Tensor p : params) p.sub_(p.grad().mul(lr));
        }
    }

    static void zeroGrad(List<Tensor> params) { for (Tensor p : params) p.setGrad(null); }

    @Test
    void scalesTheLossAndUnscalesTheGradients() {
        GradScaler scaler = new GradScaler("cpu");
        assertTrue(scaler.isEnabled());
        assertEquals(65536.0, scaler.getScale());
        Tensor w = param(1, -2, 3);
        Tensor loss = w.pow(2).sum();
        Tensor scaled = scaler.scale(loss);
        assertEquals(DType.float32, scaled.dtype());
        assertEquals(0, scaled.dim());
        assertEquals(14.0 * 65536, scaled.item());
        scaled.backward();
        assertArrayEquals(new float[]{2 * 65536f, -4 * 65536f, 6 * 65536f}, w.grad().toFloatArray());
        List<Tensor> params = List.of(w);
        scaler.unscale(params);
        assertArrayEquals(new float[]{2, -4, 6}, w.grad().toFloatArray());
        assertTrue(scaler.step(params, () -> sgd(params, 0.5)));
        assertArrayEquals(new float[]{0, 0, 0}, w.detach().toFloatArray());
        scaler.update();
        assertEquals(65536.0, scaler.getScale());
        assertEquals(1, scaler.getGrowthTracker());
    }

    @Test
    void aStepWithAnInfGradientIsSkippedAndTheScaleHalves() {
        GradScaler scaler = new GradScaler("cpu");
        Tensor w = param(1, 2), b = param(0.5);
        List<Tensor> params = List.of(w, b);
        // a clean step first
        scaler.scale(w.sum().add(b.sum())).backward();
        assertTrue(scaler.step(params, () -> sgd(params, 0.1)));
        scaler.update();
        assertEquals(1, scaler.getGrowthTracker());
        // an overflow: the gradient of w holds an inf
        zeroGrad(params);
        scaler.scale(w.mul(Double.POSITIVE_INFINITY).sum().add(b.sum())).backward();
        Tensor before = w.detach().clone();
        AtomicInteger ran = new AtomicInteger();
        assertFalse(scaler.step(params, ran::incrementAndGet));
        assertEquals(0, ran.get());
        assertTrue(w.detach().equal(before));
        scaler.update();
        assertEquals(32768.0, scaler.getScale());
        assertEquals(0, scaler.getGrowthTracker());
        // NaN counts too
        zeroGrad(params);
        scaler.scale(w.mul(Double.NaN).sum()).backward();
        assertFalse(scaler.step(params, ran::incrementAndGet));
        scaler.update();
        assertEquals(16384.0, scaler.getScale());
    }

    @Test
    void theScaleGrowsAfterGrowthIntervalCleanSteps() {
        GradScaler scaler = new GradScaler("cpu", 1024, 2.0, 0.5, 3, true);
        Tensor w = param(0.25, -0.5);
        List<Tensor> params = List.of(w);
        double[] scales = new double[7];
        for (int i = 0; i < 7; i++) {
            zeroGrad(params);
            scaler.scale(w.pow(2).sum()).backward();
            assertTrue(scaler.step(params, () -> sgd(params, 0.01)));
            scaler.update();
            scales[i] = scaler.getScale();
        }
        assertArrayEquals(new double[]{1024, 1024, 2048, 2048, 2048, 4096, 4096}, scales);
        // a growth that would overflow float32 is not applied
        GradScaler big = new GradScaler("cpu", 3e38, 2.0, 0.5, 1, true);
        Tensor v = param(1e-30);
        big.scale(v.sum()).backward();
        big.step(List.of(v), () -> { });
        big.update();
        assertEquals((double) 3e38f, big.getScale());
    }

    @Test
    void pytorchsErrors() {
        GradScaler scaler = new GradScaler("cpu");
        Tensor w = param(1, 2);
        List<Tensor> params = List.of(w);
        IllegalStateException e = assertThrows(IllegalStateException.class, scaler::update);
        assertEquals("Attempted update but _scale is None.  This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.",
                e.getMessage());
        scaler.scale(w.sum()).backward();
        scaler.unscale(params);
        assertEquals("unscale_() has already been called on this optimizer since the last update().",
                assertThrows(IllegalStateException.class, () -> scaler.unscale(params)).getMessage());
        scaler.step(params, () -> { });
        assertEquals("step() has already been called since the last update().",
                assertThrows(IllegalStateException.class, () -> scaler.step(params, () -> { })).getMessage());
        assertEquals("unscale_() is being called after step().", assertThrows(IllegalStateException.class, () -> scaler.unscale(params)).getMessage());
        scaler.update();
        // a list of the same tensors is the same "optimizer"
        zeroGrad(params);
        scaler.scale(w.sum()).backward();
        scaler.unscale(List.of(w));
        assertThrows(IllegalStateException.class, () -> scaler.unscale(List.of(w)));
        scaler.update();
        Tensor noGrad = param(3);
        assertEquals("No inf checks were recorded for this optimizer.",
                assertThrows(IllegalStateException.class, () -> scaler.step(List.of(noGrad), () -> { })).getMessage());
        GradScaler fresh = new GradScaler("cpu");
        fresh.scale(w.sum());
        assertEquals("No inf checks were recorded prior to update.", assertThrows(IllegalStateException.class, fresh::update).getMessage());
        Tensor h = Torch.tensor(new double[]{1, 2}, DType.float16).requiresGrad_();
        fresh.scale(h.sum()).backward();
        assertEquals("Attempting to unscale FP16 gradients.", assertThrows(IllegalArgumentException.class, () -> fresh.unscale(List.of(h))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GradScaler("cpu", 1, 1.0, 0.5, 10, true));
        assertThrows(IllegalArgumentException.class, () -> new GradScaler("cpu", 1, 2.0, 1.0, 10, true));
    }

    @Test
    void disabledScalersPassThrough() {
        GradScaler off = new GradScaler("cpu", 65536, 2, 0.5, 2000, false);
        Tensor w = param(1, 2);
        Tensor loss = w.sum();
        assertSame(loss, off.scale(loss));
        AtomicInteger ran = new AtomicInteger();
        assertTrue(off.step(List.of(w), ran::incrementAndGet));
        assertEquals(1, ran.get());
        off.update();
        assertEquals(1.0, off.getScale());
        assertEquals(Map.of(), off.stateDict());
        if (!Torch.cuda.isAvailable()) assertFalse(new GradScaler().isEnabled()); // PyTorch disables a CUDA scaler without CUDA
    }

    @Test
    void stateDictRoundTrips() {
        GradScaler a = new GradScaler("cpu", 256, 2, 0.5, 5, true);
        Tensor w = param(1);
        a.scale(w.sum()).backward();
        a.step(List.of(w), () -> { });
        a.update();
        Map<String, Object> st = a.stateDict();
        assertEquals(256.0, st.get("scale"));
        assertEquals(1, st.get("_growth_tracker"));
        assertEquals(5, st.get("growth_interval"));
        GradScaler b = new GradScaler("cpu");
        b.loadStateDict(st);
        assertEquals(256.0, b.getScale());
        assertEquals(1, b.getGrowthTracker());
        assertEquals(5, b.getGrowthInterval());
        b.scale(w.sum());
        assertEquals(256.0, b.getScale());
    }
}
