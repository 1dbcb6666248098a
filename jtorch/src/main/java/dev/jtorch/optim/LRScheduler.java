package dev.jtorch.optim;

import dev.jtorch.Python;
import java.util.ArrayList;
import java.util.List;

/**
 * The base of the learning-rate schedulers, like {@code torch.optim.lr_scheduler.LRScheduler}: construction records
 * each group's {@code initial_lr} and takes the first step (epoch 0); every {@link #step()} then sets each group's
 * {@code lr} to {@link #getLr()}, which (as in PyTorch) usually scales the current {@code lr}, so schedulers chain.
 *
 * <p>A subclass sets its own fields before calling this constructor, as PyTorch's do before {@code super().__init__},
 * since the constructor already calls {@link #getLr()}.
 */
public abstract class LRScheduler {
    private final Optimizer optimizer;
    private final List<Double> baseLrs;
    private int lastEpoch;
    private int stepCount;
    private boolean initial;
    private List<Double> lastLr;

    /** Attaches to {@code optimizer}; {@code lastEpoch = -1} starts afresh, another value resumes (the groups then need {@code initial_lr}). */
    protected LRScheduler(Optimizer optimizer, int lastEpoch) {
        if (optimizer == null) throw new IllegalArgumentException("NoneType is not an Optimizer");
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        if (lastEpoch == -1) {
            for (ParamGroup g : groups) g.setDefault("initial_lr", g.get("lr"));
        } else {
            for (int i = 0; i < groups.size(); i++)
                if (!groups.get(i).has("initial_lr"))
                    throw new IllegalArgumentException("param 'initial_lr' is not specified in param_groups[" + i + "] when resuming scheduler with "
                            + "last_epoch >= 0.\nThis typically happens when:\n1. You're trying to resume training from a checkpoint but haven't "
                            + "properly loaded the optimizer state\n2. You're using last_epoch >= 0 for a fresh training run (not recommended)");
        }
        List<Double> base = new ArrayList<>();
        for (ParamGroup g : groups) base.add(g.getDouble("initial_lr"));
        this.baseLrs = List.copyOf(base);
        this.lastEpoch = lastEpoch;
        stepCount = 0;
        initial = true;
        try {
            step();
        } finally {
            initial = false;
        }
    }

    /** Advances one epoch and sets every group's learning rate, like {@code scheduler.step()}; call it after {@code optimizer.step()}. */
    public void step() {
        if (stepCount == 1 && !optimizer.stepped())
            Python.warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them "
                    + "in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch "
                    + "skipping the first value of the learning rate schedule. See more details at "
                    + "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate");
        stepCount++;
        lastEpoch++;
        List<Double> values = getLr();
        List<ParamGroup> groups = optimizer.paramGroups();
        if (values.size() != groups.size())
            throw new IllegalStateException("getLr() returned " + values.size() + " learning rates for " + groups.size() + " parameter groups");
        for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(values.get(i));
        lastLr = List.copyOf(currentLrs());
    }

    /** The learning rates for the epoch just entered ({@link #lastEpoch()}), one per group, like PyTorch's {@code get_lr()}. */
    protected abstract List<Double> getLr();

    /** The learning rates this scheduler set last, one per group, like {@code scheduler.get_last_lr()}. */
    public List<Double> getLastLr() { return lastLr; }

    /** The index of the current epoch, like {@code scheduler.last_epoch} (0 right after construction). */
    public int lastEpoch() { return lastEpoch; }

    /** Each group's {@code initial_lr}, like {@code scheduler.base_lrs}. */
    public List<Double> baseLrs() { return baseLrs; }

    /** The optimizer whose learning rates this scheduler sets. */
    public Optimizer optimizer() { return optimizer; }

    /** True only during the step the constructor takes, like PyTorch's {@code _is_initial}. */
    protected boolean isInitial() { return initial; }

    /** How many times {@link #step()} has run, the constructor's included, like PyTorch's {@code _step_count}. */
    protected int stepCount() { return stepCount; }

    /** Each group's current {@code lr}. */
    protected List<Double> currentLrs() {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) out.add(g.lr());
        return out;
    }

    /** Each group's current {@code lr} times {@code factor}. */
    List<Double> scaled(double factor) {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) out.add(g.lr() * factor);
        return out;
    }
}
