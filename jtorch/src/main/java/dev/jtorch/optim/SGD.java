package dev.jtorch.optim;

import dev.jtorch.Python;
import static dev.jtorch.optim.Updates.check;

import dev.jtorch.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent, optionally with momentum, like {@code torch.optim.SGD}:
 * {@code new SGD(model.parameters(), 0.01, 0.9)} or {@code SGD.builder(params).lr(0.01).momentum(0.9).nesterov(true).build()}.
 *
 * <p>Defaults as PyTorch 2.x: lr 1e-3, momentum 0, dampening 0, weight_decay 0, nesterov and maximize off. The
 * first step's momentum buffer is a copy of the gradient; later ones are {@code momentum * buf + (1 - dampening) * grad}.
 */
public final class SGD extends Optimizer {
    /** SGD with lr 1e-3, like {@code SGD(params)}. */
    public SGD(Iterable<Tensor> params) { this(params, defaults(1e-3, 0, 0, 0, false, false)); }

    /** Like {@code SGD(params, lr=lr)}. */
    public SGD(Iterable<Tensor> params, double lr) { this(params, defaults(lr, 0, 0, 0, false, false)); }

    /** Like {@code SGD(params, lr=lr, momentum=momentum)}. */
    public SGD(Iterable<Tensor> params, double lr, double momentum) { this(params, defaults(lr, momentum, 0, 0, false, false)); }

    /** Like {@code SGD(params, lr, momentum, dampening, weight_decay, nesterov)}. */
    public SGD(Iterable<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        this(params, defaults(lr, momentum, dampening, weightDecay, nesterov, false));
    }

    /** SGD over parameter groups, like {@code SGD([{'params': ...}, ...], lr=lr)}. */
    public SGD(List<ParamGroup> groups, double lr) { this(groups, defaults(lr, 0, 0, 0, false, false)); }

    /** Like {@code SGD(groups, lr=lr, momentum=momentum)}. */
    public SGD(List<ParamGroup> groups, double lr, double momentum) { this(groups, defaults(lr, momentum, 0, 0, false, false)); }

    /** Like {@code SGD(groups, lr, momentum, dampening, weight_decay, nesterov)}. */
    public SGD(List<ParamGroup> groups, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        this(groups, defaults(lr, momentum, dampening, weightDecay, nesterov, false));
    }

    private SGD(Iterable<Tensor> params, Map<String, Object> defaults) { super(params, defaults); }

    private SGD(List<ParamGroup> groups, Map<String, Object> defaults) { super(groups, defaults); }

    /** A builder for every option, keyword-only ones ({@code maximize}) included. */
    public static Builder builder(Iterable<Tensor> params) { return new Builder(params, null); }

    /** A builder over parameter groups. */
    public static Builder builder(List<ParamGroup> groups) { return new Builder(null, groups); }

    private static Map<String, Object> defaults(Number lr, Number momentum, Number dampening, Number weightDecay, boolean nesterov, boolean maximize) {
        check(!(lr.doubleValue() < 0), "Invalid learning rate: " + Python.repr(lr));
        check(!(momentum.doubleValue() < 0), "Invalid momentum value: " + Python.repr(momentum));
        check(!(weightDecay.doubleValue() < 0), "Invalid weight_decay value: " + Python.repr(weightDecay));
        check(!nesterov || momentum.doubleValue() > 0 && dampening.doubleValue() == 0, "Nesterov momentum requires a momentum and zero dampening");
        return options("lr", lr, "momentum", momentum, "dampening", dampening, "weight_decay", weightDecay, "nesterov", nesterov,
                "maximize", maximize, "foreach", null, "differentiable", false, "fused", null);
    }

    @Override
    protected void update(ParamGroup group) {
        double lr = group.lr(), momentum = group.getDouble("momentum"), dampening = group.getDouble("dampening");
        double weightDecay = group.getDouble("weight_decay");
        boolean nesterov = group.getBoolean("nesterov"), maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor grad = p.grad();
            if (grad == null) continue;
            if (maximize) grad = grad.neg();
            if (weightDecay != 0) grad = grad.add(p, weightDecay);
            if (momentum != 0) {
                Map<String, Object> st = state(p);
                Tensor buf = (Tensor) st.get("momentum_buffer");
                if (buf == null) {
                    buf = grad.detach().clone();
                    st.put("momentum_buffer", buf);
                } else {
                    buf.mul_(momentum).add_(grad, 1 - dampening);
                }
                grad = nesterov ? grad.add(buf, momentum) : buf;
            }
            p.add_(grad, -lr);
        }
    }

    /** SGD's options; unset ones keep PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Tensor> params;
        private final List<ParamGroup> groups;
        private Number lr = 1e-3, momentum = 0, dampening = 0, weightDecay = 0;
        private boolean nesterov, maximize;

        private Builder(Iterable<Tensor> params, List<ParamGroup> groups) { this.params = params; this.groups = groups; }

        /** The learning rate ({@code lr}). */
        public Builder lr(double lr) { this.lr = lr; return this; }

        /** The momentum factor ({@code momentum}). */
        public Builder momentum(double momentum) { this.momentum = momentum; return this; }

        /** The dampening of momentum ({@code dampening}). */
        public Builder dampening(double dampening) { this.dampening = dampening; return this; }

        /** The weight decay ({@code weight_decay}). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }

        /** Uses Nesterov momentum ({@code nesterov}). */
        public Builder nesterov(boolean nesterov) { this.nesterov = nesterov; return this; }

        /** Ascends the objective instead of descending it. */
        public Builder maximize(boolean maximize) { this.maximize = maximize; return this; }

        /** The optimizer, after PyTorch's checks of the options. */
        public SGD build() {
            Map<String, Object> d = defaults(lr, momentum, dampening, weightDecay, nesterov, maximize);
            return groups != null ? new SGD(groups, d) : new SGD(params, d);
        }
    }
}
