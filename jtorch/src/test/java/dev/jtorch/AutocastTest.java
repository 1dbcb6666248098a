package dev.jtorch;

import dev.jtorch.dispatch.Shapes;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.nn.F;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Autocast on the CPU (bfloat16), PyTorch's CPU op lists: matmul-like ops in bfloat16, the CPU's float32
 * ops (losses, prod) in float32, cat/stack promoted; gradients back in float32; nesting, threads and
 * PyTorch's refusals. CudaAmpTest checks the CUDA lists on a GPU.
 */
class AutocastTest {
    static Tensor r(long seed, long... shape) {
        java.util.Random rnd = new java.util.Random(seed);
        double[] v = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextDouble() * 2 - 1;
        return Torch.fromArray(v, shape).to(DType.float32);
    }

    @Test
    void lowerPrecisionOpsRunInBfloat16() {
        Tensor a = r(1, 4, 8), b = r(2, 8, 3);
        try (Autocast ac = Torch.autocast("cpu", DType.bfloat16)) {
            assertTrue(ac.enabled());
            assertTrue(Torch.isAutocastEnabled("cpu"));
            assertFalse(Torch.isAutocastEnabled("cuda"));
            assertEquals(DType.bfloat16, Torch.getAutocastDtype("cpu"));
            Tensor y = a.matmul(b);
            assertEquals(DType.bfloat16, y.dtype());
            assertEquals(DType.bfloat16, a.mm(b).dtype());
            assertEquals(DType.bfloat16, a.unsqueeze(0).bmm(b.unsqueeze(0)).dtype());
            assertEquals(DType.bfloat16, Torch.matmul(a, b).dtype());
            // values: the bfloat16 product of bfloat16-rounded inputs
            Tensor want = a.to(DType.bfloat16).to(DType.float32).matmul(b.to(DType.bfloat16).to(DType.float32));
            assertTrue(y.to(DType.float32).sub(want).abs().max().item() < 0.05);
            // mv and dot are not on the CPU list
            assertEquals(DType.float32, a.mv(r(3, 8)).dtype());
            assertEquals(DType.float32, r(4, 8).dot(r(5, 8)).dtype());
            // float64 and integer tensors are not eligible
            assertEquals(DType.float64, a.to(DType.float64).matmul(b.to(DType.float64)).dtype());
            assertEquals(DType.int64, Torch.ones(new long[]{2, 2}, DType.int64).matmul(Torch.ones(new long[]{2, 2}, DType.int64)).dtype());
        }
        assertEquals(DType.float32, a.matmul(b).dtype());
        assertFalse(Torch.isAutocastEnabled("cpu"));
    }

    @Test
    void float32AndPromoteOps() {
        Tensor x = r(6, 5, 4);
        try (var ac = Torch.autocast("cpu", DType.bfloat16)) {
            Tensor h = x.matmul(r(7, 4, 4)); // bfloat16
            assertEquals(DType.float32, x.exp().dtype());          // a float32 input stays float32
            assertEquals(DType.bfloat16, h.exp().dtype());         // exp is not on the CPU's float32 list
            assertEquals(DType.float32, F.mseLoss(h, h.detach().mul(0.5)).dtype()); // mse_loss is
            assertEquals(DType.float32, h.prod().dtype());          // so is prod
            assertEquals(DType.bfloat16, h.sum().dtype());          // sum only on CUDA's
            assertEquals(DType.float32, Torch.cat(List.of(h, x), 0).dtype());
            assertEquals(DType.float32, Torch.stack(h, x).dtype());
            assertEquals(DType.bfloat16, Torch.cat(List.of(h, h), 1).dtype());
            assertEquals(DType.float64, Torch.cat(List.of(h, x.to(DType.float64)), 0).dtype()); // float64 is left alone, then promotes
            assertEquals(DType.float32, Torch.where(h.gt(0), h, x).dtype()); // not listed: ordinary promotion
            assertEquals(DType.bfloat16, F.softmax(h, 1).dtype());  // softmax is on CUDA's list only
        }
    }

    @Test
    void gradientsReachFloat32LeavesInFloat32() {
        Tensor w = r(8, 8, 3).requiresGrad_(), b = r(9, 3).requiresGrad_();
        Tensor x = r(10, 16, 8), t = r(11, 16, 3);
        Tensor loss;
        try (var ac = Torch.autocast("cpu", DType.bfloat16)) {
            Tensor y = x.matmul(w).add(b);           // bfloat16 + float32 -> float32
            Tensor z = x.matmul(w);                  // the cached bfloat16 copy of w again
            loss = F.mseLoss(y, t).add(z.to(DType.float32).sum().mul(0.01));
            assertEquals(DType.float32, loss.dtype());
        }
        loss.backward();
        assertEquals(DType.float32, w.grad().dtype());
        assertEquals(DType.float32, b.grad().dtype());
        assertArrayEquals(new long[]{8, 3}, w.grad().shape().toArray());
        // the same in float32, by hand: d/dw of mean((xw + b - t)^2) + 0.01 sum(xw)
        Tensor w2 = w.detach().requiresGrad_(), b2 = b.detach().requiresGrad_();
        Tensor y2 = x.matmul(w2).add(b2);
        y2.sub(t).pow(2).mean().add(x.matmul(w2).sum().mul(0.01)).backward();
        double err = w.grad().sub(w2.grad()).abs().max().item(), scale = w2.grad().abs().max().item();
        assertTrue(err < 0.03 * scale, "bfloat16 gradient off by " + err + " of " + scale);
        assertTrue(b.grad().sub(b2.grad()).abs().max().item() < 0.03 * b2.grad().abs().max().item());
    }

    @Test
    void nestingDisablingAndRestoring() {
        Tensor a = r(12, 3, 3);
        try (var outer = Torch.autocast("cpu")) {
            assertEquals(DType.bfloat16, outer.dtype());
            try (var off = Torch.autocast("cpu", DType.bfloat16, false)) {
                assertFalse(Torch.isAutocastEnabled("cpu"));
                assertEquals(DType.float32, a.matmul(a).dtype());
                try (var half = Torch.autocast("cpu", DType.float16)) {
                    assertEquals(DType.float16, a.matmul(a).dtype());
                }
                assertEquals(DType.float32, a.matmul(a).dtype());
            }
            assertTrue(Torch.isAutocastEnabled("cpu"));
            assertEquals(DType.bfloat16, a.matmul(a).dtype());
        }
        assertEquals(DType.float32, a.matmul(a).dtype());
    }

    @Test
    void perThread() throws Exception {
        Tensor a = r(13, 3, 3);
        try (var ac = Torch.autocast("cpu", DType.bfloat16)) {
            AtomicReference<DType> other = new AtomicReference<>();
            Thread t = new Thread(() -> other.set(a.matmul(a).dtype()));
            t.start();
            t.join();
            assertEquals(DType.float32, other.get());
            assertEquals(DType.bfloat16, a.matmul(a).dtype());
        }
    }

    @Test
    void pytorchsRefusals() {
        Tensor a = r(14, 2, 2);
        try (var ac = Torch.autocast("cpu", DType.float32)) { // unsupported on the CPU: warns, disables
            assertFalse(ac.enabled());
            assertEquals(DType.float32, a.matmul(a).dtype());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Torch.autocast("xpu", DType.float16));
        assertEquals("User specified an unsupported autocast device_type 'xpu'", e.getMessage());
        if (!Torch.cuda.isAvailable()) {
            try (var ac = Torch.autocast("cuda")) { assertFalse(ac.enabled()); }
        }
        try (var ac = Torch.autocast(Device.CPU, DType.bfloat16)) { assertEquals("cpu", ac.deviceType()); }
    }

    @Test
    void inPlaceAndOutVariantsAreNotCast() {
        Tensor a = r(15, 3, 3), out = Torch.empty(new long[]{3, 3}, DType.float32);
        try (var ac = Torch.autocast("cpu", DType.bfloat16)) {
            assertEquals(DType.float32, Torch.exp(a, out).dtype());
            Tensor c = a.clone();
            c.exp_();
            assertEquals(DType.float32, c.dtype());
        }
    }

    @Test
    void theTableHoldsEachOpsPolicyPerDevice() throws java.io.IOException {
        // autocast_mode.cpp: mm is lower precision on both devices, sum float32 (dtype=) on CUDA only, cat promoted
        // on the CPU only, cross_entropy_loss float32 on the CPU and decomposed on CUDA
        assertEquals(new Autocast.Row(Autocast.Policy.LOWER, Autocast.Policy.LOWER, false), Autocast.TABLE.get("mm"));
        assertEquals(new Autocast.Row(Autocast.Policy.FP32_SET_OPT_DTYPE, null, false), Autocast.TABLE.get("sum"));
        assertEquals(new Autocast.Row(null, Autocast.Policy.PROMOTE, false), Autocast.TABLE.get("cat"));
        assertEquals(new Autocast.Row(null, Autocast.Policy.FP32, true), Autocast.TABLE.get("cross_entropy_loss"));
        assertNull(Autocast.TABLE.get("add"));
        // every composite op that calls into autocast names a row
        java.util.regex.Pattern call = java.util.regex.Pattern.compile("Autocast\\.call\\(([^,]*?)\"([a-z_0-9]+)\"");
        java.util.Set<String> named = new java.util.TreeSet<>();
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java"))) {
            for (var f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                var m = call.matcher(java.nio.file.Files.readString(f));
                while (m.find()) named.add(m.group(2));
            }
        }
        assertTrue(named.containsAll(List.of("mm", "matmul", "linear", "mse_loss", "nll_loss", "cross_entropy_loss", "softmax")), named.toString());
        for (String op : named) assertNotNull(Autocast.TABLE.get(op), op + " has no row in Autocast.TABLE");
        try (var ac = Torch.autocast("cpu", DType.bfloat16)) {
            Tensor x = r(1, 2);
            assertEquals("autocast: no_such_op is not in Autocast.TABLE",
                    assertThrows(IllegalArgumentException.class, () -> Autocast.call("no_such_op", xs -> xs[0], x)).getMessage());
        }
    }
}
