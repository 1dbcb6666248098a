package dev.jtorch;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.amp.GradScaler;
import dev.jtorch.nn.F;
import dev.jtorch.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mixed precision on the GPU: PyTorch's CUDA autocast lists (float16 and bfloat16), gradients back to
 * float32 leaves, the weight-cast cache together with TensorScopes, and a GradScaler training loop.
 */
@Tag("cuda")
class CudaAmpTest {
    static final Device GPU = Device.of("cuda");

    @BeforeEach
    void needGpu() { Assumptions.assumeTrue(Torch.cuda.isAvailable(), "no CUDA device"); }

    static Tensor r(long seed, long... shape) {
        Torch.cuda.manualSeed(seed);
        return Torch.randn(shape, DType.float32, GPU);
    }

    @Test
    void cudaListsInFloat16() {
        Tensor a = r(1, 16, 32), b = r(2, 32, 8), v = r(3, 32);
        Tensor h = a.to(DType.float16);
        try (Autocast ac = Torch.autocast("cuda")) {
            assertTrue(ac.enabled());
            assertEquals(DType.float16, ac.dtype());
            // lower precision
            assertEquals(DType.float16, a.matmul(b).dtype());
            assertEquals(DType.float16, a.mm(b).dtype());
            assertEquals(DType.float16, a.mv(v).dtype());
            assertEquals(DType.float16, a.unsqueeze(0).bmm(b.unsqueeze(0)).dtype());
            // float32
            assertEquals(DType.float32, h.exp().dtype());
            assertEquals(DType.float32, h.log().dtype());
            assertEquals(DType.float32, h.pow(2).dtype());
            assertEquals(DType.float32, h.sum().dtype());
            assertEquals(DType.float32, h.sum(1).dtype());
            assertEquals(DType.float32, h.prod().dtype());
            assertEquals(DType.float32, h.cumsum(1).dtype());
            assertEquals(DType.float32, F.softmax(h, 1).dtype());
            assertEquals(DType.float32, F.logSoftmax(h, 1).dtype());
            assertEquals(DType.float32, F.mseLoss(h, h.mul(0.5)).dtype());
            assertEquals(DType.float32, h.norm().dtype());
            assertEquals(DType.float32, h.logsumexp(1).dtype());
            // not listed: the input dtype
            assertEquals(DType.float16, h.tanh().dtype());
            assertEquals(DType.float16, h.mean().dtype());
            assertEquals(DType.float16, h.add(h).dtype());
            // promote
            assertEquals(DType.float32, h.addcmul(a, h).dtype());
            assertEquals(DType.float16, h.atan2(h).dtype());
            assertEquals(DType.float32, v.dot(v).dtype());
            assertEquals(DType.float32, Torch.cat(List.of(h, a), 0).dtype());
            // CPU tensors follow the CPU's settings (off here)
            Tensor c = a.cpu();
            assertEquals(DType.float32, c.matmul(b.cpu()).dtype());
        }
        try (Autocast ac = Torch.autocast("cuda", DType.bfloat16)) {
            assertEquals(DType.bfloat16, a.matmul(b).dtype());
        }
        assertEquals(DType.float32, a.matmul(b).dtype());
    }

    @Test
    void gradientsComeBackInFloat32() {
        Tensor w = r(4, 64, 32).mul(0.1).requiresGrad_(), bias = r(5, 32).mul(0.1).requiresGrad_();
        Tensor x = r(6, 128, 64), t = r(7, 128, 32);
        Tensor loss;
        try (var ac = Torch.autocast("cuda", DType.float16)) {
            Tensor y = x.matmul(w).add(bias).tanh();
            loss = F.mseLoss(y, t);
        }
        assertEquals(DType.float32, loss.dtype());
        loss.backward();
        assertEquals(DType.float32, w.grad().dtype());
        assertEquals(DType.float32, bias.grad().dtype());
        Tensor w2 = w.detach().requiresGrad_(), b2 = bias.detach().requiresGrad_();
        x.matmul(w2).add(b2).tanh().sub(t).pow(2).mean().backward();
        double err = w.grad().sub(w2.grad()).abs().max().item(), scale = w2.grad().abs().max().item();
        assertTrue(err < 1e-2 * scale, "float16 gradient off by " + err + " of " + scale);
    }

    @Test
    void castCacheSurvivesScopes() {
        Tensor w = r(8, 64, 64).mul(0.05).requiresGrad_();
        try (var ac = Torch.autocast("cuda")) {
            for (int i = 0; i < 5; i++) {
                try (var scope = Torch.scope()) {
                    Tensor y = r(9 + i, 32, 64).matmul(w).matmul(w); // w's float16 copy is cached, then freed with the scope
                    y.float32().sum().backward();
                }
            }
        }
        assertTrue(Double.isFinite(w.grad().sum().item()));
    }

    @Test
    void gradScalerTrainsInFloat16AndSkipsOverflows() {
        Torch.cuda.manualSeed(0);
        Tensor trueW = Torch.randn(new long[]{16, 1}, DType.float32, GPU);
        Tensor w = Torch.zeros(new long[]{16, 1}, DType.float32, GPU).requiresGrad_();
        SGD opt = new SGD(List.of(w), 0.1);
        GradScaler scaler = new GradScaler("cuda", 1024, 2.0, 0.5, 10, true);
        double first = 0, last = 0;
        int skipped = 0;
        for (int it = 0; it < 60; it++) {
            try (var scope = Torch.scope()) {
                Tensor x = Torch.randn(new long[]{256, 16}, DType.float32, GPU);
                Tensor y = x.matmul(trueW);
                opt.zeroGrad();
                Tensor loss;
                try (var ac = Torch.autocast("cuda", DType.float16)) {
                    loss = F.mseLoss(x.matmul(w), y);
                }
                if (it == 0) first = loss.item();
                last = loss.item();
                Tensor scaled = scaler.scale(loss);
                if (it == 30) scaled = scaled.mul(Double.POSITIVE_INFINITY); // an overflow
                scaled.backward();
                double before = scaler.getScale();
                if (!scaler.step(opt)) skipped++;
                scaler.update();
                if (it == 30) assertEquals(before / 2, scaler.getScale());
            }
        }
        assertEquals(1, skipped);
        assertTrue(last < first * 0.05, "loss " + first + " -> " + last);
        assertTrue(scaler.getScale() > 512);
    }
}
