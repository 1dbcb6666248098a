package dev.jtorch.optim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Multiplies the learning rates by {@code gamma} at each milestone epoch (by {@code gamma^n} at one listed
 * {@code n} times), like {@code torch.optim.lr_scheduler.MultiStepLR}.
 */
public final class MultiStepLR extends LRScheduler {
    private final Map<Integer, Integer> milestones;
    private final double gamma;

    /** Decays by 0.1 at each milestone. */
    public MultiStepLR(Optimizer optimizer, int[] milestones) { this(optimizer, milestones, 0.1, -1); }

    /** Decays by {@code gamma} at each milestone, like {@code MultiStepLR(opt, milestones, gamma)}. */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) { this(optimizer, milestones, gamma, -1); }

    /** Resumes at {@code lastEpoch} (the groups need {@code initial_lr}). */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma, int lastEpoch) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int m : milestones) counts.merge(m, 1, Integer::sum);
        this.milestones = Map.copyOf(counts);
        this.gamma = gamma;
        super(optimizer, lastEpoch);
    }

    @Override
    protected List<Double> getLr() {
        Integer n = milestones.get(lastEpoch());
        return n == null ? currentLrs() : scaled(Math.pow(gamma, n));
    }
}
