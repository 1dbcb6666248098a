package dev.jtorch.nn;

import dev.jtorch.Python;
import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.TensorScope;
import dev.jtorch.Torch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The base of all layers and models, like {@code torch.nn.Module}.
 *
 * <p>Java has no {@code __setattr__}, so submodules, parameters and buffers are registered by name, usually
 * in field initializers, and the registration order is the order PyTorch would see:
 * <pre>{@code
 * class Net extends Module {
 *     final Linear fc1 = register("fc1", new Linear(784, 1024));
 *     final Linear fc2 = register("fc2", new Linear(1024, 10));
 *     @Override public Tensor forward(Tensor x) { return fc2.forward(F.relu(fc1.forward(x))); }
 * }
 * }</pre>
 *
 * <p>A module is called with {@link #forward(Tensor)}; loss modules ({@link Loss}) take
 * {@code forward(input, target)} instead.
 *
 * <p>Parameters are registered the same way ({@code final Tensor w = registerParameter("w", randn(3, 4));}) and
 * stay valid: {@link #to(Device)}, {@link #to(DType)}, {@link #cuda()} and friends convert each parameter in place,
 * as PyTorch does with {@code param.data = fn(param.data)} (its gradient too), so fields, tied weights and an
 * optimizer built before the move keep working. Buffers keep their identity the same way (PyTorch replaces them, but
 * reads them back through the module's attributes, which a Java field cannot do).
 */
public abstract class Module {
    // Null values are allowed: PyTorch keeps a slot for an absent tensor (Linear(bias=False) registers bias = None).
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistentBuffers = new HashSet<>();
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private boolean training = true;

    protected Module() {}

    /** Runs the module on one input, like calling {@code module(x)}; a module with another signature throws. */
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("Module [" + typeName() + "] is missing the required \"forward\" function");
    }

    // ================================================================ registration

    /** Registers a submodule under {@code name} and returns it, like {@code self.name = module} in {@code __init__}. */
    protected final <M extends Module> M register(String name, M module) { return registerModule(name, module); }

    /** Adds a child module, like {@code module.register_module(name, module)} (alias {@code add_module}); returns it. */
    public final <M extends Module> M registerModule(String name, M module) {
        if (module == null) throw new NullPointerException("module " + name + " is null");
        if (name.contains(".")) throw new IllegalArgumentException("module name can't contain \".\", got: " + name);
        if (name.isEmpty()) throw new IllegalArgumentException("module name can't be empty string \"\"");
        checkFree(name, modules);
        modules.put(name, module);
        return module;
    }

    /**
     * Registers {@code t} as a parameter and returns it, like {@code module.register_parameter(name, nn.Parameter(t))}:
     * a {@link Parameter} is registered as it is (so modules can share it), another leaf becomes a parameter that
     * requires grad in place (the tensor you hold is the parameter), a non-leaf is detached into a new one, and
     * {@code null} keeps an empty slot (as {@code None}).
     */
    public final Tensor registerParameter(String name, Tensor t) {
        return putParameter(name, t == null || t.isParameter() ? t : asParameter(t, true));
    }

    /** Like {@code register_parameter(name, nn.Parameter(t, requires_grad=requiresGrad))}, flagging a leaf in place. */
    public final Tensor registerParameter(String name, Tensor t, boolean requiresGrad) {
        return putParameter(name, t == null ? null : asParameter(t, requiresGrad));
    }

    private Tensor putParameter(String name, Tensor p) {
        if (name.contains(".")) throw new IllegalArgumentException("parameter name can't contain \".\"");
        if (name.isEmpty()) throw new IllegalArgumentException("parameter name can't be empty string \"\"");
        checkFree(name, parameters);
        parameters.put(name, p);
        return p;
    }

    /** Registers a persistent buffer (saved in the state dict) and returns it, like {@code register_buffer(name, t)}. */
    public final Tensor registerBuffer(String name, Tensor t) { return registerBuffer(name, t, true); }

    /** Like {@code register_buffer(name, t, persistent)}: a non-persistent buffer moves with the module but is not saved. */
    public final Tensor registerBuffer(String name, Tensor t, boolean persistent) {
        if (name.contains(".")) throw new IllegalArgumentException("buffer name can't contain \".\"");
        if (name.isEmpty()) throw new IllegalArgumentException("buffer name can't be empty string \"\"");
        checkFree(name, buffers);
        buffers.put(name, t);
        if (persistent) nonPersistentBuffers.remove(name);
        else nonPersistentBuffers.add(name);
        return t;
    }

    /** A name may be registered again in its own kind (replacing the entry) but not across kinds, as PyTorch's attributes. */
    private void checkFree(String name, Map<String, ?> own) {
        for (Map<String, ?> kind : List.of(parameters, buffers, modules))
            if (kind != own && kind.containsKey(name)) throw new IllegalArgumentException("attribute '" + name + "' already exists");
    }

    private static Tensor asParameter(Tensor t, boolean requiresGrad) {
        if (!t.isLeaf()) return Parameter.of(t, requiresGrad);
        if (requiresGrad && !t.isFloatingPoint())
            throw new IllegalStateException("Only Tensors of floating point and complex dtype can require gradients");
        if (requiresGrad || t.requiresGrad()) t.requiresGrad_(requiresGrad);
        return t.markAsParameter();
    }

    // ================================================================ traversal

    /** The parameters of this module and its descendants in registration order, each once, like {@code parameters()}. */
    public final List<Tensor> parameters() { return parameters(true); }

    /** Like {@code parameters(recurse)}: {@code false} gives this module's own parameters only. */
    public final List<Tensor> parameters(boolean recurse) { return new ArrayList<>(namedParameters("", recurse).values()); }

    /** Parameters by dotted name ({@code "0.weight"}, {@code "fc1.bias"}), shared ones once, like {@code named_parameters()}. */
    public final LinkedHashMap<String, Tensor> namedParameters() { return namedParameters("", true); }

    /** Like {@code named_parameters(prefix, recurse)}. */
    public final LinkedHashMap<String, Tensor> namedParameters(String prefix, boolean recurse) {
        return namedMembers(prefix, recurse, m -> m.parameters);
    }

    /** The buffers of this module and its descendants, each once, like {@code buffers()}. */
    public final List<Tensor> buffers() { return buffers(true); }

    /** Like {@code buffers(recurse)}. */
    public final List<Tensor> buffers(boolean recurse) { return new ArrayList<>(namedBuffers("", recurse).values()); }

    /** Buffers by dotted name ({@code "1.running_mean"}), like {@code named_buffers()}. */
    public final LinkedHashMap<String, Tensor> namedBuffers() { return namedBuffers("", true); }

    /** Like {@code named_buffers(prefix, recurse)}. */
    public final LinkedHashMap<String, Tensor> namedBuffers(String prefix, boolean recurse) {
        return namedMembers(prefix, recurse, m -> m.buffers);
    }

    private LinkedHashMap<String, Tensor> namedMembers(String prefix, boolean recurse, java.util.function.Function<Module, Map<String, Tensor>> members) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Module> owners = recurse ? namedModules(prefix) : Map.of(prefix, this);
        for (var owner : owners.entrySet())
            for (var e : members.apply(owner.getValue()).entrySet()) {
                Tensor t = e.getValue();
                if (t == null || !seen.add(t)) continue;
                out.put(owner.getKey().isEmpty() ? e.getKey() : owner.getKey() + "." + e.getKey(), t);
            }
        return out;
    }

    /** The registered submodules by name, duplicates included (Sequential runs a repeated module twice). */
    final Map<String, Module> moduleMap() { return Collections.unmodifiableMap(modules); }

    /** The direct submodules, each once, like {@code children()}. */
    public final List<Module> children() { return new ArrayList<>(namedChildren().values()); }

    /** The direct submodules by name, like {@code named_children()}. */
    public final LinkedHashMap<String, Module> namedChildren() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (var e : modules.entrySet()) if (seen.add(e.getValue())) out.put(e.getKey(), e.getValue());
        return out;
    }

    /** This module and all its descendants, depth first, each once, like {@code modules()}. */
    public final List<Module> modules() { return new ArrayList<>(namedModules().values()); }

    /** Like {@code named_modules()}: this module under {@code ""}, then descendants by dotted name. */
    public final LinkedHashMap<String, Module> namedModules() { return namedModules(""); }

    /** Like {@code named_modules(prefix=prefix)}. */
    public final LinkedHashMap<String, Module> namedModules(String prefix) {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules(prefix, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectModules(String prefix, LinkedHashMap<String, Module> out, Set<Module> seen) {
        if (!seen.add(this)) return;
        out.put(prefix, this);
        for (var e : modules.entrySet()) e.getValue().collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out, seen);
    }

    /** The submodule at a dotted path ({@code "features.0"}), like {@code get_submodule(target)}; {@code ""} is this module. */
    public final Module getSubmodule(String target) {
        if (target.isEmpty()) return this;
        Module m = this;
        for (String item : target.split("\\.", -1)) {
            Module next = m.modules.get(item);
            if (next == null) {
                if (m.parameters.containsKey(item) || m.buffers.containsKey(item))
                    throw new IllegalArgumentException("`" + item + "` is not an nn.Module");
                throw new IllegalArgumentException(m.typeName() + " has no attribute `" + item + "`");
            }
            m = next;
        }
        return m;
    }

    /** The parameter at a dotted path ({@code "fc1.weight"}), like {@code get_parameter(target)}; null for an empty slot. */
    public final Tensor getParameter(String target) { return lookUp(target, true); }

    /** The buffer at a dotted path ({@code "bn.running_mean"}), like {@code get_buffer(target)}. */
    public final Tensor getBuffer(String target) { return lookUp(target, false); }

    private Tensor lookUp(String target, boolean parameter) {
        int dot = target.lastIndexOf('.');
        Module m = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        Map<String, Tensor> wanted = parameter ? m.parameters : m.buffers, other = parameter ? m.buffers : m.parameters;
        if (!wanted.containsKey(name)) {
            if (other.containsKey(name) || m.modules.containsKey(name))
                throw new IllegalArgumentException("`" + name + "` is not " + (parameter ? "an nn.Parameter" : "a buffer"));
            throw new IllegalArgumentException(m.typeName() + " has no attribute `" + name + "`");
        }
        return wanted.get(name);
    }

    // ================================================================ state dict

    /**
     * Parameters and persistent buffers by PyTorch's key names, each module's own first, then its children's, like
     * {@code state_dict()}; the values are detached tensors sharing the module's memory.
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        saveTo(out, "");
        return out;
    }

    private void saveTo(LinkedHashMap<String, Tensor> out, String prefix) {
        for (var e : parameters.entrySet()) if (e.getValue() != null) out.put(prefix + e.getKey(), e.getValue().detach());
        for (var e : buffers.entrySet())
            if (e.getValue() != null && !nonPersistentBuffers.contains(e.getKey())) out.put(prefix + e.getKey(), e.getValue().detach());
        for (var e : modules.entrySet()) e.getValue().saveTo(out, prefix + e.getKey() + ".");
    }

    /** The keys {@link #loadStateDict} did not match, like PyTorch's {@code _IncompatibleKeys}. */
    public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
        @Override public String toString() {
            if (missingKeys.isEmpty() && unexpectedKeys.isEmpty()) return "<All keys matched successfully>";
            return "_IncompatibleKeys(missing_keys=" + Python.repr(missingKeys) + ", unexpected_keys=" + Python.repr(unexpectedKeys) + ")";
        }
    }

    /** Copies a state dict into the parameters and buffers, requiring exactly the module's keys, like {@code load_state_dict(sd)}. */
    public final IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict) { return loadStateDict(stateDict, true); }

    /**
     * Like {@code load_state_dict(sd, strict)}: values are copied in place (converting dtype and device) under
     * no_grad; size mismatches always fail, and with {@code strict} missing or unexpected keys fail too, with
     * PyTorch's message.
     */
    public final IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), errors = new ArrayList<>();
        try (var g = Torch.noGrad()) {
            loadFrom(stateDict, "", missing, unexpected, errors);
        }
        if (strict) {
            if (!unexpected.isEmpty()) errors.addFirst("Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
            if (!missing.isEmpty()) errors.addFirst("Missing key(s) in state_dict: " + quoted(missing) + ". ");
        }
        if (!errors.isEmpty())
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + typeName() + ":\n\t" + String.join("\n\t", errors));
        return new IncompatibleKeys(List.copyOf(missing), List.copyOf(unexpected));
    }

    private static String quoted(List<String> keys) {
        return String.join(", ", keys.stream().map(k -> "\"" + k + "\"").toList());
    }

    private void loadFrom(Map<String, Tensor> sd, String prefix, List<String> missing, List<String> unexpected, List<String> errors) {
        Map<String, Tensor> local = new LinkedHashMap<>();
        for (var e : parameters.entrySet()) if (e.getValue() != null) local.put(e.getKey(), e.getValue());
        for (var e : buffers.entrySet())
            if (e.getValue() != null && !nonPersistentBuffers.contains(e.getKey())) local.put(e.getKey(), e.getValue());
        for (var e : local.entrySet()) {
            String key = prefix + e.getKey();
            Tensor param = e.getValue();
            if (!sd.containsKey(key)) { missing.add(key); continue; }
            Tensor input = sd.get(key);
            if (input == null) {
                errors.add("While copying the parameter named \"" + key + "\", expected torch.Tensor or Tensor-like object from checkpoint but received <class 'NoneType'>");
                continue;
            }
            // PyTorch 0.3 saved scalars as 1-element vectors; PyTorch still accepts them.
            if (param.dim() == 0 && input.dim() == 1) input = input.get(0);
            if (!param.shape().equals(input.shape())) {
                errors.add("size mismatch for " + key + ": copying a param with shape " + input.shape()
                        + " from checkpoint, the shape in current model is " + param.shape() + ".");
                continue;
            }
            try {
                param.copy_(input);
            } catch (RuntimeException ex) {
                errors.add("While copying the parameter named \"" + key + "\", whose dimensions in the model are " + param.size()
                        + " and whose dimensions in the checkpoint are " + input.size() + ", an exception occurred : ('" + ex.getMessage() + "',).");
            }
        }
        for (String key : sd.keySet()) {
            if (!key.startsWith(prefix)) continue;
            String rest = key.substring(prefix.length());
            int dot = rest.indexOf('.');
            if (dot >= 0 ? !modules.containsKey(rest.substring(0, dot)) : !local.containsKey(rest)) unexpected.add(key);
        }
        for (var e : modules.entrySet()) {
            String childPrefix = prefix + e.getKey() + ".";
            Map<String, Tensor> childSd = new LinkedHashMap<>();
            for (var kv : sd.entrySet()) if (kv.getKey().startsWith(childPrefix)) childSd.put(kv.getKey(), kv.getValue());
            e.getValue().loadFrom(childSd, childPrefix, missing, unexpected, errors);
        }
    }

    // ================================================================ modes and gradients

    /**
     * This module as the caller's static type, so that {@code Net model = new Net().to(device)} reads as PyTorch's
     * {@code model = Net().to(device)}; a mismatched target type fails with a ClassCastException.
     */
    @SuppressWarnings("unchecked")
    private <M extends Module> M self() { return (M) this; }

    /** Sets training mode here and in all descendants, like {@code train()}; returns this module. */
    public final <M extends Module> M train() { return train(true); }

    /** Like {@code train(mode)}. */
    public final <M extends Module> M train(boolean mode) {
        training = mode;
        for (Module m : children()) m.train(mode);
        return self();
    }

    /** Sets evaluation mode (Dropout off), like {@code eval()}. */
    public final <M extends Module> M eval() { return train(false); }

    /** True in training mode, like {@code module.training}. */
    public final boolean isTraining() { return training; }

    /** Like {@code module.training}: the same as {@link #isTraining()}. */
    public final boolean training() { return training; }

    /** Drops the gradients of all parameters, like {@code zero_grad()} (set_to_none=True, PyTorch 2.x's default). */
    public final void zeroGrad() { zeroGrad(true); }

    /** Like {@code zero_grad(set_to_none)}: {@code false} zeroes the gradient tensors in place instead. */
    public final void zeroGrad(boolean setToNone) {
        for (Tensor p : parameters()) {
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

    /** Makes all parameters require grad, like {@code requires_grad_()}. */
    public final <M extends Module> M requiresGrad_() { return requiresGrad_(true); }

    /** Like {@code requires_grad_(requires_grad)}: freezes ({@code false}) or unfreezes every parameter. */
    public final <M extends Module> M requiresGrad_(boolean requiresGrad) {
        for (Tensor p : parameters()) p.requiresGrad_(requiresGrad);
        return self();
    }

    /** Calls {@code fn} on every descendant, then on this module, like {@code apply(fn)} (used for custom init). */
    public final Module apply(Consumer<Module> fn) {
        for (Module m : children()) m.apply(fn);
        fn.accept(this);
        return this;
    }

    // ================================================================ devices and dtypes

    /** Moves parameters and buffers to {@code device} in place, like {@code to(device)} (see the class note). */
    public final <M extends Module> M to(Device device) { return applyToTensors(t -> t.to(device)); }

    /** Converts floating-point parameters and buffers to {@code dtype} in place, like {@code to(dtype)}. */
    public final <M extends Module> M to(DType dtype) { return to(null, dtype); }

    /** Like {@code to(device, dtype)}; a null device keeps each tensor's own. */
    public final <M extends Module> M to(Device device, DType dtype) {
        if (!dtype.isFloatingPoint())
            throw new IllegalArgumentException("nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=" + dtype);
        return applyToTensors(t -> t.to(device == null ? t.device() : device, t.isFloatingPoint() ? dtype : t.dtype()));
    }

    /** Like {@code cuda()}: to the current CUDA device. */
    public final <M extends Module> M cuda() { return to(Device.of("cuda")); }

    /** Like {@code cpu()}. */
    public final <M extends Module> M cpu() { return to(Device.CPU); }

    // PyTorch's float() and double() are Java keywords: these take the dtype's name instead, as Tensor's do.

    /** Floating-point tensors to float16, like {@code half()}. */
    public final <M extends Module> M float16() { return to(DType.float16); }

    /** Floating-point tensors to float16, like {@code half()}. */
    public final <M extends Module> M half() { return to(DType.float16); }

    /** Floating-point tensors to bfloat16, like {@code bfloat16()}. */
    public final <M extends Module> M bfloat16() { return to(DType.bfloat16); }

    /** Floating-point tensors to float32, like {@code float()}. */
    public final <M extends Module> M float32() { return to(DType.float32); }

    /** Floating-point tensors to float64, like {@code double()}. */
    public final <M extends Module> M float64() { return to(DType.float64); }

    /** PyTorch's {@code _apply}: each tensor (tied ones once) takes {@code fn}'s result as its data. */
    private <M extends Module> M applyToTensors(UnaryOperator<Tensor> fn) {
        Set<Tensor> done = Collections.newSetFromMap(new IdentityHashMap<>());
        try (var g = Torch.noGrad()) {
            for (Module m : modules()) {
                for (Tensor p : m.parameters.values()) {
                    if (p == null || !done.add(p)) continue;
                    swapData(p, fn);
                    Tensor grad = p.grad();
                    if (grad != null && done.add(grad)) swapData(grad, fn);
                }
                for (Tensor b : m.buffers.values()) if (b != null && done.add(b)) swapData(b, fn);
            }
        }
        return self();
    }

    private static void swapData(Tensor t, UnaryOperator<Tensor> fn) {
        Tensor applied = fn.apply(t);
        if (applied == t) return;
        t.setData(applied);
        // a module's tensors outlive any TensorScope the move happened in
        TensorScope.escape(t);
    }

    // ================================================================ printing

    /** The text inside this module's parentheses in {@link #toString()}, like {@code extra_repr()}; empty by default. */
    public String extraRepr() { return ""; }

    /** PyTorch's {@code repr(module)}: the class name, the extra repr, then each child as {@code (name): ...}, indented. */
    @Override public String toString() {
        String extra = extraRepr();
        List<String> extraLines = extra.isEmpty() ? List.of() : List.of(extra.split("\n", -1));
        List<String> childLines = new ArrayList<>();
        for (var e : modules.entrySet()) childLines.add("(" + e.getKey() + "): " + addIndent(e.getValue().toString(), 2));
        StringBuilder sb = new StringBuilder(typeName()).append('(');
        if (extraLines.size() == 1 && childLines.isEmpty()) {
            sb.append(extraLines.getFirst());
        } else if (!extraLines.isEmpty() || !childLines.isEmpty()) {
            List<String> lines = new ArrayList<>(extraLines);
            lines.addAll(childLines);
            sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return sb.append(')').toString();
    }

    private static String addIndent(String s, int spaces) {
        String[] lines = s.split("\n", -1);
        if (lines.length == 1) return s;
        StringBuilder sb = new StringBuilder(lines[0]);
        for (int i = 1; i < lines.length; i++) sb.append('\n').append(" ".repeat(spaces)).append(lines[i]);
        return sb.toString();
    }

    /** The class name PyTorch prints ({@code _get_name()}); an anonymous class prints as the class it extends. */
    final String typeName() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) c = c.getSuperclass();
        return c.getSimpleName();
    }
}
