package dev.jtorch.optim;

import java.util.List;

/** Multiplies the learning rates by {@code gamma} every {@code stepSize} epochs, like {@code torch.optim.lr_scheduler.StepLR}. */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** Decays by 0.1 every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, int stepSize) { this(optimizer, stepSize, 0.1, -1); }

    /** Decays by {@code gamma} every {@code stepSize} epochs, like {@code StepLR(opt, step_size, gamma)}. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) { this(optimizer, stepSize, gamma, -1); }

    /** Resumes at {@code lastEpoch} (the groups need {@code initial_lr}). */
    public StepLR(Optimizer optimizer, int stepSize, double gamma, int lastEpoch) {
        this.stepSize = stepSize;
        this.gamma = gamma;
        super(optimizer, lastEpoch);
    }

    @Override
    protected List<Double> getLr() {
        if (lastEpoch() == 0) return currentLrs();
        if (stepSize == 0) throw new IllegalArgumentException("integer modulo by zero"); // Python's ZeroDivisionError in get_lr
        if (Math.floorMod(lastEpoch(), stepSize) != 0) return currentLrs();
        return scaled(gamma);
    }
}
