package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;

/**
 * Makes module parameters, like {@code torch.nn.Parameter}. Java's {@code Tensor} is final, so a parameter is a
 * {@code Tensor} flagged as one ({@link Tensor#isParameter()}): it prints as {@code Parameter containing:} and a
 * tensor; ops on it, {@code detach()} and {@code data()} give plain tensors.
 */
public final class Parameter {
    private Parameter() {}

    /** An empty float parameter that requires grad, like {@code nn.Parameter()}. */
    public static Tensor of() { return of(null, true); }

    /** A parameter sharing {@code data}'s memory that requires grad, like {@code nn.Parameter(data)}. */
    public static Tensor of(Tensor data) { return of(data, true); }

    /**
     * Like {@code nn.Parameter(data, requires_grad)}: a new leaf sharing {@code data}'s memory and version counter
     * ({@code data} itself is left as it is); a null {@code data} gives an empty float parameter.
     */
    public static Tensor of(Tensor data, boolean requiresGrad) {
        Tensor t = data == null ? Torch.empty(0) : data;
        if (requiresGrad && !t.isFloatingPoint())
            throw new IllegalStateException("Only Tensors of floating point and complex dtype can require gradients");
        Tensor p = t.detach();
        p.requiresGrad_(requiresGrad);
        return p.markAsParameter();
    }
}
