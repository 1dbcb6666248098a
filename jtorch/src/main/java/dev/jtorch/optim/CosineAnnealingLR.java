package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * Anneals the learning rates from their initial values to {@code etaMin} along a half cosine over {@code tMax}
 * epochs (and back up over the next {@code tMax}), like {@code torch.optim.lr_scheduler.CosineAnnealingLR}; it uses
 * PyTorch's recursive form, so it composes with other changes to {@code lr}.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** Anneals to 0 over {@code tMax} epochs. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) { this(optimizer, tMax, 0.0, -1); }

    /** Anneals to {@code etaMin} over {@code tMax} epochs, like {@code CosineAnnealingLR(opt, T_max, eta_min)}. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) { this(optimizer, tMax, etaMin, -1); }

    /** Resumes at {@code lastEpoch} (the groups need {@code initial_lr}). */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin, int lastEpoch) {
        this.tMax = tMax;
        this.etaMin = etaMin;
        super(optimizer, lastEpoch);
    }

    @Override
    protected List<Double> getLr() {
        int e = lastEpoch();
        List<Double> out = new ArrayList<>();
        List<Double> lrs = currentLrs(), base = baseLrs();
        if (isInitial()) return lrs;
        if (tMax == 0) // Python's ZeroDivisionError in get_lr: e * pi / T_max on resuming, else a modulo by 2 * T_max
            throw new IllegalArgumentException(stepCount() == 1 && e > 0 ? "float division by zero" : "integer modulo by zero");
        for (int i = 0; i < lrs.size(); i++) {
            double lr = lrs.get(i), b = base.get(i);
            if (stepCount() == 1 && e > 0) out.add(etaMin + (b - etaMin) * (1 + Math.cos(e * Math.PI / tMax)) / 2);
            else if (Math.floorMod(e - 1 - tMax, 2 * tMax) == 0) out.add(lr + (b - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2);
            else out.add((1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax)) * (lr - etaMin) + etaMin);
        }
        return out;
    }
}
