package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

/**
 * The compound pointwise updates of PyTorch's optimizers ({@code addcmul}, {@code addcdiv}, {@code lerp}; the
 * tensor core's {@code add(other, alpha)} already rounds as PyTorch's does), written with the arithmetic order of PyTorch's CPU kernels from jtorch's public ops. PyTorch runs
 * each as one kernel: in float for half-precision tensors, rounding once, so here those are computed in float32 and
 * rounded at the end; and it fuses some multiply-adds, so float32 and float64 results agree to about one unit in the
 * last place per update.
 */
final class Updates {
    private Updates() {}

    private static boolean reduced(Tensor t) { return t.dtype() == DType.float16 || t.dtype() == DType.bfloat16; }

    /** {@code self.addcmul(t1, t2, value=value)}: {@code self + value * t1 * t2}. */
    static Tensor addcmul(Tensor self, Tensor t1, Tensor t2, double value) {
        if (reduced(self)) return addcmul(self.to(DType.float32), t1.to(DType.float32), t2.to(DType.float32), value).to(self.dtype());
        return self.add(value == 1 ? t1.mul(t2) : t1.mul(value).mul(t2));
    }

    /** {@code self.addcmul_(t1, t2, value=value)}. */
    static void addcmul_(Tensor self, Tensor t1, Tensor t2, double value) {
        if (reduced(self)) self.copy_(addcmul(self.to(DType.float32), t1.to(DType.float32), t2.to(DType.float32), value));
        else self.add_(value == 1 ? t1.mul(t2) : t1.mul(value).mul(t2));
    }

    /** {@code self.addcdiv_(t1, t2, value=value)}: {@code self + value * t1 / t2}. */
    static void addcdiv_(Tensor self, Tensor t1, Tensor t2, double value) {
        if (reduced(self)) {
            Tensor s = self.to(DType.float32);
            addcdiv_(s, t1.to(DType.float32), t2.to(DType.float32), value);
            self.copy_(s);
        } else {
            self.add_(value == 1 ? t1.div(t2) : t1.mul(value).div(t2));
        }
    }

    /** {@code self.lerp_(end, weight)}: {@code self + w * (end - self)} for |w| < 0.5, else {@code end - (end - self) * (1 - w)}. */
    static void lerp_(Tensor self, Tensor end, double weight) {
        if (reduced(self)) {
            Tensor s = self.to(DType.float32);
            lerp_(s, end.to(DType.float32), weight);
            self.copy_(s);
            return;
        }
        // The weight is first rounded to the tensor's type and the complement computed there, as the kernel does.
        double w = self.dtype() == DType.float64 ? weight : (float) weight;
        if (Math.abs(w) < 0.5) {
            self.add_(end.sub(self).mul(w));
        } else {
            double complement = self.dtype() == DType.float64 ? 1 - w : (float) (1f - (float) w);
            self.copy_(end.sub(end.sub(self).mul(complement)));
        }
    }

    /** Checks a hyperparameter, with PyTorch's ValueError text. */
    static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
