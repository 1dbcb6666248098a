package dev.jtorch.nn;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Device;
import dev.jtorch.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A module moved to the GPU computes what the same module computes on the CPU. Skipped where no GPU is present. */
@Tag("cuda")
class CudaNnTest {
    static final Device GPU = Device.of("cuda");

    @BeforeEach
    void needGpu() { Assumptions.assumeTrue(cuda.isAvailable(), "no CUDA device"); }

    @Test
    void forwardAndBackwardMatchTheCpu() {
        manualSeed(0);
        Sequential onCpu = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 4));
        manualSeed(0);
        Sequential onGpu = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 4));
        onGpu.to(GPU);
        for (Tensor p : onGpu.parameters()) {
            assertTrue(p.isCuda());
            assertTrue(p.isLeaf() && p.requiresGrad());
        }
        Tensor x = rand(6, 8), y = tensor(new long[]{0, 1, 2, 3, 0, 1});
        Tensor cpuLoss = F.crossEntropy(onCpu.forward(x), y);
        cpuLoss.backward();
        Tensor gpuLoss = F.crossEntropy(onGpu.forward(x.to(GPU)), y.to(GPU));
        gpuLoss.backward();
        assertTrue(gpuLoss.isCuda());
        assertEquals("NllLossBackward0", gpuLoss.gradFn().name());
        assertEquals(cpuLoss.item(), gpuLoss.item(), 1e-5);
        Map<String, Tensor> cpuParams = onCpu.namedParameters(), gpuParams = onGpu.namedParameters();
        for (String k : cpuParams.keySet()) {
            Tensor g = gpuParams.get(k).grad();
            assertTrue(g.isCuda(), k);
            assertTrue(g.cpu().allclose(cpuParams.get(k).grad(), 1e-4, 1e-6), k);
        }
        onGpu.cpu();
        assertFalse(onGpu.getParameter("0.weight").isCuda());
        assertFalse(onGpu.getParameter("0.weight").grad().isCuda(), "gradients move with their parameters");
    }

    @Test
    void stateDictAcrossDevicesAndDropout() {
        Linear gpu = new Linear(4, 3);
        gpu.to(GPU);
        Linear cpu = new Linear(4, 3);
        cpu.loadStateDict(gpu.stateDict());
        assertTrue(cpu.weight().equal(gpu.weight().cpu()));
        Tensor x = ones(new long[]{200}, float32, GPU).requiresGrad_();
        Tensor y = F.dropout(x, 0.5);
        assertEquals("NativeDropoutBackward0", y.gradFn().name());
        double[] v = y.detach().cpu().toDoubleArray();
        int kept = 0;
        for (double e : v) {
            assertTrue(e == 0 || e == 2, "dropped or scaled by 1/(1-p): " + e);
            if (e == 2) kept++;
        }
        assertTrue(kept > 50 && kept < 150, "about half kept: " + kept);
    }
}
