package dev.jtorch.nn;

import dev.jtorch.Python;
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
        if (xf.numel() == 0) xf.size(dim); // the dim must still be in range; there is no max of nothing to subtract
        return dev.jtorch.autograd.Formulas.softmax(xf, dim, () -> {
            Tensor e = (xf.numel() == 0 ? xf : xf.sub(xf.amax(new int[]{dim}, true).detach())).exp();
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
        if (numClasses == -1) {
            if (y.numel() == 0) throw new IllegalArgumentException("Can not infer total number of classes from empty tensor.");
            numClasses = y.max().itemLong() + 1;
        }
        if (y.numel() > 0 && y.min().itemLong() < 0) throw new IllegalArgumentException("Class values must be non-negative.");
        if (y.numel() > 0 && y.max().itemLong() >= numClasses) throw new IllegalArgumentException("Class values must be smaller than num_classes.");
        long[] shape = java.util.Arrays.copyOf(y.shape().toArray(), y.dim() + 1);
        shape[y.dim()] = numClasses;
        Tensor out = zeros(shape, DType.int64);
        return out.scatter_(y.dim(), y.unsqueeze(-1), onesLike(y.unsqueeze(-1)));
    }

    /** Like {@code F.relu(x)}. */
    public static Tensor relu(Tensor x) { return x.relu(); }

    /** Like {@code F.sigmoid(x)}. */
    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }

    /** Like {@code F.tanh(x)}. */
    public static Tensor tanh(Tensor x) { return x.tanh(); }

    // ================================================================ linear

    /** {@code input @ weight.T}, like {@code F.linear(input, weight)}. */
    public static Tensor linear(Tensor input, Tensor weight) { return linear(input, weight, null); }

    /**
     * {@code input @ weight.T + bias}, like {@code F.linear(input, weight, bias)}, taking ATen's paths: a 2-D input
     * is one {@code addmm} (AddmmBackward0), a contiguous input of other rank is flattened to 2-D, multiplied and
     * viewed back (ViewBackward0), anything else is a matmul plus the bias; {@code bias} may be null.
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (dev.jtorch.Autocast.active()) return dev.jtorch.Autocast.call("linear", xs -> linear(xs[0], xs[1], xs[2]), input, weight, bias);
        int di = input.dim(), dw = weight.dim();
        if (di == 0 || dw == 0)
            throw new IllegalArgumentException("both arguments to linear need to be at least 1D, but they are " + di + "D and " + dw + "D");
        if (bias != null && di == 2) return addmm(bias, input, weight.t());
        if (bias != null && input.isContiguous() && (di == 3 || bias.dim() == 1)) {
            long[] shape = input.shape().toArray();
            long rows = 1;
            for (int i = 0; i < shape.length - 1; i++) rows *= shape[i];
            Tensor out = addmm(bias, input.reshape(rows, shape[shape.length - 1]), weight.t());
            shape[shape.length - 1] = out.size(1);
            return out.view(shape);
        }
        Tensor out = input.matmul(weight.t());
        return bias == null ? out : out.add(bias);
    }

    // ================================================================ losses

    /** Mean squared error, like {@code F.mse_loss(input, target)}. */
    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, "mean"); }

    /** Like {@code F.mse_loss(input, target, reduction=...)}: {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public static Tensor mseLoss(Tensor input, Tensor target, String reduction) { return Losses.mseLoss(input, target, reduction); }

    /** Negative log likelihood of class indices, like {@code F.nll_loss(input, target)}. */
    public static Tensor nllLoss(Tensor input, Tensor target) { return nllLoss(input, target, null, -100, "mean"); }

    /** Like {@code F.nll_loss(input, target, reduction=...)}. */
    public static Tensor nllLoss(Tensor input, Tensor target, String reduction) { return nllLoss(input, target, null, -100, reduction); }

    /** Like {@code F.nll_loss(input, target, weight)}: one weight per class. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight) { return nllLoss(input, target, weight, -100, "mean"); }

    /**
     * Like {@code F.nll_loss(input, target, weight, ignore_index=..., reduction=...)}: input [N, C] (or [C], or
     * [N, C, d1, ...]) of log-probabilities, int64 target [N] (or [], or [N, d1, ...]); {@code weight} may be null.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, String reduction) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, Losses.Reduction.of(reduction));
    }

    /** Cross entropy of logits and class indices (or class probabilities), like {@code F.cross_entropy(input, target)}. */
    public static Tensor crossEntropy(Tensor input, Tensor target) { return crossEntropy(input, target, null, -100, "mean", 0.0); }

    /** Like {@code F.cross_entropy(input, target, label_smoothing=...)}. */
    public static Tensor crossEntropy(Tensor input, Tensor target, double labelSmoothing) {
        return crossEntropy(input, target, null, -100, "mean", labelSmoothing);
    }

    /** Like {@code F.cross_entropy(input, target, reduction=...)}. */
    public static Tensor crossEntropy(Tensor input, Tensor target, String reduction) { return crossEntropy(input, target, null, -100, reduction, 0.0); }

    /** Like {@code F.cross_entropy(input, target, weight)}: one weight per class. */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight) { return crossEntropy(input, target, weight, -100, "mean", 0.0); }

    /**
     * Like {@code F.cross_entropy(input, target, weight, ignore_index=..., reduction=..., label_smoothing=...)}: a
     * target of the input's shape holds class probabilities, otherwise int64 class indices; {@code weight} may be null.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, String reduction, double labelSmoothing) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    // ================================================================ dropout

    /** Zeroes elements with probability 0.5 and scales the rest by 2, like {@code F.dropout(x)} (training=True). */
    public static Tensor dropout(Tensor input) { return dropout(input, 0.5, true, false); }

    /** Like {@code F.dropout(x, p)}. */
    public static Tensor dropout(Tensor input, double p) { return dropout(input, p, true, false); }

    /** Like {@code F.dropout(x, p, training)}: the input itself when not training. */
    public static Tensor dropout(Tensor input, double p, boolean training) { return dropout(input, p, training, false); }

    /** Like {@code F.dropout(x, p, training, inplace)}. */
    public static Tensor dropout(Tensor input, double p, boolean training, boolean inplace) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + Python.repr(p));
        if (p == 0 || !training || input.numel() == 0) return input;
        if (p == 1) {
            Tensor zero = zeros(new long[0], input.dtype(), input.device());
            return inplace ? input.mul_(zero) : input.mul(zero);
        }
        // ATen's CPU dropout: a Bernoulli(1 - p) mask from the default generator, scaled by 1 / (1 - p), times the input.
        Tensor noise = emptyLike(input).bernoulli_(1 - p);
        noise.div_(1 - p);
        if (inplace) return input.mul_(noise);
        // On CUDA PyTorch takes its fused kernel (native_dropout); its values differ there anyway (another RNG stream).
        return input.isCuda() ? dev.jtorch.autograd.Graph.composite("NativeDropoutBackward0", xs -> xs[0].mul(noise), input) : input.mul(noise);
    }
}
