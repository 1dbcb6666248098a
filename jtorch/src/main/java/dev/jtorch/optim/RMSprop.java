package dev.jtorch.optim;

import dev.jtorch.Python;
import static dev.jtorch.optim.Updates.check;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, like {@code torch.optim.RMSprop}: {@code new RMSprop(model.parameters(), 0.01)} or
 * {@code RMSprop.builder(params).lr(0.01).momentum(0.9).centered(true).build()}.
 *
 * <p>Defaults as PyTorch 2.x: lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered and maximize off.
 */
public final class RMSprop extends Optimizer {
    /** RMSprop with PyTorch's defaults, like {@code RMSprop(params)}. */
    public RMSprop(Iterable<Tensor> params) { this(params, defaults(1e-2, 0.99, 1e-8, 0, 0, false, false)); }

    /** Like {@code RMSprop(params, lr=lr)}. */
    public RMSprop(Iterable<Tensor> params, double lr) { this(params, defaults(lr, 0.99, 1e-8, 0, 0, false, false)); }

    /** Like {@code RMSprop(params, lr, alpha, eps, weight_decay, momentum, centered)}. */
    public RMSprop(Iterable<Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        this(params, defaults(lr, alpha, eps, weightDecay, momentum, centered, false));
    }

    /** RMSprop over parameter groups, like {@code RMSprop([{'params': ...}, ...], lr=lr)}. */
    public RMSprop(List<ParamGroup> groups, double lr) { this(groups, defaults(lr, 0.99, 1e-8, 0, 0, false, false)); }

    /** Like {@code RMSprop(groups, lr, alpha, eps, weight_decay, momentum, centered)}. */
    public RMSprop(List<ParamGroup> groups, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        this(groups, defaults(lr, alpha, eps, weightDecay, momentum, centered, false));
    }

    private RMSprop(Iterable<Tensor> params, Map<String, Object> defaults) { super(params, defaults); }

    private RMSprop(List<ParamGroup> groups, Map<String, Object> defaults) { super(groups, defaults); }

    /** A builder for every option, {@code maximize} included. */
    public static Builder builder(Iterable<Tensor> params) { return new Builder(params, null); }

    /** A builder over parameter groups. */
    public static Builder builder(List<ParamGroup> groups) { return new Builder(null, groups); }

    private static Map<String, Object> defaults(Number lr, Number alpha, Number eps, Number weightDecay, Number momentum, boolean centered, boolean maximize) {
        check(0 <= lr.doubleValue(), "Invalid learning rate: " + Python.repr(lr));
        check(0 <= eps.doubleValue(), "Invalid epsilon value: " + Python.repr(eps));
        check(0 <= momentum.doubleValue(), "Invalid momentum value: " + Python.repr(momentum));
        check(0 <= weightDecay.doubleValue(), "Invalid weight_decay value: " + Python.repr(weightDecay));
        check(0 <= alpha.doubleValue(), "Invalid alpha value: " + Python.repr(alpha));
        return options("lr", lr, "momentum", momentum, "alpha", alpha, "eps", eps, "centered", centered, "weight_decay", weightDecay,
                "capturable", false, "foreach", null, "maximize", maximize, "differentiable", false);
    }

    @Override
    protected void update(ParamGroup group) {
        double lr = group.lr(), alpha = group.getDouble("alpha"), eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay"), momentum = group.getDouble("momentum");
        boolean centered = group.getBoolean("centered"), maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor grad = p.grad();
            if (grad == null) continue;
            Map<String, Object> st = state(p);
            if (st.isEmpty()) {
                st.put("step", Torch.tensor(0.0, scalarDtype()));
                st.put("square_avg", Torch.zerosLike(p));
                if (momentum > 0) st.put("momentum_buffer", Torch.zerosLike(p));
                if (centered) st.put("grad_avg", Torch.zerosLike(p));
            }
            if (maximize) grad = grad.neg();
            stepTensor(st).add_(1L);
            if (weightDecay != 0) grad = grad.add(p, weightDecay);
            Tensor squareAvg = (Tensor) st.get("square_avg");
            squareAvg.mul_(alpha);
            Updates.addcmul_(squareAvg, grad, grad, 1 - alpha);
            Tensor avg;
            if (centered) {
                Tensor gradAvg = (Tensor) st.get("grad_avg");
                Updates.lerp_(gradAvg, grad, 1 - alpha);
                avg = Updates.addcmul(squareAvg, gradAvg, gradAvg, -1).sqrt_();
            } else {
                avg = squareAvg.sqrt();
            }
            avg.add_(eps);
            if (momentum > 0) {
                Tensor buf = (Tensor) st.get("momentum_buffer");
                buf.mul_(momentum);
                Updates.addcdiv_(buf, grad, avg, 1);
                p.add_(buf, -lr);
            } else {
                Updates.addcdiv_(p, grad, avg, -lr);
            }
        }
    }

    /** RMSprop's options; unset ones keep PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Tensor> params;
        private final List<ParamGroup> groups;
        private Number lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0;
        private boolean centered, maximize;

        private Builder(Iterable<Tensor> params, List<ParamGroup> groups) { this.params = params; this.groups = groups; }

        /** The learning rate ({@code lr}). */
        public Builder lr(double lr) { this.lr = lr; return this; }

        /** The smoothing constant of the squared-gradient average. */
        public Builder alpha(double alpha) { this.alpha = alpha; return this; }

        /** The term added to the denominator ({@code eps}). */
        public Builder eps(double eps) { this.eps = eps; return this; }

        /** The weight decay ({@code weight_decay}). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }

        /** The momentum factor ({@code momentum}). */
        public Builder momentum(double momentum) { this.momentum = momentum; return this; }

        /** Normalizes by the estimated variance of the gradient instead of its second moment. */
        public Builder centered(boolean centered) { this.centered = centered; return this; }

        /** Ascends the objective instead of descending it. */
        public Builder maximize(boolean maximize) { this.maximize = maximize; return this; }

        /** The optimizer, after PyTorch's checks of the options. */
        public RMSprop build() {
            Map<String, Object> d = defaults(lr, alpha, eps, weightDecay, momentum, centered, maximize);
            return groups != null ? new RMSprop(groups, d) : new RMSprop(params, d);
        }
    }
}
