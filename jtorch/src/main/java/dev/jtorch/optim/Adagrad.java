package dev.jtorch.optim;

import dev.jtorch.Python;
import static dev.jtorch.optim.Updates.check;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.List;
import java.util.Map;

/**
 * Adagrad, like {@code torch.optim.Adagrad}: {@code new Adagrad(model.parameters(), 0.01)} or
 * {@code Adagrad.builder(params).lr(0.01).lrDecay(1e-4).build()}.
 *
 * <p>Defaults as PyTorch 2.x: lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10,
 * maximize off. As in PyTorch, the state of the parameters given at construction is made at once; that of
 * groups added later is made at their first step.
 */
public final class Adagrad extends Optimizer {
    /** Adagrad with PyTorch's defaults, like {@code Adagrad(params)}. */
    public Adagrad(Iterable<Tensor> params) { this(params, defaults(1e-2, 0, 0, 0, 1e-10, false)); }

    /** Like {@code Adagrad(params, lr=lr)}. */
    public Adagrad(Iterable<Tensor> params, double lr) { this(params, defaults(lr, 0, 0, 0, 1e-10, false)); }

    /** Like {@code Adagrad(params, lr, lr_decay, weight_decay, initial_accumulator_value, eps)}. */
    public Adagrad(Iterable<Tensor> params, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        this(params, defaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, false));
    }

    /** Adagrad over parameter groups, like {@code Adagrad([{'params': ...}, ...], lr=lr)}. */
    public Adagrad(List<ParamGroup> groups, double lr) { this(groups, defaults(lr, 0, 0, 0, 1e-10, false)); }

    /** Like {@code Adagrad(groups, lr, lr_decay, weight_decay, initial_accumulator_value, eps)}. */
    public Adagrad(List<ParamGroup> groups, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        this(groups, defaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, false));
    }

    private Adagrad(Iterable<Tensor> params, Map<String, Object> defaults) {
        super(params, defaults);
        initState();
    }

    private Adagrad(List<ParamGroup> groups, Map<String, Object> defaults) {
        super(groups, defaults);
        initState();
    }

    /** A builder for every option, keyword-only ones ({@code maximize}) included. */
    public static Builder builder(Iterable<Tensor> params) { return new Builder(params, null); }

    /** A builder over parameter groups. */
    public static Builder builder(List<ParamGroup> groups) { return new Builder(null, groups); }

    private static Map<String, Object> defaults(Number lr, Number lrDecay, Number weightDecay, Number initialAccumulatorValue, Number eps, boolean maximize) {
        check(0 <= lr.doubleValue(), "Invalid learning rate: " + Python.repr(lr));
        check(0 <= lrDecay.doubleValue(), "Invalid lr_decay value: " + Python.repr(lrDecay));
        check(0 <= weightDecay.doubleValue(), "Invalid weight_decay value: " + Python.repr(weightDecay));
        check(0 <= initialAccumulatorValue.doubleValue(), "Invalid initial_accumulator_value value: " + Python.repr(initialAccumulatorValue));
        check(0 <= eps.doubleValue(), "Invalid epsilon value: " + Python.repr(eps));
        return options("lr", lr, "lr_decay", lrDecay, "eps", eps, "weight_decay", weightDecay, "initial_accumulator_value", initialAccumulatorValue,
                "foreach", null, "maximize", maximize, "differentiable", false, "fused", null);
    }

    private void initState() {
        for (ParamGroup g : paramGroups())
            for (Tensor p : g.params()) initState(p, state(p));
    }

    private void initState(Tensor p, Map<String, Object> st) {
        st.put("step", Torch.tensor(0.0, scalarDtype()));
        st.put("sum", Torch.fullLike(p, ((Number) defaults().get("initial_accumulator_value")).doubleValue()));
    }

    @Override
    protected void update(ParamGroup group) {
        double lr = group.lr(), lrDecay = group.getDouble("lr_decay"), eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor grad = p.grad();
            if (grad == null) continue;
            Map<String, Object> st = state(p);
            if (st.isEmpty()) initState(p, st);
            Tensor sum = (Tensor) st.get("sum");
            Tensor stepT = stepTensor(st);
            stepT.add_(1L);
            double step = stepT.item();
            if (maximize) grad = grad.neg();
            if (weightDecay != 0) grad = grad.add(p, weightDecay);
            double clr = lr / (1 + (step - 1) * lrDecay);
            Updates.addcmul_(sum, grad, grad, 1);
            Tensor std = sum.sqrt().add_(eps);
            Updates.addcdiv_(p, grad, std, -clr);
        }
    }

    /** Adagrad's options; unset ones keep PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Tensor> params;
        private final List<ParamGroup> groups;
        private Number lr = 1e-2, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10;
        private boolean maximize;

        private Builder(Iterable<Tensor> params, List<ParamGroup> groups) { this.params = params; this.groups = groups; }

        /** The learning rate ({@code lr}). */
        public Builder lr(double lr) { this.lr = lr; return this; }

        /** Divides the learning rate by {@code 1 + (step - 1) * lrDecay}. */
        public Builder lrDecay(double lrDecay) { this.lrDecay = lrDecay; return this; }

        /** The weight decay ({@code weight_decay}). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }

        /** The starting value of every squared-gradient sum. */
        public Builder initialAccumulatorValue(double value) { this.initialAccumulatorValue = value; return this; }

        /** The term added to the denominator ({@code eps}). */
        public Builder eps(double eps) { this.eps = eps; return this; }

        /** Ascends the objective instead of descending it. */
        public Builder maximize(boolean maximize) { this.maximize = maximize; return this; }

        /** The optimizer, after PyTorch's checks of the options. */
        public Adagrad build() {
            Map<String, Object> d = defaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
            return groups != null ? new Adagrad(groups, d) : new Adagrad(params, d);
        }
    }
}
