package dev.jtorch.optim;

import dev.jtorch.Python;
import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The base of all optimizers, like {@code torch.optim.Optimizer}: parameter groups with their options, state per
 * parameter, {@link #zeroGrad()}, {@link #step()}, and {@link #stateDict()} / {@link #loadStateDict(Map)} in
 * PyTorch's layout.
 *
 * <p>A subclass passes its defaults (PyTorch's option names and default values, in PyTorch's order) and
 * implements {@link #update(ParamGroup)}, which {@link #step(Supplier)} calls for each group under no-grad.
 */
public abstract class Optimizer {
    private final Map<String, Object> defaults;
    private final List<ParamGroup> paramGroups = new ArrayList<>();
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();
    private volatile boolean stepped;

    /** An optimizer of {@code params} in one group, with these defaults (PyTorch's option names, in PyTorch's order). */
    protected Optimizer(Iterable<Tensor> params, Map<String, ?> defaults) { this(List.of(oneGroup(params)), defaults); }

    /** An optimizer of these parameter groups, each taking the defaults it does not set. */
    protected Optimizer(List<ParamGroup> groups, Map<String, ?> defaults) {
        if (groups == null) throw new IllegalArgumentException(NOT_ITERABLE + "NoneType");
        if (groups.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        for (ParamGroup g : groups) addParamGroup(g);
    }

    private static final String NOT_ITERABLE = "params argument given to the optimizer should be an iterable of Tensors or dicts, but got ";

    private static ParamGroup oneGroup(Iterable<Tensor> params) {
        if (params == null) throw new IllegalArgumentException(NOT_ITERABLE + "NoneType");
        // A plain iterable may be a Set: PyTorch lists it without complaint; only a group's own params must be ordered.
        List<Tensor> list = new ArrayList<>();
        params.forEach(list::add);
        ParamGroup g = new ParamGroup(list);
        if (g.params().isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        return g;
    }

    /** Options in order, null values allowed (PyTorch's {@code foreach=None}), for a subclass's defaults. */
    static Map<String, Object> options(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }

    /** The default options, like {@code optimizer.defaults} (read-only). */
    public Map<String, Object> defaults() { return defaults; }

    /** The parameter groups, like {@code optimizer.param_groups}; the groups themselves are live and mutable. */
    public List<ParamGroup> paramGroups() { return Collections.unmodifiableList(paramGroups); }

    /** The state of every parameter that has one, like {@code optimizer.state} (read-only view, keyed by identity). */
    public Map<Tensor, Map<String, Object>> state() { return Collections.unmodifiableMap(state); }

    /** The live state of one parameter, created empty on first use, like {@code optimizer.state[p]}. */
    public Map<String, Object> state(Tensor param) { return state.computeIfAbsent(param, p -> new LinkedHashMap<>()); }

    /** Adds a parameter group, like {@code optimizer.add_param_group(group)}: it takes the defaults it does not set. */
    public void addParamGroup(ParamGroup group) {
        for (Tensor p : group.params()) {
            if (p == null) throw new IllegalArgumentException("optimizer can only optimize Tensors, but one of the params is NoneType");
            if (!(p.isLeaf() || p.retainsGrad())) throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
        }
        for (var e : defaults.entrySet()) group.setDefault(e.getKey(), e.getValue());
        Set<Tensor> mine = Collections.newSetFromMap(new IdentityHashMap<>());
        mine.addAll(group.params());
        if (mine.size() != group.params().size())
            Python.warn("optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; "
                    + "see github.com/pytorch/pytorch/issues/40967 for more information");
        for (ParamGroup other : paramGroups)
            for (Tensor p : other.params())
                if (mine.contains(p)) throw new IllegalArgumentException("some parameters appear in more than one parameter group");
        paramGroups.add(group);
    }

    /** Sets every parameter's gradient to null, like {@code optimizer.zero_grad()} (set_to_none=True). */
    public void zeroGrad() { zeroGrad(true); }

    /** Sets the gradients to null, or with {@code setToNone=false} zeroes them in place, like {@code zero_grad(set_to_none)}. */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup group : paramGroups)
            for (Tensor p : group.params()) {
                Tensor g = p.grad();
                if (g == null) continue;
                if (setToNone) {
                    p.setGrad(null);
                } else {
                    if (g.gradFn() != null) g.detach_();
                    else g.requiresGrad_(false);
                    g.zero_();
                }
            }
    }

    /** Performs one optimization step, like {@code optimizer.step()}. */
    public final void step() { step(null); }

    /**
     * Performs one optimization step after evaluating {@code closure} (with grad enabled) and returns its loss,
     * like {@code optimizer.step(closure)}; a null closure is skipped and null returned.
     */
    public Tensor step(Supplier<Tensor> closure) {
        stepped = true;
        Tensor loss = null;
        if (closure != null) {
            try (var g = Torch.enableGrad()) { loss = closure.get(); }
        }
        try (var g = Torch.noGrad()) {
            for (ParamGroup group : paramGroups) update(group);
        }
        return loss;
    }

    /** Whether {@link #step(Supplier)} has run (a scheduler warns when it steps first, as PyTorch's does). */
    boolean stepped() { return stepped; }

    /** Updates the parameters of one group in place; called under no-grad by {@link #step(Supplier)}. */
    protected abstract void update(ParamGroup group);

    /**
     * The optimizer's state in PyTorch's layout: {@code "state"} maps a parameter's index (its position across all
     * groups, in order) to its state, {@code "param_groups"} lists each group's options with {@code "params"} as
     * those indices. State tensors are the live ones, not copies, as in PyTorch.
     */
    public Map<String, Object> stateDict() {
        Map<Tensor, Integer> index = new IdentityHashMap<>();
        List<Map<String, Object>> groups = new ArrayList<>();
        int next = 0;
        for (ParamGroup g : paramGroups) {
            Map<String, Object> packed = new LinkedHashMap<>(g.options());
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                Integer id = index.get(p);
                if (id == null) index.put(p, id = next + ids.size());
                ids.add(id);
            }
            next += ids.size();
            packed.put("params", ids);
            groups.add(packed);
        }
        Map<Integer, Map<String, Object>> packedState = new LinkedHashMap<>();
        for (ParamGroup g : paramGroups)
            for (Tensor p : g.params()) {
                Map<String, Object> s = state.get(p);
                if (s != null) packedState.put(index.get(p), s);
            }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", packedState);
        out.put("param_groups", groups);
        return out;
    }

    /**
     * Loads a state dict made by {@link #stateDict()} (here or by PyTorch), like {@code optimizer.load_state_dict(sd)}:
     * state tensors are moved to their parameter's device (floating ones also to its dtype, except {@code "step"}),
     * and each group's options are replaced by the saved ones.
     */
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, ?> stateDict) {
        List<Map<String, Object>> saved = (List<Map<String, Object>>) stateDict.get("param_groups");
        Map<?, Map<String, Object>> savedState = (Map<?, Map<String, Object>>) stateDict.get("state");
        if (saved == null || savedState == null) throw new IllegalArgumentException("a state dict has 'state' and 'param_groups'");
        if (saved.size() != paramGroups.size())
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups");
        Map<Long, Tensor> idMap = new LinkedHashMap<>();
        for (int i = 0; i < saved.size(); i++) {
            List<?> ids = (List<?>) saved.get(i).get("params");
            List<Tensor> ps = paramGroups.get(i).params();
            if (ids.size() != ps.size())
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
        }
        for (int i = 0; i < saved.size(); i++) {
            List<?> ids = (List<?>) saved.get(i).get("params");
            List<Tensor> ps = paramGroups.get(i).params();
            for (int j = 0; j < ids.size(); j++) idMap.put(((Number) ids.get(j)).longValue(), ps.get(j));
        }
        // Entries for unknown indices are dropped: PyTorch keeps them under the bare index, which has no use here.
        Map<Tensor, Map<String, Object>> loaded = new IdentityHashMap<>();
        for (var e : savedState.entrySet()) {
            Tensor p = idMap.get(((Number) e.getKey()).longValue());
            if (p == null) continue;
            Map<String, Object> s = new LinkedHashMap<>();
            for (var kv : e.getValue().entrySet()) s.put(kv.getKey(), cast(p, kv.getValue(), kv.getKey()));
            loaded.put(p, s);
        }
        state.clear();
        state.putAll(loaded);
        for (int i = 0; i < saved.size(); i++) {
            Map<String, Object> opts = new LinkedHashMap<>();
            for (var kv : saved.get(i).entrySet())
                if (!kv.getKey().equals("params")) opts.put(kv.getKey(), kv.getValue() instanceof List<?> l ? new ArrayList<>(l) : kv.getValue());
            ParamGroup g = paramGroups.get(i);
            g.replaceOptions(opts);
            for (var d : defaults.entrySet()) g.setDefault(d.getKey(), d.getValue());
            groupLoaded(g);
        }
    }

    /** Called for each group after {@link #loadStateDict(Map)} replaced its options (PyTorch's {@code __setstate__}). */
    void groupLoaded(ParamGroup group) {}

    private static Object cast(Tensor param, Object value, String key) {
        if (value instanceof Tensor t) {
            if ("step".equals(key)) return t;
            return param.isFloatingPoint() ? t.to(param.device(), param.dtype()) : t.to(param.device());
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, cast(param, v, String.valueOf(k))));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object v : l) out.add(cast(param, v, null));
            return out;
        }
        return value;
    }

    /** The {@code "step"} count of a state, as a scalar tensor on the CPU (PyTorch keeps it so, off the device). */
    static Tensor stepTensor(Map<String, Object> st) {
        Object s = st.get("step");
        if (s instanceof Tensor t) return t;
        // A step saved as a plain number (PyTorch before 1.12) becomes a tensor, as PyTorch's __setstate__ does.
        Tensor t = Torch.tensor(s == null ? 0.0 : ((Number) s).doubleValue(), scalarDtype());
        st.put("step", t);
        return t;
    }

    /** PyTorch's {@code _get_scalar_dtype()}: float64 when that is the default dtype, else float32. */
    static DType scalarDtype() { return Torch.getDefaultDtype() == DType.float64 ? DType.float64 : DType.float32; }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (int i = 0; i < paramGroups.size(); i++) {
            sb.append("\nParameter Group ").append(i).append('\n');
            for (var e : new java.util.TreeMap<>(paramGroups.get(i).options()).entrySet())
                sb.append("    ").append(e.getKey()).append(": ").append(pyValue(e.getValue())).append('\n');
        }
        return sb.append(')').toString();
    }

    private static String pyValue(Object v) {
        if (v == null) return "None";
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof Double || v instanceof Float) return Python.repr(((Number) v).doubleValue());
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) parts.add(pyValue(o));
            return "(" + String.join(", ", parts) + ")";
        }
        return String.valueOf(v);
    }
}
