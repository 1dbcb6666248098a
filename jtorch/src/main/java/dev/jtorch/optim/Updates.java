package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

/**
 * The in-place pointwise updates of PyTorch's optimizers, written with the arithmetic order of PyTorch's CPU
 * kernels ({@code addcmul_}: {@code self + value * t1 * t2}; {@code addcdiv_}: {@code self + value * t1 / t2};
 * {@code lerp_}: two branches on the weight), from jtorch's public ops. PyTorch fuses some of these into one
 * multiply-add; here each step rounds, so results agree to about one unit in the last place per update.
 */
final class Updates {
    private Updates() {}

    /** {@code self.addcmul_(t1, t2, value=value)}. */
    static void addcmul_(Tensor self, Tensor t1, Tensor t2, double value) {
        self.add_(value == 1 ? t1.mul(t2) : t1.mul(value).mul(t2));
    }

    /** {@code self.addcdiv_(t1, t2, value=value)}. */
    static void addcdiv_(Tensor self, Tensor t1, Tensor t2, double value) {
        self.add_(value == 1 ? t1.div(t2) : t1.mul(value).div(t2));
    }

    /** {@code self.lerp_(end, weight)}: {@code self + w * (end - self)} for |w| < 0.5, else {@code end - (end - self) * (1 - w)}. */
    static void lerp_(Tensor self, Tensor end, double weight) {
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
