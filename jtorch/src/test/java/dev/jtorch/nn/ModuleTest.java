package dev.jtorch.nn;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Module's bookkeeping against what PyTorch 1.13/2.x report for the same modules (expected texts taken from PyTorch). */
class ModuleTest {

    static final class Block extends Module {
        final Sequential seq = register("seq", new Sequential(new Linear(2, 3), new Sequential(new ReLU(), new Dropout(0.1))));

        @Override public String extraRepr() { return "first line\nsecond line"; }
    }

    static final class Net extends Module {
        final Block block = register("block", new Block());
        final Linear head = register("head", new Linear(3, 1, false));

        @Override public String extraRepr() { return "hello"; }

        @Override public Tensor forward(Tensor x) { return head.forward(block.seq.forward(x)); }
    }

    /** Two layers sharing one weight, an integer buffer and a non-persistent buffer. */
    static final class Tied extends Module {
        final Linear a = register("a", new Linear(2, 2));
        final Linear b = register("b", new Linear(2, 2));

        Tied() {
            b.registerParameter("weight", a.weight());
            registerBuffer("steps", tensor(3L));
            registerBuffer("scratch", zeros(2), false);
        }
    }

    @Test
    void movingAndModeSwitchingReturnTheModuleAsItsOwnType() {
        Net model = new Net().to(DType.float64);            // model = Net().to(torch.double)
        assertEquals(DType.float64, model.head.weight().dtype());
        Net same = model.eval();
        assertSame(model, same);
        assertFalse(same.block.seq.get(1).isTraining());
        Linear head = model.head.train().requiresGrad_(false);
        assertFalse(head.weight().requiresGrad());
        assertThrows(ClassCastException.class, () -> { Linear wrong = model.cpu(); });
    }

    @Test
    void reprNestsAndIndentsAsPyTorch() {
        assertEquals("Net(\n  hello\n  (block): Block(\n    first line\n    second line\n    (seq): Sequential(\n      (0): Linear(in_features=2, "
                + "out_features=3, bias=True)\n      (1): Sequential(\n        (0): ReLU()\n        (1): Dropout(p=0.1, inplace=False)\n      )\n"
                + "    )\n  )\n  (head): Linear(in_features=3, out_features=1, bias=False)\n)", new Net().toString());
        Module anonymous = new Module() {};
        assertEquals("Module()", anonymous.toString());
        assertEquals("ReLU(inplace=True) Softmax(dim=None) LogSoftmax(dim=None) NLLLoss()",
                new ReLU(true) + " " + new Softmax() + " " + new LogSoftmax() + " " + new NLLLoss(ones(3)));
    }

    @Test
    void namesFollowRegistrationOrder() {
        Net net = new Net();
        assertEquals(List.of("block.seq.0.weight", "block.seq.0.bias", "head.weight"), List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("", "block", "block.seq", "block.seq.0", "block.seq.1", "block.seq.1.0", "block.seq.1.1", "head"),
                List.copyOf(net.namedModules().keySet()));
        assertEquals(List.of("block", "head"), List.copyOf(net.namedChildren().keySet()));
        assertSame(net.head, net.children().get(1));
        assertSame(net, net.modules().get(0));
        assertSame(net.head.weight(), net.getParameter("head.weight"));
        assertSame(net.block.seq.get(0), net.getSubmodule("block.seq.0"));
        assertEquals(List.of("weight"), List.copyOf(net.head.namedParameters().keySet()));
        assertEquals(List.of("x.head.weight"), List.copyOf(net.namedParameters("x", true).keySet()).subList(2, 3));
        assertEquals(0, net.parameters(false).size());
        for (Tensor p : net.parameters()) {
            assertTrue(p.requiresGrad());
            assertTrue(p.isLeaf());
        }
    }

    @Test
    void tiedWeightsAndBuffers() {
        Tied t = new Tied();
        assertEquals(List.of("a.weight", "a.bias", "b.bias"), List.copyOf(t.namedParameters().keySet()));
        assertEquals(List.of("steps", "a.weight", "a.bias", "b.weight", "b.bias"), List.copyOf(t.stateDict().keySet()));
        assertEquals(List.of("steps", "scratch"), List.copyOf(t.namedBuffers().keySet()));
        assertEquals(2, t.buffers().size());
        t.float64();
        assertSame(t.a.weight(), t.b.weight(), "tied weights stay tied when converted");
        assertEquals(float64, t.a.weight().dtype());
        assertEquals(int64, t.getBuffer("steps").dtype(), "to(dtype) leaves integer buffers alone");
        assertEquals(float64, t.getBuffer("scratch").dtype());
    }

    @Test
    void sequentialHoldsRepeatsAndIndexesLikePython() {
        Sequential inner = new Sequential(new Linear(2, 2), new ReLU());
        Sequential s = new Sequential(inner, inner);
        assertEquals(2, s.size());
        assertEquals(2, s.parameters().size());
        assertEquals(List.of("0.0.weight", "0.0.bias", "1.0.weight", "1.0.bias"), List.copyOf(s.stateDict().keySet()));
        assertEquals(List.of("", "0", "0.0", "0.1"), List.copyOf(s.namedModules().keySet()));
        assertSame(inner, s.get(-1));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> s.get(2));
        assertEquals("index 2 is out of range", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(-3));
        Tensor x = tensor(new double[][]{{1, -2}});
        Tensor once = inner.forward(x);
        assertTrue(inner.forward(once).equal(s.forward(x)), "the repeated module runs twice");

        Sequential grown = new Sequential().append(new Flatten()).add(new Identity());
        assertEquals("Sequential(\n  (0): Flatten(start_dim=1, end_dim=-1)\n  (1): Identity()\n)", grown.toString());
        Map<String, Module> named = new LinkedHashMap<>();
        named.put("fc", new Linear(2, 1));
        named.put("act", new Sigmoid());
        Sequential byName = new Sequential(named);
        assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(byName.stateDict().keySet()));
        List<String> types = new ArrayList<>();
        for (Module m : byName) types.add(m.getClass().getSimpleName());
        assertEquals(List.of("Linear", "Sigmoid"), types);
    }

    @Test
    void registrationErrorsAreTorchs() {
        Linear m = new Linear(2, 3);
        assertEquals("parameter name can't contain \".\"", assertThrows(IllegalArgumentException.class, () -> m.registerParameter("a.b", null)).getMessage());
        assertEquals("parameter name can't be empty string \"\"", assertThrows(IllegalArgumentException.class, () -> m.registerParameter("", null)).getMessage());
        assertEquals("attribute 'weight' already exists", assertThrows(IllegalArgumentException.class, () -> m.registerBuffer("weight", null)).getMessage());
        assertEquals("attribute 'weight' already exists", assertThrows(IllegalArgumentException.class, () -> m.registerModule("weight", new ReLU())).getMessage());
        assertEquals("module name can't contain \".\", got: a.b", assertThrows(IllegalArgumentException.class, () -> m.registerModule("a.b", new ReLU())).getMessage());
        assertEquals("buffer name can't contain \".\"", assertThrows(IllegalArgumentException.class, () -> m.registerBuffer("a.b", null)).getMessage());
        Sequential s = new Sequential(m);
        assertEquals("Linear has no attribute `foo`", assertThrows(IllegalArgumentException.class, () -> s.getParameter("0.foo")).getMessage());
        assertEquals("Sequential has no attribute `1`", assertThrows(IllegalArgumentException.class, () -> s.getParameter("1.weight")).getMessage());
        assertEquals("`weight` is not an nn.Module", assertThrows(IllegalArgumentException.class, () -> s.getSubmodule("0.weight")).getMessage());
        assertEquals("Module [Module] is missing the required \"forward\" function",
                assertThrows(UnsupportedOperationException.class, () -> new Module() {}.forward(ones(1))).getMessage());
        assertThrows(UnsupportedOperationException.class, () -> new MSELoss().forward(ones(1)));
    }

    @Test
    void registeredParametersAreLeavesThatRequireGrad() {
        Module m = new Module() {};
        Tensor given = ones(2);
        assertSame(given, m.registerParameter("w", given));
        assertTrue(given.requiresGrad() && given.isParameter());
        Tensor computed = given.mul(2);
        Tensor p = m.registerParameter("v", computed);
        assertNotSame(computed, p);
        assertTrue(p.isLeaf() && p.requiresGrad());
        assertFalse(m.registerParameter("frozen", ones(2), false).requiresGrad());
        assertEquals(List.of("w", "v", "frozen"), List.copyOf(m.namedParameters().keySet()));
    }

    @Test
    void trainEvalReachEveryDescendant() {
        Net net = new Net();
        assertTrue(net.isTraining());
        net.eval();
        for (Module m : net.modules()) assertFalse(m.training(), m.toString());
        Dropout drop = (Dropout) ((Sequential) net.block.seq.get(1)).get(1);
        Tensor x = ones(4, 4);
        assertSame(x, drop.forward(x), "Dropout in eval mode returns its input");
        net.train();
        assertTrue(drop.isTraining());
        manualSeed(0);
        assertFalse(drop.forward(ones(100)).equal(ones(100)), "Dropout in training mode drops");
    }

    @Test
    void zeroGradAndFreezing() {
        Linear l = new Linear(3, 2);
        l.forward(ones(1, 3)).sum().backward();
        assertNotNull(l.weight().grad());
        l.zeroGrad();
        assertNull(l.weight().grad());
        assertNull(l.bias().grad());
        l.forward(ones(1, 3)).sum().backward();
        Tensor g = l.weight().grad();
        l.zeroGrad(false);
        assertSame(g, l.weight().grad());
        assertTrue(g.equal(zeros(2, 3)));
        l.requiresGrad_(false);
        assertFalse(l.weight().requiresGrad());
        assertNull(l.forward(ones(1, 3)).gradFn());
        l.requiresGrad_();
        assertTrue(l.bias().requiresGrad());
    }

    @Test
    void applyVisitsChildrenFirst() {
        Net net = new Net();
        List<String> order = new ArrayList<>();
        net.apply(m -> order.add(m.getClass().getSimpleName()));
        assertEquals(List.of("Linear", "ReLU", "Dropout", "Sequential", "Sequential", "Block", "Linear", "Net"), order);
        net.apply(m -> { if (m instanceof Linear lin) Init.constant_(lin.weight(), 0.5); });
        assertTrue(net.head.weight().equal(full(new long[]{1, 3}, 0.5)));
        assertTrue(net.head.weight().requiresGrad() && net.head.weight().isLeaf());
    }

    @Test
    void stateDictRoundTrip() {
        manualSeed(0);
        Sequential a = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
        manualSeed(1);
        Sequential b = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
        Tensor x = tensor(new double[][]{{0.5, -1}, {2, 3}});
        assertFalse(a.forward(x).equal(b.forward(x)));
        Map<String, Tensor> sd = a.stateDict();
        assertFalse(sd.get("0.weight").requiresGrad(), "state dict values are detached");
        assertEquals("<All keys matched successfully>", b.loadStateDict(sd).toString());
        assertTrue(a.forward(x).equal(b.forward(x)));
        assertNotSame(a.getParameter("0.weight"), b.getParameter("0.weight"), "values are copied, not shared");
        assertTrue(b.getParameter("0.weight").requiresGrad() && b.getParameter("0.weight").isLeaf());
        // state dict tensors share memory with the module, as in PyTorch
        sd.get("2.bias").fill_(7.0);
        assertEquals(7.0, a.getParameter("2.bias").item());
        // values of another dtype are converted by the copy
        Map<String, Tensor> doubles = new LinkedHashMap<>();
        sd.forEach((k, v) -> doubles.put(k, v.to(float64).add(1.0)));
        b.loadStateDict(doubles);
        assertEquals(float32, b.getParameter("2.bias").dtype());
        assertEquals(8.0, b.getParameter("2.bias").item());
    }

    @Test
    void loadStateDictMismatchesAreReportedAsPyTorchDoes() {
        Sequential s = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
        Map<String, Tensor> bad = new LinkedHashMap<>(s.stateDict());
        bad.remove("2.bias");
        bad.put("3.weight", ones(1));
        bad.put("foo", ones(1));
        bad.put("0.weight", ones(3, 3));
        bad.put("2.weight", ones(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(bad));
        assertEquals("Error(s) in loading state_dict for Sequential:\n"
                + "\tMissing key(s) in state_dict: \"2.bias\". \n"
                + "\tUnexpected key(s) in state_dict: \"3.weight\", \"foo\". \n"
                + "\tsize mismatch for 0.weight: copying a param with shape torch.Size([3, 3]) from checkpoint, the shape in current model is torch.Size([3, 2]).\n"
                + "\tsize mismatch for 2.weight: copying a param with shape torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([1, 3]).",
                e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(bad, false));
        assertEquals("Error(s) in loading state_dict for Sequential:\n"
                + "\tsize mismatch for 0.weight: copying a param with shape torch.Size([3, 3]) from checkpoint, the shape in current model is torch.Size([3, 2]).\n"
                + "\tsize mismatch for 2.weight: copying a param with shape torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([1, 3]).",
                e2.getMessage());
        Map<String, Tensor> partial = new LinkedHashMap<>(s.stateDict());
        partial.remove("2.bias");
        partial.put("3.weight", ones(1));
        Module.IncompatibleKeys keys = s.loadStateDict(partial, false);
        assertEquals(List.of("2.bias"), keys.missingKeys());
        assertEquals("_IncompatibleKeys(missing_keys=['2.bias'], unexpected_keys=['3.weight'])", keys.toString());
    }

    @Test
    void toDtypeConvertsParametersInPlaceAndMovesGradients() {
        Linear l = new Linear(3, 2);
        l.forward(ones(1, 3)).sum().backward();
        Tensor oldWeight = l.weight();
        Tensor before = oldWeight.clone();
        Module same = l.to(float64);
        assertSame(l, same);
        assertSame(oldWeight, l.weight(), "param.data = fn(param.data): the parameter object stays");
        assertEquals(float64, l.weight().dtype());
        assertTrue(l.weight().isLeaf() && l.weight().requiresGrad());
        assertEquals(float64, l.weight().grad().dtype());
        assertTrue(l.weight().grad().equal(ones(2, 3).to(float64)));
        assertTrue(l.weight().equal(before.to(float64)));
        Tensor now = l.weight();
        l.to(float64);
        assertSame(now, l.weight(), "a conversion that changes nothing keeps the tensor");
        l.cpu();
        assertSame(now, l.weight());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.to(int64));
        assertEquals("nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64", e.getMessage());
        l.float32();
        assertEquals(float32, l.forward(ones(1, 3)).dtype());
    }

    @Test
    void linearShapesAndPyTorch2GradFnNames() {
        Linear l = new Linear(3, 2);
        // PyTorch 2.x flattens a contiguous input of any rank to 2-D for addmm and views back (1.13 did so only for 3-D).
        assertEquals("ViewBackward0", l.forward(ones(3)).gradFn().name());
        assertArrayEquals(new long[]{2}, l.forward(ones(3)).shape().toArray());
        Tensor four = l.forward(ones(2, 1, 4, 3));
        assertArrayEquals(new long[]{2, 1, 4, 2}, four.shape().toArray());
        assertEquals("ViewBackward0", four.gradFn().name());
        assertTrue(four.get(1, 0, 3).allclose(l.forward(ones(3))));
        Linear noBias = new Linear(3, 2, false);
        assertEquals("SqueezeBackward4", noBias.forward(ones(3)).gradFn().name());
        assertEquals("UnsafeViewBackward0", noBias.forward(ones(2, 4, 3)).gradFn().name());
        assertEquals(3, l.inFeatures());
        assertEquals(2, l.outFeatures());
    }

    @Test
    void implicitSoftmaxDimAndInplaceRelu() {
        Tensor x = tensor(new double[][]{{1, 2, 3}, {0, 0, 1}});
        assertTrue(new Softmax().forward(x).equal(F.softmax(x, 1)));
        assertTrue(new LogSoftmax().forward(x.get(0)).equal(F.logSoftmax(x.get(0), 0)));
        Tensor y = tensor(new double[]{-1, 2});
        assertSame(y, new ReLU(true).forward(y));
        assertTrue(y.equal(tensor(new double[]{0, 2})));
    }

    @Test
    void cpuAutocastRunsLinearInBfloat16AndLossesInFloat32() {
        Linear l = new Linear(4, 3);
        Tensor x = ones(2, 4);
        try (var ac = autocast("cpu", bfloat16)) {
            Tensor out = l.forward(x);
            assertEquals(bfloat16, out.dtype());
            assertEquals(bfloat16, addmm(l.bias(), x, l.weight().t()).dtype());
            assertEquals(float32, F.crossEntropy(out, tensor(new long[]{0, 2})).dtype());
            assertEquals(float32, F.nllLoss(out, tensor(new long[]{0, 2})).dtype());
            assertEquals(float32, F.mseLoss(out, zeros(2, 3)).dtype());
            out.float32().sum().backward();
        }
        assertEquals(float32, l.weight().grad().dtype(), "gradients reach the float32 weights in float32");
    }
}
