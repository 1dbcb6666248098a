package dev.jtorch.nn;

import dev.jtorch.Python;
import dev.jtorch.Autocast;
import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Graph;
import java.util.Arrays;

/** The loss functions behind {@link F}, composed from tensor ops in the order ATen's {@code LossNLL.cpp} runs them. */
final class Losses {
    private Losses() {}

    /** PyTorch's {@code Reduction} enum, parsed as {@code _Reduction.get_enum} does. */
    enum Reduction {
        NONE, MEAN, SUM;

        static Reduction of(String name) {
            return switch (name) {
                case "none" -> NONE;
                case "mean" -> MEAN;
                case "sum" -> SUM;
                default -> throw new IllegalArgumentException(name + " is not a valid value for reduction");
            };
        }
    }

    /** An IntArrayRef as ATen prints it: {@code [2, 3]}. */
    static String sizes(Tensor t) { return Arrays.toString(t.shape().toArray()); }

    // ================================================================ mse_loss

    static Tensor mseLoss(Tensor input, Tensor target, String reduction) {
        if (Autocast.active()) return Autocast.call("mse_loss", xs -> mseLoss(xs[0], xs[1], reduction), input, target);
        if (!input.shape().equals(target.shape()))
            Python.warn("Using a target size (" + target.size() + ") that is different to the input size (" + input.size()
                    + "). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.");
        Reduction r = Reduction.of(reduction);
        Tensor out = Graph.composite("MseLossBackward0", xs -> {
            // ATen's mse kernel takes a bool operand as 0/1 where sub refuses it
            Tensor a = xs[0], b = xs[1];
            if (b.dtype() == DType.bool && a.dtype() != DType.bool) b = b.to(a.dtype());
            if (a.dtype() == DType.bool && b.dtype() != DType.bool) a = a.to(b.dtype());
            Tensor d = a.sub(b);
            Tensor sq = d.mul(d);
            return switch (r) {
                case NONE -> sq;
                case MEAN -> sq.mean();
                case SUM -> sq.sum();
            };
        }, input, target);
        if (out.gradFn() != null && input.dtype() != target.dtype()) {
            // ATen's mse_loss_backward runs one TensorIterator over (grad_input, input, target, grad) that needs a single
            // dtype: PyTorch computes the loss of mixed dtypes but its backward fails, naming the first operand that differs
            Tensor wrt = input.requiresGrad() ? input : target, other = wrt == input ? target : input;
            String message = "Found dtype " + other.dtype().scalarTypeName() + " but expected " + wrt.dtype().scalarTypeName();
            out.registerHook(g -> { throw new IllegalArgumentException(message); });
        }
        return out;
    }

    // ================================================================ nll_loss

    /** ATen's {@code nll_loss_nd}: 1-D/2-D inputs as {@code nll_loss}, the rest as {@code nll_loss2d} (flattened for 3-D, 5-D+). */
    static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction r) {
        int d = input.dim();
        if (Autocast.active()) return Autocast.call(d <= 2 ? "nll_loss" : "nll_loss2d", xs -> nllLoss(xs[0], xs[1], xs[2], ignoreIndex, r), input, target, weight);
        if (d < 1) throw new IllegalArgumentException("Expected 1 or more dimensions (got " + d + ")");
        // ATen reads target.sizes()[0] here even for a 0-d target, which comes out as 0.
        long targetBatch = target.dim() == 0 ? 0 : target.size(0);
        if (d != 1 && input.size(0) != targetBatch)
            throw new IllegalArgumentException("Expected input batch_size (" + input.size(0) + ") to match target batch_size (" + targetBatch + ").");
        if (d <= 2) {
            if (target.dim() > 1) throw new IllegalArgumentException("0D or 1D target tensor expected, multi-target not supported");
            boolean noBatchDim = d == 1 && target.dim() == 0;
            if (!noBatchDim && input.size(0) != target.size(0))
                throw new IllegalArgumentException("size mismatch (got input: " + sizes(input) + ", target: " + sizes(target) + ")");
            if (d == 1 && target.dim() == 1)
                throw new IllegalArgumentException("Expected target to be 0D when input is 1D, but got target.dim =" + target.dim());
            long classes = input.size(-1);
            if (weight != null && (weight.dim() != 1 || weight.numel() != classes))
                throw new IllegalArgumentException("weight tensor should be defined either for all " + classes
                        + " classes or no classes but got weight tensor of shape: " + sizes(weight));
            return nllCore(input, target, weight, ignoreIndex, r, "NllLossBackward0", "nll_loss_out_frame");
        }
        if (d == 4) {
            checkNll2d(input, target, weight);
            return nllCore(input, target, weight, ignoreIndex, r, "NllLoss2DBackward0", "nll_loss2d_forward_out_frame");
        }
        long[] in = input.shape().toArray(), tg = target.shape().toArray();
        long[] outSize = new long[in.length - 1];
        outSize[0] = in[0];
        System.arraycopy(in, 2, outSize, 1, in.length - 2);
        if (!Arrays.equals(Arrays.copyOfRange(tg, Math.min(1, tg.length), tg.length), Arrays.copyOfRange(in, 2, in.length)))
            throw new IllegalArgumentException("Expected target size " + Arrays.toString(outSize) + ", got " + Arrays.toString(tg));
        if (weight != null && weight.numel() != in[1])
            throw new IllegalArgumentException("weight tensor should be defined either for all or no classes");
        Tensor out = nllCore(input, target, weight, ignoreIndex, r, "NllLoss2DBackward0", "nll_loss2d_forward_out_frame");
        // ATen computes nll_loss2d on an [n, c, 1, -1] view and views the unreduced result back.
        return r == Reduction.NONE ? out.view(outSize) : out;
    }

    private static void checkNll2d(Tensor input, Tensor target, Tensor weight) {
        if (target.dim() != 3)
            throw new IllegalArgumentException("only batches of spatial targets supported (3D tensors) but got targets of dimension: " + target.dim());
        if (weight != null && weight.numel() != input.size(1))
            throw new IllegalArgumentException("weight tensor should be defined either for all or no classes");
        if (input.size(0) != target.size(0) || input.size(2) != target.size(1) || input.size(3) != target.size(2))
            throw new IllegalArgumentException("size mismatch (got input: " + sizes(input) + " , target: " + sizes(target));
    }

    /**
     * {@code -input[target]} per sample (times the class weight), zero where the target is {@code ignoreIndex},
     * then reduced; mean divides by the total weight of the kept samples, as ATen does.
     */
    private static Tensor nllCore(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction r, String name, String kernel) {
        if (!input.isFloatingPoint())
            throw new UnsupportedOperationException("\"" + kernel + "\" not implemented for '" + input.dtype().scalarTypeName() + "'");
        if (target.dtype() != DType.int64 && target.dtype() != DType.uint8)
            throw new IllegalArgumentException("expected scalar type Long but found " + target.dtype().scalarTypeName());
        int classDim = input.dim() == 1 ? 0 : 1;
        long classes = input.size(classDim);
        Tensor tgt = target.dtype() == DType.int64 ? target : target.to(DType.int64);
        // ATen's CPU kernel checks every target on the host; its CUDA kernel asserts on the device. Checking here on the
        // host for both costs one copy of the (small) target and keeps the error a catchable exception.
        long kept = 0;
        for (long t : tgt.toLongArray()) {
            if (t == ignoreIndex) continue;
            if (t < 0 || t >= classes) throw new IndexOutOfBoundsException("Target " + t + " is out of bounds.");
            kept++;
        }
        Tensor valid = tgt.ne(ignoreIndex);
        Tensor safe = Torch.where(valid, tgt, 0L).unsqueeze(classDim);
        Tensor w = weight == null ? null : weight.detach(); // ATen does not differentiate nll_loss with respect to weight
        long samples = kept;
        return Graph.composite(name, xs -> {
            Tensor loss = xs[0].gather(classDim, safe).squeeze(classDim).neg();
            Tensor sampleWeight = null;
            if (w != null) {
                sampleWeight = Torch.where(valid, w.gather(0, safe.reshape(-1)).view(valid.shape().toArray()), 0.0);
                loss = loss.mul(sampleWeight);
            }
            loss = Torch.where(valid, loss, 0.0);
            return switch (r) {
                case NONE -> loss;
                case SUM -> loss.sum();
                case MEAN -> sampleWeight == null ? loss.sum().div((double) samples) : loss.sum().div(sampleWeight.sum());
            };
        }, input);
    }

    // ================================================================ cross_entropy

    /** ATen's {@code cross_entropy_loss}: class probabilities when the shapes agree, label smoothing, else nll of log_softmax. */
    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction, double labelSmoothing) {
        Reduction r = Reduction.of(reduction);
        if (Autocast.active())
            return Autocast.call("cross_entropy_loss", xs -> crossEntropy(xs[0], xs[1], xs[2], ignoreIndex, reduction, labelSmoothing), input, target, weight);
        int classDim = input.dim() == 1 ? 0 : 1;
        if (input.shape().equals(target.shape())) {
            if (!target.isFloatingPoint())
                throw new IllegalArgumentException("Expected floating point type for target with class probabilities, got " + target.dtype().scalarTypeName());
            if (ignoreIndex >= 0) throw new IllegalArgumentException("ignore_index is not supported for floating point target");
            return probabilityTarget(input, target, weight, r, labelSmoothing, classDim);
        }
        if (labelSmoothing > 0) {
            if (labelSmoothing > 1)
                throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + Python.cpp(labelSmoothing));
            return labelSmoothing(input, target, weight, ignoreIndex, r, labelSmoothing, classDim);
        }
        return nllLoss(F.logSoftmax(input, classDim), target, weight, ignoreIndex, r);
    }

    private static Tensor probabilityTarget(Tensor input, Tensor target, Tensor weight, Reduction r, double labelSmoothing, int classDim) {
        long classes = input.size(classDim);
        if (weight != null && (weight.dim() != 1 || weight.numel() != classes))
            throw new IllegalArgumentException("cross_entropy: weight tensor should be defined either for all " + classes
                    + " classes or no classes but got weight tensor of shape: " + sizes(weight));
        Tensor logp = F.logSoftmax(input, classDim);
        Tensor t = target;
        if (labelSmoothing > 0) {
            if (labelSmoothing > 1)
                throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + Python.cpp(labelSmoothing));
            t = target.mul(1 - labelSmoothing).add(labelSmoothing / classes);
        }
        Tensor product = logp.mul(t);
        if (weight != null) product = product.mul(classView(weight, logp.dim(), classDim));
        return switch (r) {
            case NONE -> product.sum(classDim).neg();
            case SUM -> product.sum().neg();
            // ATen divides by the SymInt numel / n_classes: a Scalar division, DivBackward1.
            case MEAN -> Graph.recordAs(product.sum().neg().div(logp.numel() == 0 ? 0.0 : (double) (logp.numel() / classes)), dev.jtorch.autograd.Variant.DIV_SCALAR);
        };
    }

    private static Tensor labelSmoothing(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction r, double ls, int classDim) {
        Tensor logp = F.logSoftmax(input, classDim);
        Tensor nll = nllLoss(logp, target, weight, ignoreIndex, r);
        long classes = logp.size(classDim);
        Tensor smooth = (weight != null ? logp.mul(classView(weight, logp.dim(), classDim)) : logp).sum(classDim).neg();
        Tensor ignored = target.eq(ignoreIndex);
        smooth = smooth.maskedFill(ignored, 0.0);
        Tensor ret = switch (r) {
            case NONE -> smooth;
            case SUM -> smooth.sum();
            case MEAN -> weight != null
                    ? smooth.sum().div(weight.gather(0, target.maskedSelect(ignored.logicalNot()).reshape(-1)).sum())
                    : smooth.sum().div(ignored.logicalNot().sum());
        };
        return nll.mul(1 - ls).add(ret.mul(ls / classes));
    }

    /** The class weights shaped to broadcast along the class dim: {@code [1, C, 1, ...]}. */
    private static Tensor classView(Tensor weight, int dims, int classDim) {
        long[] shape = new long[dims];
        Arrays.fill(shape, 1);
        shape[classDim] = weight.size(0);
        return weight.view(shape);
    }
}
