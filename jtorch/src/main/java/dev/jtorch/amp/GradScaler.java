package dev.jtorch.amp;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.TensorScope;
import dev.jtorch.Torch;
import dev.jtorch.autograd.GradMode;
import dev.jtorch.optim.Optimizer;
import dev.jtorch.optim.ParamGroup;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loss scaling for mixed-precision training, like {@code torch.amp.GradScaler}: float16 gradients of a
 * small loss underflow to zero, so the loss is multiplied by a large scale before {@code backward()}, the
 * gradients are divided by it before the optimizer step, and steps whose gradients overflowed (inf or
 * NaN) are skipped while the scale backs off. After {@code growthInterval} clean steps in a row the scale
 * grows again.
 *
 * <p>PyTorch's loop
 * <pre>{@code
 * scaler = torch.amp.GradScaler("cuda")
 * for x, y in data:
 *     optimizer.zero_grad()
 *     with torch.autocast("cuda", dtype=torch.float16):
 *         loss = loss_fn(model(x), y)
 *     scaler.scale(loss).backward()
 *     scaler.unscale_(optimizer)                      # optional, e.g. before clipping
 *     scaler.step(optimizer)
 *     scaler.update()
 * }</pre>
 * is in jtorch
 * <pre>{@code
 * GradScaler scaler = new GradScaler("cuda");
 * for (var batch : data) {
 *     optimizer.zeroGrad();
 *     Tensor loss;
 *     try (var ac = Torch.autocast("cuda", DType.float16)) { loss = lossFn(model(batch.x()), batch.y()); }
 *     scaler.scale(loss).backward();
 *     scaler.unscale_(optimizer);                     // optional
 *     scaler.step(optimizer);                         // skipped when a gradient is inf/NaN
 *     scaler.update();
 * }
 * }</pre>
 * Unscale/step bookkeeping is per optimizer (by identity, as PyTorch keys it by {@code id(optimizer)})
 * until {@link #update()}. The algorithm is PyTorch's: the scale is a float32
 * 0-dim tensor on the device of the first scaled output (initially {@code 2^16}); unscaling multiplies
 * each gradient by {@code float32(1 / double(scale))} and records whether any element of any gradient is
 * not finite; {@code update()} multiplies the scale by {@code backoffFactor} (0.5) and resets the count of
 * clean steps when something overflowed since the last update, else counts the step and, at
 * {@code growthInterval} (2000) clean steps, multiplies the scale by {@code growthFactor} (2) when the
 * result is finite. The scale stays on the device; only {@link #step} reads one flag back.
 */
public final class GradScaler {
    private enum Stage { READY, UNSCALED, STEPPED }

    /** Per-optimizer state until the next update ({@code _refresh_per_optimizer_state}): its stage and found-inf flags per device. */
    private static final class OptState {
        Stage stage = Stage.READY;
        final Map<Device, Tensor> foundInf = new LinkedHashMap<>();
    }

    private final String device;
    private final boolean enabled;
    private double initScale;
    private long initGrowthTracker;
    private double growthFactor, backoffFactor;
    private int growthInterval;
    private Tensor scale, growthTracker;
    private final Map<Optimizer, OptState> states = new IdentityHashMap<>();

    /** Like {@code GradScaler()}: for CUDA, with PyTorch's defaults. */
    public GradScaler() { this("cuda"); }

    /** Like {@code GradScaler(device)}: init_scale 2^16, growth_factor 2, backoff_factor 0.5, growth_interval 2000. */
    public GradScaler(String device) { this(device, 65536.0, 2.0, 0.5, 2000, true); }

    /** Like {@code GradScaler(device, init_scale, growth_factor, backoff_factor, growth_interval, enabled)}. */
    public GradScaler(String device, double initScale, double growthFactor, double backoffFactor, int growthInterval, boolean enabled) {
        this.device = device;
        if (enabled && device.startsWith("cuda") && !Torch.cuda.isAvailable()) {
            System.err.println("UserWarning: torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.");
            enabled = false;
        }
        this.enabled = enabled;
        if (enabled) {
            if (!(growthFactor > 1.0)) throw new IllegalArgumentException("The growth factor must be > 1.0.");
            if (!(backoffFactor < 1.0)) throw new IllegalArgumentException("The backoff factor must be < 1.0.");
        }
        this.initScale = initScale;
        this.growthFactor = growthFactor;
        this.backoffFactor = backoffFactor;
        this.growthInterval = growthInterval;
    }

    public boolean isEnabled() { return enabled; }

    /** The device type this scaler was made for ("cuda" or "cpu"). */
    public String device() { return device; }

    private void checkScale(String fn) {
        if (scale == null)
            throw new IllegalStateException("Attempted " + fn + " but _scale is None.  "
                    + "This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.");
    }

    /** {@code outputs * scale}, like {@code scaler.scale(loss)} (the outputs themselves when disabled). Differentiable. */
    public Tensor scale(Tensor outputs) {
        if (!enabled) return outputs;
        if (scale == null) {
            // The scaler outlives the iteration that creates its state: keep it out of any open TensorScope.
            scale = TensorScope.escape(Torch.full(new long[0], initScale, DType.float32, outputs.device()));
            growthTracker = TensorScope.escape(Torch.full(new long[0], initGrowthTracker, DType.int32, outputs.device()));
        }
        return outputs.mul(scale.to(outputs.device()));
    }

    /** {@link #scale(Tensor)} for several outputs. */
    public List<Tensor> scale(List<Tensor> outputs) {
        List<Tensor> r = new ArrayList<>(outputs.size());
        for (Tensor t : outputs) r.add(scale(t));
        return r;
    }

    private OptState state(Optimizer optimizer) { return states.computeIfAbsent(optimizer, k -> new OptState()); }

    /**
     * Divides the gradients of the optimizer's parameters by the scale in place and records whether any is
     * inf or NaN, like {@code scaler.unscale_(optimizer)}. At most once per optimizer between updates, and
     * before {@link #step}. Parameters without a gradient are skipped; float16 gradients are refused, as
     * PyTorch refuses them (keep float32 master weights).
     */
    public void unscale_(Optimizer optimizer) {
        if (!enabled) return;
        checkScale("unscale_");
        OptState st = state(optimizer);
        if (st.stage == Stage.UNSCALED) throw new IllegalStateException("unscale_() has already been called on this optimizer since the last update().");
        if (st.stage == Stage.STEPPED) throw new IllegalStateException("unscale_() is being called after step().");
        try (var g = GradMode.set(false)) {
            Tensor inv = scale.to(DType.float64).reciprocal().to(DType.float32);
            for (ParamGroup group : optimizer.paramGroups()) for (Tensor p : group.params()) {
                Tensor grad = p.grad();
                if (grad == null) continue;
                if (grad.dtype() == DType.float16) throw new IllegalArgumentException("Attempting to unscale FP16 gradients.");
                Device d = grad.device();
                Tensor found = st.foundInf.computeIfAbsent(d, k -> Torch.zeros(new long[0], DType.float32, k));
                // like _amp_foreach_non_finite_check_and_unscale_: flag any inf/NaN, then multiply by 1/scale
                Tensor nonFinite = grad.isfinite().logicalNot().any().to(DType.float32);
                found.copy_(found.maximum(nonFinite));
                grad.mul_(inv.to(d));
            }
        }
        st.stage = Stage.UNSCALED;
    }

    /**
     * Unscales the optimizer's gradients if {@link #unscale_} was not called, then runs
     * {@code optimizer.step()} unless some gradient held an inf or NaN, like {@code scaler.step(optimizer)}.
     * Returns whether the step ran. When disabled, just steps.
     */
    public boolean step(Optimizer optimizer) {
        if (!enabled) {
            optimizer.step();
            return true;
        }
        checkScale("step");
        OptState st = state(optimizer);
        if (st.stage == Stage.STEPPED) throw new IllegalStateException("step() has already been called since the last update().");
        if (st.stage == Stage.READY) unscale_(optimizer);
        if (st.foundInf.isEmpty()) throw new IllegalStateException("No inf checks were recorded for this optimizer.");
        double found = 0;
        for (Tensor f : st.foundInf.values()) found += f.item();
        boolean run = found == 0;
        if (run) optimizer.step();
        st.stage = Stage.STEPPED;
        return run;
    }

    /**
     * Updates the scale from this iteration's overflow checks and starts the next iteration, like
     * {@code scaler.update()}: backs off on an overflow, grows after {@code growthInterval} clean updates.
     */
    public void update() {
        if (!enabled) return;
        checkScale("update");
        List<Tensor> found = new ArrayList<>();
        for (OptState s : states.values()) for (Tensor f : s.foundInf.values()) found.add(f);
        if (found.isEmpty()) throw new IllegalStateException("No inf checks were recorded prior to update.");
        try (var g = GradMode.set(false)) {
            Device d = scale.device();
            Tensor combined = found.get(0).to(d);
            for (int i = 1; i < found.size(); i++) combined = combined.add(found.get(i).to(d));
            // _amp_update_scale_, on the device: no synchronization
            Tensor overflow = combined.ne(0);
            Tensor counted = Torch.where(overflow, 0L, growthTracker.add(1)).to(DType.int32);
            Tensor grow = overflow.logicalNot().logicalAnd(counted.eq(growthInterval));
            Tensor grown = scale.to(DType.float64).mul(growthFactor).to(DType.float32);
            Tensor backedOff = scale.to(DType.float64).mul(backoffFactor).to(DType.float32);
            Tensor next = Torch.where(overflow, backedOff, Torch.where(grow.logicalAnd(grown.isfinite()), grown, scale));
            scale.copy_(next);
            growthTracker.copy_(Torch.where(grow, 0L, counted));
        }
        states.clear();
    }

    /** Sets the scale to {@code newScale} and starts the next iteration, like {@code scaler.update(new_scale)}. */
    public void update(double newScale) {
        if (!enabled) return;
        checkScale("update");
        scale.fill_(newScale);
        states.clear();
    }

    /** The current scale, like {@code scaler.get_scale()} (1.0 when disabled, the initial scale before the first {@link #scale}). */
    public double getScale() {
        if (!enabled) return 1.0;
        return scale == null ? initScale : scale.item();
    }

    public double getGrowthFactor() { return growthFactor; }

    public void setGrowthFactor(double f) { growthFactor = f; }

    public double getBackoffFactor() { return backoffFactor; }

    public void setBackoffFactor(double f) { backoffFactor = f; }

    public int getGrowthInterval() { return growthInterval; }

    public void setGrowthInterval(int n) { growthInterval = n; }

    /** Clean updates counted toward the next growth ({@code scaler._get_growth_tracker()}). */
    public int getGrowthTracker() { return !enabled ? 0 : growthTracker == null ? (int) initGrowthTracker : (int) growthTracker.itemLong(); }

    /** Like {@code scaler.state_dict()}: PyTorch's keys (empty when disabled). */
    public Map<String, Object> stateDict() {
        if (!enabled) return Map.of();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scale", getScale());
        m.put("growth_factor", growthFactor);
        m.put("backoff_factor", backoffFactor);
        m.put("growth_interval", growthInterval);
        m.put("_growth_tracker", getGrowthTracker());
        return m;
    }

    /** Like {@code scaler.load_state_dict(state)}. */
    public void loadStateDict(Map<String, Object> state) {
        if (!enabled) return;
        if (state.isEmpty())
            throw new IllegalStateException("The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler.");
        growthFactor = ((Number) state.get("growth_factor")).doubleValue();
        backoffFactor = ((Number) state.get("backoff_factor")).doubleValue();
        growthInterval = ((Number) state.get("growth_interval")).intValue();
        double s = ((Number) state.get("scale")).doubleValue();
        long tracker = ((Number) state.get("_growth_tracker")).longValue();
        if (scale == null) { // applied when the first scale() makes the tensors
            initScale = s;
            initGrowthTracker = tracker;
        } else {
            scale.fill_(s);
            growthTracker.fill_(tracker);
        }
    }

    @Override public String toString() { return "GradScaler(device=" + device + ", scale=" + getScale() + ", enabled=" + enabled + ")"; }
}
