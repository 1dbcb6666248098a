package dev.jtorch.optim;

import dev.jtorch.Python;
import static dev.jtorch.optim.Updates.check;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.List;
import java.util.Map;

/**
 * Adam, like {@code torch.optim.Adam}: {@code new Adam(model.parameters(), 1e-3)} or
 * {@code Adam.builder(params).lr(1e-3).betas(0.9, 0.99).amsgrad(true).build()}.
 *
 * <p>Defaults as PyTorch 2.x: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0 (added to the gradient; with
 * {@code decoupledWeightDecay} it shrinks the parameters instead, as {@link AdamW} does), amsgrad and maximize off.
 * The step follows PyTorch's single-tensor implementation, bias corrections computed in double from the step count.
 */
public final class Adam extends Optimizer {
    /** Adam with PyTorch's defaults, like {@code Adam(params)}. */
    public Adam(Iterable<Tensor> params) { this(params, defaults(1e-3, 0.9, 0.999, 1e-8, 0, false, false, false)); }

    /** Like {@code Adam(params, lr=lr)}. */
    public Adam(Iterable<Tensor> params, double lr) { this(params, defaults(lr, 0.9, 0.999, 1e-8, 0, false, false, false)); }

    /** Like {@code Adam(params, lr, betas)}; {@code betas} holds beta1 and beta2. */
    public Adam(Iterable<Tensor> params, double lr, double[] betas) {
        this(params, defaults(lr, beta(betas, 0), beta(betas, 1), 1e-8, 0, false, false, false));
    }

    /** Like {@code Adam(params, lr, betas, eps, weight_decay, amsgrad)}. */
    public Adam(Iterable<Tensor> params, double lr, double[] betas, double eps, double weightDecay, boolean amsgrad) {
        this(params, defaults(lr, beta(betas, 0), beta(betas, 1), eps, weightDecay, amsgrad, false, false));
    }

    /** Adam over parameter groups, like {@code Adam([{'params': ...}, ...], lr=lr)}. */
    public Adam(List<ParamGroup> groups, double lr) { this(groups, defaults(lr, 0.9, 0.999, 1e-8, 0, false, false, false)); }

    /** Like {@code Adam(groups, lr, betas, eps, weight_decay, amsgrad)}. */
    public Adam(List<ParamGroup> groups, double lr, double[] betas, double eps, double weightDecay, boolean amsgrad) {
        this(groups, defaults(lr, beta(betas, 0), beta(betas, 1), eps, weightDecay, amsgrad, false, false));
    }

    private Adam(Iterable<Tensor> params, Map<String, Object> defaults) { super(params, defaults); }

    private Adam(List<ParamGroup> groups, Map<String, Object> defaults) { super(groups, defaults); }

    /** A builder for every option, keyword-only ones ({@code maximize}, {@code decoupledWeightDecay}) included. */
    public static Builder builder(Iterable<Tensor> params) { return new Builder(params, null); }

    /** A builder over parameter groups. */
    public static Builder builder(List<ParamGroup> groups) { return new Builder(null, groups); }

    static double beta(double[] betas, int i) {
        if (betas == null || betas.length != 2) throw new IllegalArgumentException("betas must hold two values (beta1, beta2)");
        return betas[i];
    }

    private static Map<String, Object> defaults(Number lr, double beta1, double beta2, Number eps, Number weightDecay, boolean amsgrad,
                                                boolean maximize, boolean decoupled) {
        validate(lr, beta1, beta2, eps, weightDecay);
        return options("lr", lr, "betas", List.of(beta1, beta2), "eps", eps, "weight_decay", weightDecay, "amsgrad", amsgrad,
                "maximize", maximize, "foreach", null, "capturable", false, "differentiable", false, "fused", null,
                "decoupled_weight_decay", decoupled);
    }

    static void validate(Number lr, double beta1, double beta2, Number eps, Number weightDecay) {
        check(0 <= lr.doubleValue(), "Invalid learning rate: " + Python.repr(lr));
        check(0 <= eps.doubleValue(), "Invalid epsilon value: " + Python.repr(eps));
        check(0 <= beta1 && beta1 < 1, "Invalid beta parameter at index 0: " + Python.repr(beta1));
        check(0 <= beta2 && beta2 < 1, "Invalid beta parameter at index 1: " + Python.repr(beta2));
        check(0 <= weightDecay.doubleValue(), "Invalid weight_decay value: " + Python.repr(weightDecay));
    }

    @Override
    protected void update(ParamGroup group) { step(this, group, group.getBoolean("decoupled_weight_decay")); }

    /** PyTorch's {@code _single_tensor_adam} over one group; AdamW runs it with decoupled weight decay. */
    static void step(Optimizer opt, ParamGroup group, boolean decoupled) {
        double lr = group.lr(), eps = group.getDouble("eps"), weightDecay = group.getDouble("weight_decay");
        List<?> betas = (List<?>) group.get("betas");
        double beta1 = ((Number) betas.get(0)).doubleValue(), beta2 = ((Number) betas.get(1)).doubleValue();
        boolean amsgrad = group.getBoolean("amsgrad"), maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor grad = p.grad();
            if (grad == null) continue;
            Map<String, Object> st = opt.state(p);
            if (st.isEmpty()) {
                // The step count lives on the CPU whatever the parameter's device, so reading it never syncs a GPU.
                st.put("step", Torch.tensor(0.0, scalarDtype()));
                st.put("exp_avg", Torch.zerosLike(p));
                st.put("exp_avg_sq", Torch.zerosLike(p));
                if (amsgrad) st.put("max_exp_avg_sq", Torch.zerosLike(p));
            }
            if (maximize) grad = grad.neg();
            Tensor expAvg = (Tensor) st.get("exp_avg"), expAvgSq = (Tensor) st.get("exp_avg_sq");
            Tensor stepT = stepTensor(st);
            stepT.add_(1L);
            if (weightDecay != 0) {
                if (decoupled) p.mul_(1 - lr * weightDecay);
                else grad = grad.add(p, weightDecay);
            }
            Updates.lerp_(expAvg, grad, 1 - beta1);
            expAvgSq.mul_(beta2);
            Updates.addcmul_(expAvgSq, grad, grad, 1 - beta2);
            double step = stepT.item();
            double biasCorrection1 = 1 - Math.pow(beta1, step);
            double biasCorrection2 = 1 - Math.pow(beta2, step);
            double stepSize = lr / biasCorrection1;
            double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
            Tensor second = expAvgSq;
            if (amsgrad) {
                Tensor max = (Tensor) st.get("max_exp_avg_sq");
                max.copy_(max.maximum(expAvgSq));
                second = max;
            }
            Tensor denom = second.sqrt().div(biasCorrection2Sqrt).add_(eps);
            Updates.addcdiv_(p, expAvg, denom, -stepSize);
        }
    }

    /** Adam's options; unset ones keep PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Tensor> params;
        private final List<ParamGroup> groups;
        private Number lr = 1e-3, eps = 1e-8, weightDecay = 0;
        private double beta1 = 0.9, beta2 = 0.999;
        private boolean amsgrad, maximize, decoupledWeightDecay;

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

        /** Applies weight decay to the parameters (AdamW's rule) instead of the gradient. */
        public Builder decoupledWeightDecay(boolean decoupled) { this.decoupledWeightDecay = decoupled; return this; }

        /** The optimizer, after PyTorch's checks of the options. */
        public Adam build() {
            Map<String, Object> d = defaults(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay);
            return groups != null ? new Adam(groups, d) : new Adam(params, d);
        }
    }
}
