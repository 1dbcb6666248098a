package dev.jtorch.optim;

import dev.jtorch.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A parameter group: tensors optimized together and their options, like one dict of PyTorch's
 * {@code optimizer.param_groups} ({@code {'params': [...], 'lr': 0.01, ...}}).
 *
 * <p>Option keys are PyTorch's ({@code "lr"}, {@code "weight_decay"}, {@code "betas"}, ...). Options given here
 * override the optimizer's defaults for this group; the optimizer fills in the rest when the group is added.
 * Options are mutable, as in PyTorch: schedulers change {@code "lr"} between steps.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    /** A group of {@code params} that takes every option from the optimizer's defaults. */
    public ParamGroup(Iterable<Tensor> params) { this(params, Map.of()); }

    /** A group of {@code params} with its own {@code options}, like {@code {'params': params, 'lr': 1e-3}}. */
    public ParamGroup(Iterable<Tensor> params, Map<String, ?> options) {
        if (params == null) throw new IllegalArgumentException("param_group must have a 'params' key");
        if (params instanceof java.util.Set<?>)
            throw new IllegalArgumentException("optimizer parameters need to be organized in ordered collections, but the ordering of "
                    + "tensors in sets will change between runs. Please use a list instead.");
        List<Tensor> list = new ArrayList<>();
        params.forEach(list::add);
        this.params = Collections.unmodifiableList(list);
        for (var e : options.entrySet()) set(e.getKey(), e.getValue());
    }

    /** The tensors of this group, in order (read-only). */
    public List<Tensor> params() { return params; }

    /** The learning rate, {@code group['lr']}. */
    public double lr() { return getDouble("lr"); }

    /** Sets the learning rate, {@code group['lr'] = lr}. */
    public ParamGroup setLr(double lr) { return set("lr", lr); }

    /** Sets an option, like {@code group[key] = value}; returns this group. */
    public ParamGroup set(String key, Object value) {
        if ("params".equals(key)) throw new IllegalArgumentException("'params' is not an option; make a new ParamGroup instead");
        options.put(key, value);
        return this;
    }

    /** Whether this group has the option, like {@code key in group}. */
    public boolean has(String key) { return options.containsKey(key); }

    /** An option's value, like {@code group[key]}. */
    public Object get(String key) {
        if (!options.containsKey(key)) throw new NoSuchElementException("'" + key + "'");
        return options.get(key);
    }

    /** A numeric option as a double. */
    public double getDouble(String key) {
        Object v = get(key);
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof Boolean b) return b ? 1 : 0;
        throw new IllegalArgumentException("option '" + key + "' is not a number: " + v);
    }

    /** A boolean option. */
    public boolean getBoolean(String key) {
        Object v = get(key);
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) return n.doubleValue() != 0;
        throw new IllegalArgumentException("option '" + key + "' is not a boolean: " + v);
    }

    /** A read-only view of the options, in insertion order ({@code params} excluded). */
    public Map<String, Object> options() { return Collections.unmodifiableMap(options); }

    void setDefault(String key, Object value) { options.putIfAbsent(key, value); }

    void replaceOptions(Map<String, Object> loaded) {
        options.clear();
        options.putAll(loaded);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ParamGroup(params=").append(params.size()).append(" tensors");
        options.forEach((k, v) -> sb.append(", ").append(k).append('=').append(v));
        return sb.append(')').toString();
    }
}
