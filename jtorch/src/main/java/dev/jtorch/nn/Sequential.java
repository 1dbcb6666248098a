package dev.jtorch.nn;

import dev.jtorch.Tensor;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Runs its modules in order, each on the previous one's output, like {@code torch.nn.Sequential(*modules)}. */
public final class Sequential extends Module implements Iterable<Module> {

    /** The modules are registered as {@code "0"}, {@code "1"}, ... (state dict keys {@code "0.weight"}). */
    public Sequential(Module... modules) {
        for (Module m : modules) append(m);
    }

    /** Named modules in the map's order, like {@code nn.Sequential(OrderedDict(...))}; pass a LinkedHashMap. */
    public Sequential(Map<String, ? extends Module> modules) {
        for (var e : modules.entrySet()) registerModule(e.getKey(), e.getValue());
    }

    /** The module at {@code index}; negative indices count from the end, like {@code seq[index]}. */
    public Module get(int index) {
        int size = size();
        if (index < -size || index >= size) throw new IndexOutOfBoundsException("index " + index + " is out of range");
        return List.copyOf(moduleMap().values()).get(Math.floorMod(index, size));
    }

    /** The number of modules, like {@code len(seq)}. */
    public int size() { return moduleMap().size(); }

    /** Adds a module at the end, like {@code seq.append(module)}; returns this. */
    public Sequential append(Module module) {
        registerModule(String.valueOf(size()), module);
        return this;
    }

    /** The same as {@link #append}. */
    public Sequential add(Module module) { return append(module); }

    @Override public Tensor forward(Tensor x) {
        for (Module m : this) x = m.forward(x);
        return x;
    }

    @Override public Iterator<Module> iterator() { return List.copyOf(moduleMap().values()).iterator(); }
}
