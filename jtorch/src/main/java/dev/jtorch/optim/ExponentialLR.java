package dev.jtorch.optim;

import java.util.List;

/** Multiplies the learning rates by {@code gamma} every epoch, like {@code torch.optim.lr_scheduler.ExponentialLR}. */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    /** Decays by {@code gamma} every epoch, like {@code ExponentialLR(opt, gamma)}. */
    public ExponentialLR(Optimizer optimizer, double gamma) { this(optimizer, gamma, -1); }

    /** Resumes at {@code lastEpoch} (the groups need {@code initial_lr}). */
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch) {
        this.gamma = gamma;
        super(optimizer, lastEpoch);
    }

    @Override
    protected List<Double> getLr() { return isInitial() ? currentLrs() : scaled(gamma); }
}
