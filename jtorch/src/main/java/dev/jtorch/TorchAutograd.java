package dev.jtorch;

import dev.jtorch.autograd.Engine;
import java.util.Arrays;
import java.util.List;

/** The {@code torch.autograd} namespace. */
public final class TorchAutograd {
    TorchAutograd() {}

    /** Gradients of outputs with respect to inputs, like {@code torch.autograd.grad(...)}. */
    public List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                             boolean retainGraph, boolean createGraph, boolean allowUnused) {
        return Arrays.asList(Engine.grad(outputs, inputs, gradOutputs, retainGraph || createGraph, createGraph, allowUnused));
    }

    public List<Tensor> grad(Tensor output, List<Tensor> inputs) { return grad(List.of(output), inputs, null, false, false, false); }

    /** Like {@code torch.autograd.grad(output, inputs, create_graph=True)}. */
    public List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        return grad(List.of(output), inputs, null, createGraph, createGraph, false);
    }

    /** Like {@code torch.autograd.grad(outputs, inputs, grad_outputs)}. */
    public List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs) {
        return grad(outputs, inputs, gradOutputs, false, false, false);
    }

    /** Like {@code torch.autograd.backward(tensors, grad_tensors)}. */
    public void backward(List<Tensor> tensors, List<Tensor> gradTensors) { Engine.backward(tensors, gradTensors, false, false); }

    /** Like {@code torch.autograd.backward(tensors, grad_tensors, retain_graph, create_graph)}. */
    public void backward(List<Tensor> tensors, List<Tensor> gradTensors, boolean retainGraph, boolean createGraph) {
        Engine.backward(tensors, gradTensors, retainGraph || createGraph, createGraph);
    }

    /** Like {@code torch.autograd.gradcheck(fn, inputs)}: see {@link dev.jtorch.autograd.GradCheck}. */
    public boolean gradcheck(java.util.function.Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return dev.jtorch.autograd.GradCheck.gradcheck(fn, inputs);
    }

    /** Like {@code torch.autograd.gradgradcheck(fn, inputs)}. */
    public boolean gradgradcheck(java.util.function.Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return dev.jtorch.autograd.GradCheck.gradgradcheck(fn, inputs);
    }
}
