package dev.jtorch.nn;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Tensor;
import dev.jtorch.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nn.Parameter and Module's in-place conversions against PyTorch 1.13 (texts and numbers printed by it; the repr
 * prefix is {@code 'Parameter containing:\n' + Tensor.__repr__} in PyTorch 2.11's torch/nn/parameter.py too).
 */
class ParameterTest {

    @Test
    void printsAsPyTorchPrintsAParameter() {
        assertEquals("Parameter containing:\ntensor([1., 2.], requires_grad=True)", Parameter.of(tensor(new double[]{1, 2})).toString());
        assertEquals("Parameter containing:\ntensor([1., 2.])", Parameter.of(tensor(new double[]{1, 2}), false).toString());
        assertEquals("Parameter containing:\ntensor([1., 2.], dtype=torch.float64, requires_grad=True)",
                Parameter.of(tensor(new double[]{1, 2}, float64)).toString());
        assertEquals("Parameter containing:\ntensor([], size=(0, 3), requires_grad=True)", Parameter.of(zeros(0, 3)).toString());
        assertEquals("Parameter containing:\ntensor([], requires_grad=True)", Parameter.of().toString());
        assertEquals("Parameter containing:\ntensor([1, 2])", Parameter.of(tensor(new long[]{1, 2}), false).toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parameter.of(tensor(new long[]{1, 2})));
        assertEquals("Only Tensors of floating point and complex dtype can require gradients", e.getMessage());
    }

    @Test
    void printingAModelsWeightMatchesPyTorch() {
        manualSeed(0);
        Linear l = new Linear(3, 2);
        assertEquals("Parameter containing:\ntensor([[-0.0043,  0.3097, -0.4752],\n        [-0.4249, -0.2224,  0.1548]], requires_grad=True)",
                l.weight().toString());
        assertEquals("Parameter containing:\ntensor([-0.0114,  0.4578], requires_grad=True)", l.bias().toString());
        assertEquals("tensor([-0.0114,  0.4578])", l.stateDict().get("bias").toString(), "state dict values are plain tensors");
    }

    @Test
    void aParameterAliasesItsDataAndOpsGivePlainTensors() {
        Tensor t = ones(2);
        Tensor p = Parameter.of(t);
        assertNotSame(t, p);
        assertFalse(t.isParameter() || t.requiresGrad(), "nn.Parameter(t) leaves t as it was");
        assertTrue(p.isParameter() && p.isLeaf() && p.requiresGrad() && !p.isView());
        t.add_(1.0);
        assertEquals(1, p.version(), "the version counter is shared, as _make_subclass's detach shares it");
        assertEquals("Parameter containing:\ntensor([2., 2.], requires_grad=True)", p.toString());
        for (Tensor plain : List.of(p.mul(2), p.detach(), p.data(), p.clone(), p.view(2), p.to(float64), p.get(0)))
            assertFalse(plain.isParameter(), plain.toString());
        assertSame(p, p.to(float32), "to() with nothing to change returns the parameter itself");
        Tensor fromGraph = Parameter.of(p.mul(3));
        assertTrue(fromGraph.isLeaf() && fromGraph.isParameter());
        assertEquals("Parameter containing:\ntensor([6., 6.], requires_grad=True)", fromGraph.toString());
    }

    @Test
    void inPlaceOnAViewOfAParameterFailsAsInPyTorch() {
        Tensor p = Parameter.of(ones(2, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.get(0).mul_(2.0));
        assertEquals("a view of a leaf Variable that requires grad is being used in an in-place operation.", e.getMessage());
    }

    @Test
    void registerParameterFlagsLeavesAndKeepsParameters() {
        Module m = new Module() {};
        Tensor given = ones(2);
        assertSame(given, m.registerParameter("w", given));
        assertTrue(given.isParameter() && given.requiresGrad());
        Tensor frozen = Parameter.of(ones(2), false);
        assertSame(frozen, m.registerParameter("frozen", frozen));
        assertFalse(frozen.requiresGrad(), "a parameter is registered as it is");
        Tensor computed = m.registerParameter("v", given.mul(2));
        assertTrue(computed.isParameter() && computed.isLeaf());
        assertEquals("Parameter containing:\ntensor([2., 2.], requires_grad=True)", computed.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.registerParameter("i", tensor(new long[]{1})));
        assertEquals("Only Tensors of floating point and complex dtype can require gradients", e.getMessage());
        assertTrue(m.registerParameter("j", tensor(new long[]{1}), false).isParameter());
    }

    static final class Net extends Module {
        final Linear fc = register("fc", new Linear(3, 2));
        final Tensor scale = registerParameter("scale", ones(2));
        final Tensor steps = registerBuffer("steps", tensor(3L));
        final Tensor mean = registerBuffer("mean", zeros(2));

        @Override public Tensor forward(Tensor x) { return fc.forward(x).mul(scale).add(mean); }
    }

    @Test
    void moduleConversionKeepsFieldsTiesAndGradients() {
        Net net = new Net();
        Tensor w = net.fc.weight();
        Tensor row = w.get(0);
        net.forward(ones(1, 3)).sum().backward();
        Tensor grad = w.grad();
        net.float64();
        assertSame(w, net.fc.weight());
        assertSame(grad, w.grad(), "the gradient is converted in place too");
        assertEquals(float64, w.dtype());
        assertEquals(float64, grad.dtype());
        assertTrue(grad.equal(ones(2, 3).to(float64)));
        assertTrue(w.isParameter() && w.isLeaf() && w.requiresGrad());
        assertEquals(float64, net.scale.dtype());
        assertSame(net.mean, net.getBuffer("mean"));
        assertEquals(float64, net.mean.dtype());
        assertEquals(int64, net.steps.dtype(), "integer buffers keep their dtype");
        assertEquals(float32, row.dtype(), "a view taken before keeps the old storage, as in PyTorch");
        assertEquals(float64, net.forward(ones(1, 3).to(float64)).dtype());

        ModuleTest.Tied tied = new ModuleTest.Tied();
        Tensor shared = tied.a.weight();
        tied.half();
        assertSame(shared, tied.a.weight());
        assertSame(shared, tied.b.weight());
        assertEquals(float16, shared.dtype());
    }

    @Test
    void anOptimizerBuiltBeforeConversionStillSteps() {
        // PyTorch 1.13: torch.manual_seed(0); l = nn.Linear(3, 2); opt = SGD(l.parameters(), lr=0.1, momentum=0.9);
        // l.double(); l(tensor([[1., 2., 3.]], dtype=float64)).pow(2).sum().backward(); opt.step()
        manualSeed(0);
        Linear l = new Linear(3, 2);
        SGD opt = new SGD(l.parameters(), 0.1, 0.9);
        l.float64();
        l.forward(tensor(new double[][]{{1, 2, 3}}, float64)).pow(2).sum().backward();
        opt.step();
        double[] w = {0.1600546807050705, 0.638470233976841, 0.017946260422468212, -0.4354155153036118, -0.24341079890727996, 0.12325798273086548};
        double[] b = {0.1529380537569523, 0.44725402295589445};
        assertArrayEquals(w, l.weight().toDoubleArray(), 1e-15);
        assertArrayEquals(b, l.bias().toDoubleArray(), 1e-15);
        assertEquals("Parameter containing:\ntensor([0.1529, 0.4473], dtype=torch.float64, requires_grad=True)", l.bias().toString());
    }
}
