package dev.jtorch.nn;

import static dev.jtorch.Torch.*;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

/** {@code torch.nn.functional}: composite ops written from tensor primitives. */
public final class F {
    private F() {}

    /** Like {@code F.softmax(x, dim)}. */
    public static Tensor softmax(Tensor x, int dim) {
        if (dev.jtorch.Autocast.active()) return dev.jtorch.Autocast.call("softmax", xs -> softmax(xs[0], dim), x);
        checkFloating(x, dim, "softmax");
        Tensor xf = x.isFloatingPoint() ? x : x.to(getDefaultDtype());
        return dev.jtorch.autograd.Formulas.softmax(xf, dim, () -> {
            Tensor e = xf.sub(xf.amax(new int[]{dim}, true).detach()).exp();
            return e.div(e.sum(new int[]{dim}, true));
        });
    }

    /** Like {@code F.log_softmax(x, dim)}. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        if (dev.jtorch.Autocast.active()) return dev.jtorch.Autocast.call("log_softmax", xs -> logSoftmax(xs[0], dim), x);
        checkFloating(x, dim, "log_softmax");
        Tensor xf = x.isFloatingPoint() ? x : x.to(getDefaultDtype());
        return dev.jtorch.autograd.Formulas.logSoftmax(xf, dim, () -> xf.sub(xf.logsumexp(dim, true)));
    }

    /** PyTorch's softmax kernels take floating inputs only (the dim is checked first). */
    private static void checkFloating(Tensor x, int dim, String name) {
        if (x.isFloatingPoint()) return;
        int n = Math.max(x.dim(), 1);
        if (dim < -n || dim >= n)
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + -n + ", " + (n - 1) + "], but got " + dim + ")");
        boolean last = (dim < 0 ? dim + n : dim) == n - 1;
        String type = x.type().substring("torch.".length(), x.type().length() - "Tensor".length());
        throw new UnsupportedOperationException("\"" + name + (last ? "_lastdim" : "") + "_kernel_impl\" not implemented for '" + type + "'");
    }

    /** One-hot encodes int64 class indices, with as many classes as the largest index + 1, like {@code F.one_hot(y)}. */
    public static Tensor oneHot(Tensor y) { return oneHot(y, -1); }

    /** Like {@code F.one_hot(y, num_classes)}. */
    public static Tensor oneHot(Tensor y, long numClasses) {
        if (y.dtype() != DType.int64)
            throw new IllegalArgumentException("one_hot is only applicable to index tensor of type LongTensor.");
        if (numClasses == -1) numClasses = y.numel() == 0 ? 0 : y.max().itemLong() + 1;
        if (y.numel() > 0 && y.min().itemLong() < 0) throw new IllegalArgumentException("Class values must be non-negative.");
        if (y.numel() > 0 && y.max().itemLong() >= numClasses) throw new IllegalArgumentException("Class values must be smaller than num_classes.");
        long[] shape = java.util.Arrays.copyOf(y.shape().toArray(), y.dim() + 1);
        shape[y.dim()] = numClasses;
        Tensor out = zeros(shape, DType.int64);
        return out.scatter_(y.dim(), y.unsqueeze(-1), onesLike(y.unsqueeze(-1)));
    }

    public static Tensor relu(Tensor x) { return x.relu(); }

    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }

    public static Tensor tanh(Tensor x) { return x.tanh(); }

    /** Like {@code F.mse_loss(input, target)} with mean reduction. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        if (dev.jtorch.Autocast.active()) return dev.jtorch.Autocast.call("mse_loss", xs -> mseLoss(xs[0], xs[1]), input, target);
        return input.sub(target).pow(2).mean();
    }
}
