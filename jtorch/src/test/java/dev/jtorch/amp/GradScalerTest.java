package dev.jtorch.amp;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.optim.Optimizer;
import dev.jtorch.optim.ParamGroup;
import dev.jtorch.optim.SGD;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GradScaler's algorithm on the CPU in float32 (PyTorch's torch.amp.GradScaler semantics). */
class GradScalerTest {
    static Tensor param(double... v) { return Torch.tensor(v, DType.float32).requiresGrad_(); }

    /** An optimizer that only counts its steps. */
    static final class Counting extends Optimizer {
        int steps;

        Counting(Tensor... params) { super(List.of(params), Map.of()); }

        @Override protected void update(ParamGroup group) { steps++; }
    }

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
        SGD opt = new SGD(List.of(w), 0.5);
        scaler.unscale_(opt);
        assertArrayEquals(new float[]{2, -4, 6}, w.grad().toFloatArray());
        assertTrue(scaler.step(opt));
        assertArrayEquals(new float[]{0, 0, 0}, w.detach().toFloatArray());
        scaler.update();
        assertEquals(65536.0, scaler.getScale());
        assertEquals(1, scaler.getGrowthTracker());
    }

    @Test
    void aStepWithAnInfGradientIsSkippedAndTheScaleHalves() {
        GradScaler scaler = new GradScaler("cpu");
        Tensor w = param(1, 2), b = param(0.5);
        SGD opt = new SGD(List.of(w, b), 0.1);
        // a clean step first
        scaler.scale(w.sum().add(b.sum())).backward();
        assertTrue(scaler.step(opt));
        assertArrayEquals(new float[]{0.9f, 1.9f}, w.detach().toFloatArray());
        scaler.update();
        assertEquals(1, scaler.getGrowthTracker());
        // an overflow: the gradient of w holds an inf, so neither w nor b moves
        opt.zeroGrad();
        scaler.scale(w.mul(Double.POSITIVE_INFINITY).sum().add(b.sum())).backward();
        Tensor before = w.detach().clone();
        assertFalse(scaler.step(opt));
        assertTrue(w.detach().equal(before));
        assertArrayEquals(new float[]{0.4f}, b.detach().toFloatArray());
        scaler.update();
        assertEquals(32768.0, scaler.getScale());
        assertEquals(0, scaler.getGrowthTracker());
        // NaN counts too
        opt.zeroGrad();
        Counting counting = new Counting(w);
        scaler.scale(w.mul(Double.NaN).sum()).backward();
        assertFalse(scaler.step(counting));
        assertEquals(0, counting.steps);
        scaler.update();
        assertEquals(16384.0, scaler.getScale());
    }

    @Test
    void theScaleGrowsAfterGrowthIntervalCleanSteps() {
        GradScaler scaler = new GradScaler("cpu", 1024, 2.0, 0.5, 3, true);
        Tensor w = param(0.25, -0.5);
        SGD opt = new SGD(List.of(w), 0.01);
        double[] scales = new double[7];
        for (int i = 0; i < 7; i++) {
            opt.zeroGrad();
            scaler.scale(w.pow(2).sum()).backward();
            assertTrue(scaler.step(opt));
            scaler.update();
            scales[i] = scaler.getScale();
        }
        assertArrayEquals(new double[]{1024, 1024, 2048, 2048, 2048, 4096, 4096}, scales);
        // a growth that would overflow float32 is not applied
        GradScaler big = new GradScaler("cpu", 3e38, 2.0, 0.5, 1, true);
        Tensor v = param(1e-30);
        big.scale(v.sum()).backward();
        big.step(new Counting(v));
        big.update();
        assertEquals((double) 3e38f, big.getScale());
    }

    @Test
    void pytorchsErrors() {
        GradScaler scaler = new GradScaler("cpu");
        Tensor w = param(1, 2);
        Counting opt = new Counting(w);
        IllegalStateException e = assertThrows(IllegalStateException.class, scaler::update);
        assertEquals("Attempted update but _scale is None.  This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.",
                e.getMessage());
        scaler.scale(w.sum()).backward();
        scaler.unscale_(opt);
        assertEquals("unscale_() has already been called on this optimizer since the last update().",
                assertThrows(IllegalStateException.class, () -> scaler.unscale_(opt)).getMessage());
        assertTrue(scaler.step(opt));
        assertEquals(1, opt.steps);
        assertEquals("step() has already been called since the last update().",
                assertThrows(IllegalStateException.class, () -> scaler.step(opt)).getMessage());
        assertEquals("unscale_() is being called after step().", assertThrows(IllegalStateException.class, () -> scaler.unscale_(opt)).getMessage());
        scaler.update();
        // the state is per optimizer, as PyTorch keys it by id(optimizer): another one over the same tensor is fresh
        opt.zeroGrad();
        scaler.scale(w.sum()).backward();
        scaler.unscale_(opt);
        Counting other = new Counting(w);
        scaler.unscale_(other);
        assertThrows(IllegalStateException.class, () -> scaler.unscale_(opt));
        scaler.update();
        Tensor noGrad = param(3);
        assertEquals("No inf checks were recorded for this optimizer.",
                assertThrows(IllegalStateException.class, () -> scaler.step(new Counting(noGrad))).getMessage());
        GradScaler fresh = new GradScaler("cpu");
        fresh.scale(w.sum());
        assertEquals("No inf checks were recorded prior to update.", assertThrows(IllegalStateException.class, fresh::update).getMessage());
        Tensor h = Torch.tensor(new double[]{1, 2}, DType.float16).requiresGrad_();
        fresh.scale(h.sum()).backward();
        assertEquals("Attempting to unscale FP16 gradients.", assertThrows(IllegalArgumentException.class, () -> fresh.unscale_(new Counting(h))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GradScaler("cpu", 1, 1.0, 0.5, 10, true));
        assertThrows(IllegalArgumentException.class, () -> new GradScaler("cpu", 1, 2.0, 1.0, 10, true));
    }

    @Test
    void disabledScalersPassThrough() {
        GradScaler off = new GradScaler("cpu", 65536, 2, 0.5, 2000, false);
        Tensor w = param(1, 2);
        Tensor loss = w.sum();
        assertSame(loss, off.scale(loss));
        Counting opt = new Counting(w);
        assertTrue(off.step(opt));
        assertEquals(1, opt.steps);
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
        a.step(new Counting(w));
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
