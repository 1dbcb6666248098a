package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Sets each learning rate to its initial value times a function of the epoch, like
 * {@code torch.optim.lr_scheduler.LambdaLR}: {@code new LambdaLR(opt, epoch -> Math.pow(0.95, epoch))}.
 */
public final class LambdaLR extends LRScheduler {
    private final List<IntToDoubleFunction> lambdas;

    /** One function for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda) { this(optimizer, lrLambda, -1); }

    /** One function for every group, resuming at {@code lastEpoch}. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda, int lastEpoch) {
        this.lambdas = Collections.nCopies(optimizer.paramGroups().size(), lrLambda);
        super(optimizer, lastEpoch);
    }

    /** One function per group, in order. */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas) { this(optimizer, lrLambdas, -1); }

    /** One function per group, resuming at {@code lastEpoch}. */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas, int lastEpoch) {
        if (lrLambdas.size() != optimizer.paramGroups().size())
            throw new IllegalArgumentException("Expected " + optimizer.paramGroups().size() + " lr_lambdas, but got " + lrLambdas.size());
        this.lambdas = List.copyOf(lrLambdas);
        super(optimizer, lastEpoch);
    }

    @Override
    protected List<Double> getLr() {
        List<Double> out = new ArrayList<>();
        List<Double> base = baseLrs();
        for (int i = 0; i < base.size(); i++) out.add(base.get(i) * lambdas.get(i).applyAsDouble(lastEpoch()));
        return out;
    }
}
