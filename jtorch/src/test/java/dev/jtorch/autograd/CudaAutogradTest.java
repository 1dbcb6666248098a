package dev.jtorch.autograd;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.nn.F;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Autograd on CUDA tensors gives CPU's gradients (float64, tight), gradients stay on the device. Skipped without CUDA. */
@Tag("cuda")
class CudaAutogradTest {
    private Device gpu;

    @BeforeEach
    void needsCuda() {
        Assumptions.assumeTrue(cuda.isAvailable(), "no CUDA device");
        gpu = device("cuda");
    }

    /** Runs f on CPU and on the GPU copies of the inputs; the gradients must agree and live on the GPU. */
    private void same(String what, Function<Tensor[], Tensor> f, Tensor... cpu) {
        Tensor[] c = new Tensor[cpu.length], g = new Tensor[cpu.length];
        for (int i = 0; i < cpu.length; i++) {
            c[i] = cpu[i].detach().clone().requiresGrad_();
            g[i] = cpu[i].detach().to(gpu).requiresGrad_();
        }
        Tensor oc = f.apply(c), og = f.apply(g);
        assertTrue(og.device().isCuda(), what + ": output on the GPU");
        assertEquals(oc.gradFn().name(), og.gradFn().name(), what + ": grad_fn");
        Tensor w = randn(oc.shape().toArray(), float64);
        oc.backward(w);
        og.backward(w.to(gpu));
        for (int i = 0; i < cpu.length; i++) {
            assertTrue(g[i].grad().device().isCuda(), what + ": gradient " + i + " on the GPU");
            double[] a = c[i].grad().toDoubleArray(), b = g[i].grad().cpu().toDoubleArray();
            for (int k = 0; k < a.length; k++)
                assertEquals(a[k], b[k], 1e-9 * Math.max(1, Math.abs(a[k])), what + ": gradient " + i + "[" + k + "]");
        }
    }

    @Test
    void gradientsMatchTheCpu() {
        manualSeed(3);
        Tensor x = randn(new long[]{4, 5}, float64), y = randn(new long[]{5}, float64), m = randn(new long[]{5, 3}, float64);
        Tensor pos = rand(new long[]{4, 5}, float64).add(0.5);
        same("arith", t -> t[0].mul(t[1]).add(t[0].div(t[1].abs().add(1))).sub(2), x, y);
        same("unary", t -> t[0].exp().add(t[0].tanh()).add(t[0].sigmoid()).add(t[0].sin()), x);
        same("log sqrt pow", t -> t[0].log().add(t[0].sqrt()).add(t[0].pow(2.5)).add(t[0].pow(t[0])), pos);
        same("matmul", t -> t[0].matmul(t[1]).relu(), x, m);
        same("batched matmul", t -> t[0].view(2, 2, 5).matmul(t[1]), x, m);
        same("reductions", t -> t[0].sum(1).add(t[0].mean(1)).add(t[0].amax(1)).add(t[0].prod(1)), x);
        same("softmax", t -> F.softmax(t[0], 1).add(F.logSoftmax(t[0], 0)), x);
        same("scans", t -> t[0].cumsum(1).add(t[0].cumprod(0)), x);
        same("views", t -> t[0].t().reshape(20).narrow(0, 3, 10).unsqueeze(1).expand(10, 2), x);
        same("indexing", t -> t[0].get(tensor(new long[]{0, 3, 0}).to(t[0].device())).sum(0).add(t[0].get(":, 1:4").sum()), x);
        same("where clamp", t -> where(t[0].gt(0), t[0], t[0].mul(3)).clamp(-0.5, 0.5), x);
        same("var std norm", t -> t[0].var(1).add(t[0].std(1)).add(t[0].norm()), x);
        same("cat stack", t -> cat(List.of(t[0], t[0].mul(2)), 1).add(stack(t[0], t[0]).sum(0).repeat(1, 2)), x);
        same("to dtype", t -> t[0].to(float32).mul(3).to(float64), x);
    }

    @Test
    void secondOrderOnTheGpu() {
        Tensor x = tensor(new double[]{-1, 0.5, 2}, float64).to(gpu).requiresGrad_();
        Tensor dy = autograd.grad(x.pow(3).sum(), List.of(x), true).get(0);
        Tensor d2 = autograd.grad(dy.sum(), List.of(x)).get(0);
        assertTrue(d2.device().isCuda());
        assertArrayEquals(new double[]{-6, 3, 12}, d2.cpu().toDoubleArray(), 1e-12);
    }

    @Test
    void trainingStepOnTheGpu() {
        manualSeed(0);
        Tensor w = randn(new long[]{8, 1}, float64).to(gpu).requiresGrad_();
        Tensor x = randn(new long[]{64, 8}, float64).to(gpu), t = randn(new long[]{64, 1}, float64).to(gpu);
        double first = 0, last = 0;
        for (int i = 0; i < 50; i++) {
            Tensor loss = x.matmul(w).sub(t).pow(2).mean();
            if (i == 0) first = loss.item();
            last = loss.item();
            loss.backward();
            try (var g = noGrad()) {
                w.sub_(w.grad().mul(0.1));
                w.grad().zero_();
            }
        }
        assertTrue(last < first, "loss fell from " + first + " to " + last);
    }
}
