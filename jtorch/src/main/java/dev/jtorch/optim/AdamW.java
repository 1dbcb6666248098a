package dev.jtorch.optim;

import dev.jtorch.Tensor;
import java.util.List;
import java.util.Map;

/**
 * AdamW, Adam with decoupled weight decay, like {@code torch.optim.AdamW}: {@code new AdamW(model.parameters(), 1e-3)}
 * or {@code AdamW.builder(params).lr(1e-3).weightDecay(0.05).build()}.
 *
 * <p>Defaults as PyTorch 2.x: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2, amsgrad and maximize off.
 * Each step first shrinks the parameters by {@code 1 - lr * weight_decay}, then takes Adam's step. Unlike PyTorch,
 * where AdamW subclasses Adam, the two are sibling classes here.
 */
public final class AdamW extends Optimizer {
    /** AdamW with PyTorch's defaults, like {@code AdamW(params)}. */
    public AdamW(Iterable<Tensor> params) { this(params, defaults(1e-3, 0.9, 0.999, 1e-8, 1e-2, false, false)); }

    /** Like {@code AdamW(params, lr=lr)}. */
    public AdamW(Iterable<Tensor> params, double lr) { this(params, defaults(lr, 0.9, 0.999, 1e-8, 1e-2, false, false)); }

    /** Like {@code AdamW(params, lr, betas)}; {@code betas} holds beta1 and beta2. */
    public AdamW(Iterable<Tensor> params, double lr, double[] betas) {
        this(params, defaults(lr, Adam.beta(betas, 0), Adam.beta(betas, 1), 1e-8, 1e-2, false, false));
    }

    /** Like {@code AdamW(params, lr, betas, eps, weight_decay, amsgrad)}. */
    public AdamW(Iterable<Tensor> params, double lr, double[] betas, double eps, double weightDecay, boolean amsgrad) {
        this(params, defaults(lr, Adam.beta(betas, 0), Adam.beta(betas, 1), eps, weightDecay, amsgrad, false));
    }

    /** AdamW over parameter groups, like {@code AdamW([{'params': ...}, ...], lr=lr)}. */
    public AdamW(List<ParamGroup> groups, double lr) { this(groups, defaults(lr, 0.9, 0.999, 1e-8, 1e-2, false, false)); }

    /** Like {@code AdamW(groups, lr, betas, eps, weight_decay, amsgrad)}. */
    public AdamW(List<ParamGroup> groups, double lr, double[] betas, double eps, double weightDecay, boolean amsgrad) {
        this(groups, defaults(lr, Adam.beta(betas, 0), Adam.beta(betas, 1), eps, weightDecay, amsgrad, false));
    }

    private AdamW(Iterable<Tensor> params, Map<String, Object> defaults) { super(params, defaults); }

    private AdamW(List<ParamGroup> groups, Map<String, Object> defaults) { super(groups, defaults); }

    /** A builder for every option, keyword-only ones ({@code maximize}) included. */
    public static Builder builder(Iterable<Tensor> params) { return new Builder(params, null); }

    /** A builder over parameter groups. */
    public static Builder builder(List<ParamGroup> groups) { return new Builder(null, groups); }

    private static Map<String, Object> defaults(Number lr, double beta1, double beta2, Number eps, Number weightDecay, boolean amsgrad, boolean maximize) {
        Adam.validate(lr, beta1, beta2, eps, weightDecay);
        return options("lr", lr, "betas", List.of(beta1, beta2), "eps", eps, "weight_decay", weightDecay, "amsgrad", amsgrad,
                "maximize", maximize, "foreach", null, "capturable", false, "differentiable", false, "fused", null,
                "decoupled_weight_decay", true);
    }

    @Override
    protected void update(ParamGroup group) { Adam.step(this, group, true); }

    @Override
    void groupLoaded(ParamGroup group) { group.set("decoupled_weight_decay", true); }

    /** AdamW's options; unset ones keep PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Tensor> params;
        private final List<ParamGroup> groups;
        private Number lr = 1e-3, eps = 1e-8, weightDecay = 1e-2;
        private double beta1 = 0.9, beta2 = 0.999;
        private boolean amsgrad, maximize;

        private Builder(Iterable<Tensor> params, List<ParamGroup> groups) { this.params = params; this.groups = groups; }

        /** The learning rate ({@code lr}). */
        public Builder lr(double lr) { this.lr = lr; return this; }

        /** The averaging coefficients of the gradient and its square ({@code betas}). */
        public Builder betas(double beta1, double beta2) { this.beta1 = beta1; this.beta2 = beta2; return this; }

        /** The term added to the denominator ({@code eps}). */
        public Builder eps(double eps) { this.eps = eps; return this; }

        /** The weight decay ({@code weight_decay}). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }

        /** Uses the AMSGrad variant, normalizing by the largest second moment so far ({@code amsgrad}). */
        public Builder amsgrad(boolean amsgrad) { this.amsgrad = amsgrad; return this; }

        /** Ascends the objective instead of descending it. */
        public Builder maximize(boolean maximize) { this.maximize = maximize; return this; }

        /** The optimizer, after PyTorch's checks of the options. */
        public AdamW build() {
            Map<String, Object> d = defaults(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
            return groups != null ? new AdamW(groups, d) : new AdamW(params, d);
        }
    }
}
