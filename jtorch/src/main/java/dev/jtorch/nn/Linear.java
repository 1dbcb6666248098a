package dev.jtorch.nn;

import dev.jtorch.Python;
import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

/** {@code y = x W^T + b}, like {@code torch.nn.Linear(in_features, out_features, bias=True)}. */
public final class Linear extends Module {
    private final long inFeatures, outFeatures;

    /** A layer with a bias, initialized as PyTorch initializes it (the same numbers after the same seed). */
    public Linear(long inFeatures, long outFeatures) { this(inFeatures, outFeatures, true); }

    /** Like {@code nn.Linear(in_features, out_features, bias)}. */
    public Linear(long inFeatures, long outFeatures, boolean bias) { this(inFeatures, outFeatures, bias, Device.CPU, Torch.getDefaultDtype()); }

    /** Like {@code nn.Linear(in_features, out_features, bias, device=device, dtype=dtype)}. */
    public Linear(long inFeatures, long outFeatures, boolean bias, Device device, DType dtype) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", Torch.empty(new long[]{outFeatures, inFeatures}, dtype, device));
        registerParameter("bias", bias ? Torch.empty(new long[]{outFeatures}, dtype, device) : null);
        resetParameters();
    }

    /**
     * PyTorch's {@code reset_parameters}: weight from kaiming_uniform_(a=sqrt(5)), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
     * then the bias from the same range, in that order.
     */
    public void resetParameters() {
        Init.kaimingUniform_(weight(), Math.sqrt(5));
        Tensor b = bias();
        if (b != null) {
            long fanIn = Init.calculateFanInAndFanOut(weight()).fanIn();
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(b, -bound, bound);
        }
    }

    /** The [out_features, in_features] weight, like {@code linear.weight}. */
    public Tensor weight() { return getParameter("weight"); }

    /** The [out_features] bias, or null when built without one, like {@code linear.bias}. */
    public Tensor bias() { return getParameter("bias"); }

    /** Like {@code linear.in_features}. */
    public long inFeatures() { return inFeatures; }

    /** Like {@code linear.out_features}. */
    public long outFeatures() { return outFeatures; }

    @Override public Tensor forward(Tensor x) { return F.linear(x, weight(), bias()); }

    @Override public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Python.repr(bias() != null);
    }
}
