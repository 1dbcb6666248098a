package dev.jtorch.autograd;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The autograd user surface, checked against what PyTorch does and prints. */
class AutogradTest {

    private static void assertClose(double[] expected, Tensor actual) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, "size");
        for (int i = 0; i < a.length; i++) assertEquals(expected[i], a[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    // ---------------------------------------------------------------- the seed tutorials

    @Test
    void seedScalarExample() {
        // w = torch.tensor(2.0, requires_grad=True); y = w**2; z = 2*y + 5; z.backward(); w.grad
        Tensor w = tensor(2.0).requiresGrad_();
        Tensor y = w.pow(2);
        Tensor z = y.mul(2).add(5);
        z.backward();
        assertEquals("tensor(8.)", w.grad().toString());
        assertEquals("tensor(2., requires_grad=True)", w.toString());
        assertEquals("tensor(13., grad_fn=<AddBackward0>)", z.toString());
        assertEquals("PowBackward0", y.gradFn().name());
    }

    @Test
    void seedTutorialMeanExample() {
        Tensor x = ones(2, 2).requiresGrad_();
        assertEquals("tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)", x.toString());
        Tensor y = x.add(2);
        Tensor z = y.mul(y).mul(3);
        Tensor out = z.mean();
        assertEquals("tensor([[3., 3.],\n        [3., 3.]], grad_fn=<AddBackward0>)", y.toString());
        assertEquals("tensor([[27., 27.],\n        [27., 27.]], grad_fn=<MulBackward0>)", z.toString());
        assertEquals("tensor(27., grad_fn=<MeanBackward0>)", out.toString());
        assertNull(x.grad());
        out.backward();
        assertEquals("tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])", x.grad().toString());
        assertTrue(x.requiresGrad());
        assertTrue(x.pow(2).requiresGrad());
        try (var g = noGrad()) {
            assertFalse(x.pow(2).requiresGrad());
        }
        assertTrue(x.pow(2).requiresGrad());
    }

    @Test
    void seedRandTimesThreeDoesNotRequireGrad() {
        Tensor a = rand(3, 3);
        a = a.mul(3);
        assertFalse(a.requiresGrad());
        assertTrue(a.isLeaf());
        a.requiresGrad_(true);
        assertTrue(a.requiresGrad());
        assertTrue(a.isLeaf());
    }

    // ---------------------------------------------------------------- leaves, .grad, accumulation

    @Test
    void leavesAndNonLeaves() {
        Tensor x = ones(2, 2).requiresGrad_();
        Tensor y = x.add(2);
        assertTrue(x.isLeaf());
        assertFalse(y.isLeaf());
        assertNull(x.gradFn());
        assertEquals("AddBackward0", y.gradFn().name());
        List<Edge> next = y.gradFn().nextFunctions();
        assertEquals(2, next.size());
        assertEquals("AccumulateGrad", next.get(0).function().name());
        assertSame(x, ((AccumulateGrad) next.get(0).function()).variable());
        assertNull(next.get(1).function());
        assertEquals("(None, 0)", next.get(1).toString());
        Tensor plain = ones(2);
        assertTrue(plain.isLeaf());
        assertFalse(plain.requiresGrad());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad_(false));
        assertTrue(e.getMessage().startsWith("you can only change requires_grad flags of leaf variables."));
        assertThrows(IllegalStateException.class, () -> ones(new long[]{2}, int64).requiresGrad_());
    }

    @Test
    void gradAccumulatesAcrossBackwardCallsAndResets() {
        Tensor w = tensor(new double[]{1, 2, 3}).requiresGrad_();
        Tensor q = w.mul(2);
        q.backward(tensor(new double[]{1, 0.1, 0.01}));
        assertEquals("tensor([2.0000, 0.2000, 0.0200])", w.grad().toString());
        Tensor q2 = w.mul(w);
        q2.sum().backward(null, true);
        q2.sum().backward();
        assertEquals("tensor([ 6.0000,  8.2000, 12.0200])", w.grad().toString());
        w.setGrad(null);
        assertNull(w.grad());
        w.mul(w).sum().backward();
        assertClose(new double[]{2, 4, 6}, w.grad());
    }

    @Test
    void gradIsAFreshTensorNotTheCallersGradient() {
        Tensor x = ones(3).requiresGrad_();
        Tensor g = ones(3);
        x.backward(g);
        assertNotSame(g, x.grad());
        x.backward(g);
        assertClose(new double[]{1, 1, 1}, g);
        assertClose(new double[]{2, 2, 2}, x.grad());
    }

    @Test
    void retainGradKeepsANonLeafGradient() {
        Tensor x = ones(2, 2).requiresGrad_();
        Tensor y = x.add(2);
        y.retainGrad();
        assertTrue(y.retainsGrad());
        y.mul(y).sum().backward();
        assertEquals("tensor([[6., 6.],\n        [6., 6.]])", y.grad().toString());
        assertEquals("tensor([[6., 6.],\n        [6., 6.]])", x.grad().toString());
        Tensor z = x.mul(2);
        z.mul(3).sum().backward();
        assertNull(z.grad(), "without retain_grad a non-leaf keeps no gradient");
        assertThrows(IllegalStateException.class, () -> ones(2).retainGrad());
    }

    // ---------------------------------------------------------------- backward's rules and errors

    @Test
    void nonScalarBackwardNeedsAGradient() {
        Tensor x = ones(3).requiresGrad_();
        Tensor y = x.mul(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertEquals("grad can be implicitly created only for scalar outputs", e.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> y.backward(ones(2)));
        assertEquals("Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).",
                shape.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> ones(3).sum().backward());
        assertEquals("element 0 of tensors does not require grad and does not have a grad_fn", none.getMessage());
    }

    @Test
    void backwardTwiceNeedsRetainGraph() {
        Tensor a = ones(3).requiresGrad_();
        Tensor c = a.sin().sum();
        c.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, c::backward);
        assertEquals("Trying to backward through the graph a second time (or directly access saved tensors after they have already "
                + "been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). "
                + "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access "
                + "saved tensors after calling backward.", e.getMessage());
        // nothing saved, nothing freed: PyTorch lets this run twice
        Tensor d = a.add(1).sum();
        a.setGrad(null);
        d.backward();
        d.backward();
        assertClose(new double[]{2, 2, 2}, a.grad());
        // retained: runs again
        a.setGrad(null);
        Tensor s = a.mul(a).sum();
        s.backward(null, true);
        s.backward();
        assertClose(new double[]{4, 4, 4}, a.grad());
    }

    @Test
    void writingIntoAViewOfATensorWithoutGradRecordsCopySlices() {
        // PyTorch 1.13 (golden/autograd/view_of_no_grad_base.py): the base takes CopySlices and the gradient flows
        Tensor x0 = arange(1, 13).to(float64).reshape(3, 4);
        Tensor x1 = tensor(new double[]{0.5, -1, 2, 3}, float64).requiresGrad_();
        Tensor y = x0.mul(1);
        y.narrow(0, 1, 1).copy_(x1.expand(1, 4).mul(x0.narrow(0, 2, 1)));
        assertTrue(y.requiresGrad());
        assertEquals("CopySlices", y.gradFn().name());
        y.get(0).mul_(x1);
        y.select(1, 2).exp_();
        y.mul(arange(12).to(float64).reshape(3, 4)).sum().backward();
        assertArrayEquals(new double[]{36, 52, 236604250265.2578, 96}, x1.grad().toDoubleArray(), 1e-3);

        Tensor z = zeros(new long[]{3}, float64);
        z.get(0).copy_(x1.sum());
        assertEquals("CopySlices", z.gradFn().name());
        z.sum().backward();
        assertArrayEquals(new double[]{37, 53, 236604250266.2578, 97}, x1.grad().toDoubleArray(), 1e-3);
    }

    @Test
    void inPlaceChangeOfASavedTensorIsReported() {
        Tensor x = ones(2, 2).requiresGrad_();
        Tensor y = x.exp();
        y.add_(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertEquals("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [2, 2]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead. "
                + "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
                + "torch.autograd.set_detect_anomaly(True).", e.getMessage());

        Tensor a = ones(3).requiresGrad_();
        Tensor b = a.mul(2);
        Tensor c = b.sin();
        b.add_(1);
        e = assertThrows(IllegalStateException.class, () -> c.sum().backward());
        assertEquals("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [3]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead. "
                + "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
                + "torch.autograd.set_detect_anomaly(True).", e.getMessage());

        Tensor leaf = ones(3).requiresGrad_();
        Tensor s = leaf.sin();
        try (var g = noGrad()) {
            leaf.add_(1);
        }
        e = assertThrows(IllegalStateException.class, () -> s.sum().backward());
        assertEquals("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [3]] is at version 1; expected version 0 instead. Hint: enable anomaly detection to find "
                + "the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).", e.getMessage());
    }

    @Test
    void inPlaceOnALeafThatRequiresGrad() {
        Tensor a = ones(3).requiresGrad_();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.add_(1));
        assertEquals("a leaf Variable that requires grad is being used in an in-place operation.", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> a.get(0).mul_(2));
        assertEquals("a view of a leaf Variable that requires grad is being used in an in-place operation.", e.getMessage());
        try (var g = noGrad()) {
            a.add_(1);  // the usual parameter update
        }
        assertClose(new double[]{2, 2, 2}, a);
    }

    @Test
    void inPlaceOpsAreDifferentiated() {
        Tensor x = tensor(new double[]{0.5, 1.0, 2.0}, float64).requiresGrad_();
        Tensor y = x.mul(2);
        y.mul_(3);
        assertEquals("MulBackward0", y.gradFn().name());
        y.exp_();
        assertEquals("ExpBackward0", y.gradFn().name());
        assertEquals(2, y.version());
        y.sum().backward();
        double[] xs = {0.5, 1.0, 2.0};
        double[] expect = new double[3];
        for (int i = 0; i < 3; i++) expect[i] = 6 * Math.exp(6 * xs[i]);
        assertClose(expect, x.grad());
        // exp_ saved its result: changing it again in place is reported, as in PyTorch
        Tensor z = x.mul(2);
        z.exp_();
        z.add_(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> z.sum().backward());
        assertTrue(e.getMessage().contains("[torch.DoubleTensor [3]], which is output 0 of ExpBackward0, is at version 2; expected version 1"),
                e.getMessage());
        Tensor r = x.sub(1).relu_();
        assertEquals("ReluBackward0", r.gradFn().name());
        assertEquals(0, ones(3).version());
    }

    @Test
    void inPlaceOnAViewRewritesItsBase() {
        Tensor x = tensor(new double[][]{{1, 2, 3}, {4, 5, 6}}, float64).requiresGrad_();
        Tensor y = x.mul(2);
        Tensor r = y.get(0);
        r.mul_(3);
        y.get(":, 2").exp_();
        assertEquals("CopySlices", y.gradFn().name());
        assertEquals("AsStridedBackward0", r.gradFn().name());
        Tensor w = tensor(new double[][]{{1, 2, 3}, {4, 5, 6}}, float64);
        y.mul(w).sum().backward();
        // PyTorch: [[6, 12, 1181879444.471949], [8, 10, 1953057.497028047]]
        assertClose(new double[]{6, 12, 3 * 2 * Math.exp(18) * 3, 8, 10, 2 * Math.exp(12) * 6}, x.grad());
        assertEquals(1181879444.471949, x.grad().toDoubleArray()[2], 1e-4);
        assertEquals(1953057.497028047, x.grad().toDoubleArray()[5], 1e-7);
    }

    // ---------------------------------------------------------------- grad_fn names

    @Test
    void nodeNamesFollowPyTorch() {
        Tensor x = rand(3, 4).requiresGrad_(), y = rand(3, 4).requiresGrad_(), v = rand(4).requiresGrad_();
        Tensor m = rand(4, 5).requiresGrad_(), b3 = rand(2, 3, 4).requiresGrad_();
        Object[][] cases = {
            {x.add(y), "AddBackward0"}, {x.add(2), "AddBackward0"}, {x.sub(y), "SubBackward0"}, {x.sub(2), "SubBackward0"},
            {x.rsub(2), "RsubBackward1"}, {x.mul(y), "MulBackward0"}, {x.mul(2), "MulBackward0"}, {x.div(y), "DivBackward0"},
            {x.div(2), "DivBackward0"}, {x.rdiv(2), "MulBackward0"}, {x.pow(2), "PowBackward0"}, {x.pow(y), "PowBackward1"},
            {x.rpow(2), "PowBackward2"}, {x.neg(), "NegBackward0"}, {x.abs(), "AbsBackward0"}, {x.exp(), "ExpBackward0"},
            {x.log(), "LogBackward0"}, {x.log1p(), "Log1PBackward0"}, {x.sqrt(), "SqrtBackward0"}, {x.sin(), "SinBackward0"},
            {x.tanh(), "TanhBackward0"}, {x.sigmoid(), "SigmoidBackward0"}, {x.exp2(), "Exp2Backward0"},
            {x.expm1(), "Expm1Backward0"}, {x.erfinv(), "ErfinvBackward0"}, {x.lgamma(), "LgammaBackward0"},
            {x.remainder(y), "RemainderBackward1"}, {x.remainder(2), "RemainderBackward0"}, {x.fmod(y), "FmodBackward1"},
            {x.fmod(2), "FmodBackward0"}, {x.div(y, "floor"), "DivBackward2"}, {x.maximum(y), "MaximumBackward0"},
            {x.atan2(y), "Atan2Backward0"}, {x.copysign(y), "CopysignBackward0"}, {x.copysign(2), "CopysignBackward1"},
            {where(x.gt(0.5), x, y), "WhereBackward0"}, {x.sum(), "SumBackward0"}, {x.sum(0), "SumBackward1"},
            {x.mean(), "MeanBackward0"}, {x.mean(0), "MeanBackward1"}, {x.prod(), "ProdBackward0"}, {x.prod(0), "ProdBackward1"},
            {x.max(), "MaxBackward1"}, {x.min(), "MinBackward1"}, {x.max(0).values(), "MaxBackward0"}, {x.min(1).values(), "MinBackward0"},
            {x.amax(0), "AmaxBackward0"}, {x.cumsum(0), "CumsumBackward0"}, {x.cumprod(1), "CumprodBackward0"},
            {x.mm(m), "MmBackward0"}, {x.matmul(m), "MmBackward0"}, {x.matmul(v), "MvBackward0"}, {v.matmul(m), "SqueezeBackward4"},
            {v.matmul(v), "DotBackward0"}, {b3.matmul(m), "UnsafeViewBackward0"}, {b3.bmm(b3.transpose(1, 2)), "BmmBackward0"},
            {cat(List.of(x, y)), "CatBackward0"}, {stack(x, y), "StackBackward0"}, {x.view(12), "ViewBackward0"},
            {x.reshape(12), "ViewBackward0"}, {x.t(), "TBackward0"}, {x.T(), "PermuteBackward0"},
            {x.transpose(0, 1), "TransposeBackward0"}, {x.permute(1, 0), "PermuteBackward0"}, {v.expand(3, 4), "ExpandBackward0"},
            {x.narrow(1, 1, 2), "SliceBackward0"}, {x.get(0), "SelectBackward0"}, {x.select(1, 0), "SelectBackward0"},
            {x.slice(1, 1, 4, 1), "SliceBackward0"}, {x.unsqueeze(0), "UnsqueezeBackward0"},
            {x.unsqueeze(0).squeeze(), "SqueezeBackward0"}, {x.unsqueeze(0).squeeze(0), "SqueezeBackward1"},
            {x.to(float64), "ToCopyBackward0"}, {x.clone(), "CloneBackward0"}, {x.t().contiguous(), "CloneBackward0"},
            {x.relu(), "ReluBackward0"}, {x.clamp(0.2, 0.8), "ClampBackward1"}, {x.clampMin(0.5), "ClampMinBackward0"},
            {x.clampMax(0.5), "ClampMaxBackward0"}, {x.clamp(y, y.add(1)), "ClampBackward0"}, {x.var(), "VarBackward0"},
            {x.std(0), "StdBackward0"}, {x.logsumexp(1), "LogsumexpBackward0"}, {x.norm(), "LinalgVectorNormBackward0"},
            {x.square(), "PowBackward0"}, {x.t().reshape(12), "UnsafeViewBackward0"},
            {x.sort(1, false).values(), "SortBackward0"}, {x.topk(2).values(), "TopkBackward0"}, {x.flip(0), "FlipBackward0"},
            {x.repeat(2, 1), "RepeatBackward0"}, {x.lerp(y, 0.5), "LerpBackward0"}, {x.lerp(y, y), "LerpBackward1"},
            {x.addcmul(y, y, 0.5), "AddcmulBackward0"}, {x.addcdiv(y, y.add(1), 0.5), "AddcdivBackward0"}, {x.frac(), "FracBackward0"},
            {x.logit(), "LogitBackward0"}, {x.xlogy(y), "XlogyBackward0"}, {x.maskedFill(x.gt(0.5), 0.0), "MaskedFillBackward0"},
            {x.maskedFill(x.gt(0.5), 0), "MaskedFillBackward0"}, {x.maskedFill(x.gt(0.5), y), "MaskedFillBackward1"},
            {x.split(2, 1).get(0), "SplitBackward0"}, {x.chunk(2, 1).get(1), "SplitBackward0"},
            {x.split(new long[]{1, 3}, 1).get(1), "SplitWithSizesBackward0"}, {x.unbind(0).get(1), "UnbindBackward0"},
            {x.fmax(y), "FmaxBackward0"}, {x.nansum(), "NansumBackward0"}, {x.get(tensor(new long[]{0})), "IndexBackward0"},
            {x.indexSelect(0, tensor(new long[]{0})), "IndexSelectBackward0"}, {x.gather(1, tensor(new long[][]{{0}, {1}, {2}})), "GatherBackward0"},
            {x.get(0).outer(y.get(0)), "MulBackward0"}, {dev.jtorch.nn.F.softmax(x, 1), "SoftmaxBackward0"},
            {dev.jtorch.nn.F.logSoftmax(x, 0), "LogSoftmaxBackward0"},
        };
        for (Object[] c : cases) assertEquals(c[1], ((Tensor) c[0]).gradFn().name());
    }

    // ---------------------------------------------------------------- grad mode

    @Test
    void gradModeGuardsNestAndRestore() {
        Tensor w = ones(3).requiresGrad_();
        assertTrue(isGradEnabled());
        try (var a = noGrad()) {
            assertFalse(w.mul(2).requiresGrad());
            try (var b = enableGrad()) {
                assertTrue(w.mul(2).requiresGrad());
            }
            assertFalse(isGradEnabled());
        }
        assertTrue(isGradEnabled());
        try (var g = setGradEnabled(false)) {
            assertFalse(w.mul(2).requiresGrad());
        }
        try (var g = inferenceMode()) {
            assertTrue(isInferenceModeEnabled());
            Tensor r = w.mul(2);
            assertFalse(r.requiresGrad());
            assertEquals("tensor([2., 2., 2.])", r.toString());
        }
        assertFalse(isInferenceModeEnabled());
        assertTrue(w.mul(2).requiresGrad());
    }

    @Test
    void gradModeIsPerThread() throws Exception {
        Tensor w = ones(3).requiresGrad_();
        boolean[] other = new boolean[1];
        try (var g = noGrad()) {
            Thread t = new Thread(() -> other[0] = w.mul(2).requiresGrad());
            t.start();
            t.join();
            assertFalse(w.mul(2).requiresGrad());
        }
        assertTrue(other[0], "another thread keeps grad mode on");
    }

    @Test
    void detachSharesDataButNotHistory() {
        Tensor w = tensor(new double[]{1, 2, 3}).requiresGrad_();
        Tensor d = w.detach();
        assertEquals("tensor([1., 2., 3.])", d.toString());
        assertFalse(d.requiresGrad());
        try (var g = noGrad()) {
            d.mul_(2);
        }
        assertClose(new double[]{2, 4, 6}, w);
        Tensor y = w.mul(3);
        y.detach_();
        assertNull(y.gradFn());
        assertFalse(y.requiresGrad());
        assertTrue(y.isLeaf());
    }

    // ---------------------------------------------------------------- hooks and autograd.grad

    @Test
    void tensorHooksSeeAndReplaceGradients() {
        Tensor w = tensor(new double[]{1, 2, 3}).requiresGrad_();
        Tensor h = w.clone();
        List<Tensor> seen = new ArrayList<>();
        h.registerHook(g -> { seen.add(g); return g.mul(10); });
        h.sum().backward();
        assertEquals(1, seen.size());
        assertClose(new double[]{10, 10, 10}, w.grad());

        AtomicInteger calls = new AtomicInteger();
        RemovableHandle handle = w.registerHook(g -> { calls.incrementAndGet(); return g.mul(2); });
        w.setGrad(null);
        w.sum().backward();
        assertClose(new double[]{2, 2, 2}, w.grad());
        handle.remove();
        w.setGrad(null);
        w.sum().backward();
        assertClose(new double[]{1, 1, 1}, w.grad());
        assertEquals(1, calls.get());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ones(2).registerHook(g -> g));
        assertEquals("cannot register a hook on a tensor that doesn't require gradient", e.getMessage());
    }

    @Test
    void retainGradSeesTheHookedGradient() {
        Tensor x = ones(2).requiresGrad_();
        Tensor y = x.mul(2);
        y.retainGrad();
        y.registerHook(g -> g.mul(3));
        y.sum().backward();
        assertClose(new double[]{3, 3}, y.grad());
        assertClose(new double[]{6, 6}, x.grad());
    }

    @Test
    void autogradGradReturnsWithoutAccumulating() {
        Tensor x = tensor(new double[]{1, 2}, float64).requiresGrad_();
        Tensor y = tensor(new double[]{3, 4}, float64).requiresGrad_();
        Tensor z = x.mul(y).sum();
        List<Tensor> g = autograd.grad(List.of(z), List.of(x, y), null, true, false, false);
        assertClose(new double[]{3, 4}, g.get(0));
        assertClose(new double[]{1, 2}, g.get(1));
        assertNull(x.grad());
        assertNull(y.grad());
        // a non-leaf input: the gradient arriving at it
        Tensor m = x.mul(2);
        Tensor out = m.pow(2).sum();
        assertClose(new double[]{4, 8}, autograd.grad(out, List.of(m)).get(0));
        Tensor unused = ones(2).requiresGrad_();
        Tensor z2 = x.sum();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> autograd.grad(z2, List.of(unused)));
        assertEquals("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this "
                + "is the desired behavior.", e.getMessage());
        List<Tensor> allowed = autograd.grad(List.of(x.sum()), List.of(x, unused), null, false, false, true);
        assertNull(allowed.get(1));
        e = assertThrows(IllegalArgumentException.class, () -> autograd.grad(x.sum(), List.of(ones(2))));
        assertEquals("One of the differentiated Tensors does not require grad", e.getMessage());
    }

    @Test
    void secondDerivativeOfCube() {
        // d²/dx² x³ = 6x
        Tensor x = tensor(new double[]{-1, 0.5, 2}, float64).requiresGrad_();
        Tensor y = x.pow(3).sum();
        Tensor dy = autograd.grad(y, List.of(x), true).get(0);
        assertClose(new double[]{3, 0.75, 12}, dy);
        assertTrue(dy.requiresGrad());
        Tensor d2 = autograd.grad(dy.sum(), List.of(x)).get(0);
        assertClose(new double[]{-6, 3, 12}, d2);
        // and through backward(createGraph): x.grad has a history
        Tensor t = tensor(2.0, float64).requiresGrad_();
        t.pow(3).backward(null, true, true);
        assertEquals(12.0, t.grad().item());
        assertTrue(t.grad().requiresGrad());
        Tensor g2 = autograd.grad(t.grad(), List.of(t)).get(0);
        assertEquals(12.0, g2.item());
    }

    @Test
    void thirdDerivative() {
        Tensor x = tensor(1.5, float64).requiresGrad_();
        Tensor y = x.sin();
        Tensor d1 = autograd.grad(y, List.of(x), true).get(0);
        Tensor d2 = autograd.grad(d1, List.of(x), true).get(0);
        Tensor d3 = autograd.grad(d2, List.of(x)).get(0);
        assertEquals(-Math.cos(1.5), d3.item(), 1e-12);
    }

    // ---------------------------------------------------------------- custom Function (the PyTorch tutorial's)

    static final class Exp extends Function {
        @Override public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor result = in[0].exp();
            ctx.saveForBackward(result);
            return result;
        }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... grad) {
            Tensor result = ctx.savedTensors()[0];
            return new Tensor[]{grad[0].mul(result)};
        }
    }

    /** P3(x) = (5x³ - 3x) / 2, from PyTorch's "Defining new autograd functions" tutorial. */
    static final class LegendrePolynomial3 extends Function {
        @Override public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].pow(3).mul(5).sub(in[0].mul(3)).mul(0.5);
        }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... grad) {
            Tensor input = ctx.savedTensors()[0];
            return new Tensor[]{grad[0].mul(1.5).mul(input.pow(2).mul(5).sub(1))};
        }
    }

    @Test
    void customExpFunction() {
        Tensor x = tensor(new double[]{0, 1, 2}, float64).requiresGrad_();
        Tensor y = new Exp().apply(x);
        assertEquals("ExpBackward", y.gradFn().name());
        assertTrue(y.toString().endsWith("grad_fn=<ExpBackward>)"), y.toString());
        y.sum().backward();
        assertClose(new double[]{1, Math.E, Math.exp(2)}, x.grad());
        assertTrue(GradCheck.gradcheck(in -> new Exp().apply(in[0]), tensor(new double[]{0.1, -0.3}, float64).requiresGrad_()));
        // the saved result is checked for in-place changes
        Tensor z = new Exp().apply(x);
        try (var g = noGrad()) {
            z.add_(1);
        }
        assertThrows(IllegalStateException.class, () -> z.sum().backward());
    }

    @Test
    void legendrePolynomialTutorialFitsASine() {
        // The tutorial fits y = a + b P3(c + d x) to sin(x) on [-pi, pi] with SGD.
        DTypeHolder.run();
    }

    /** The tutorial's training loop, in float64 with its constants. */
    static final class DTypeHolder {
        static void run() {
            Tensor x = linspace(-Math.PI, Math.PI, 2000, float64);
            Tensor y = x.sin();
            Tensor a = full(new long[0], 0.0, float64).requiresGrad_();
            Tensor b = full(new long[0], -1.0, float64).requiresGrad_();
            Tensor c = full(new long[0], 0.0, float64).requiresGrad_();
            Tensor d = full(new long[0], 0.3, float64).requiresGrad_();
            double learningRate = 5e-6;
            double loss0 = Double.NaN, loss = Double.NaN;
            LegendrePolynomial3 p3 = new LegendrePolynomial3();
            for (int t = 0; t < 2000; t++) {
                Tensor yPred = a.add(b.mul(p3.apply(c.add(d.mul(x)))));
                Tensor l = yPred.sub(y).pow(2).sum();
                if (t == 0) loss0 = l.item();
                loss = l.item();
                l.backward();
                try (var g = noGrad()) {
                    for (Tensor p : List.of(a, b, c, d)) {
                        p.sub_(p.grad().mul(learningRate));
                        p.setGrad(null);
                    }
                }
            }
            assertTrue(loss < loss0 / 10, "loss fell from " + loss0 + " to " + loss);
            assertTrue(loss < 20, "the tutorial ends near loss 8.8, got " + loss);
            assertTrue(GradCheck.gradcheck(in -> p3.apply(in[0]), tensor(new double[]{0.2, -0.7, 1.1}, float64).requiresGrad_()));
            assertTrue(GradCheck.gradgradcheck(in -> p3.apply(in[0]), tensor(new double[]{0.2, -0.7}, float64).requiresGrad_()));
        }
    }

    static final class AddOneInPlace extends Function {
        @Override public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.markDirty(in[0]);
            return in[0].add_(1);
        }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... grad) { return new Tensor[]{grad[0]}; }
    }

    static final class ScaleBy extends Function {
        @Override public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.set("k", 3.0);
            ctx.saveForBackward(in[1]);
            return in[0].mul(in[1]).mul(3);
        }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... grad) {
            double k = ctx.get("k");
            Tensor s = ctx.savedTensors()[0];
            return new Tensor[]{ctx.needsInputGrad(0) ? grad[0].mul(s).mul(k) : null, ctx.needsInputGrad(1) ? grad[0].mul(k) : null};
        }
    }

    @Test
    void customFunctionMarkDirtyAndNeedsInputGrad() {
        Tensor x = ones(3).requiresGrad_();
        Tensor y = x.mul(2);
        Tensor z = new AddOneInPlace().apply(y);
        assertSame(y, z);
        assertEquals("AddOneInPlaceBackward", z.gradFn().name());
        z.sum().backward();
        assertClose(new double[]{2, 2, 2}, x.grad());
        assertThrows(IllegalStateException.class, () -> new AddOneInPlace().apply(ones(2).requiresGrad_()));

        Tensor a = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor s = tensor(new double[]{5, 7});
        Tensor out = new ScaleBy().apply(a, s);
        out.sum().backward();
        assertClose(new double[]{15, 21}, a.grad());
        assertNull(s.grad());
    }

    static final class WrongCount extends Function {
        @Override public Tensor forward(FunctionCtx ctx, Tensor... in) { return in[0].mul(2); }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... grad) { return new Tensor[]{grad[0], grad[0]}; }
    }

    static final class WrongShape extends Function {
        @Override public Tensor forward(FunctionCtx ctx, Tensor... in) { return in[0].mul(2); }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... grad) { return new Tensor[]{ones(2)}; }
    }

    @Test
    void customFunctionGradientsAreValidated() {
        Tensor x = ones(3).requiresGrad_();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new WrongCount().apply(x).sum().backward());
        assertEquals("function WrongCountBackward returned an incorrect number of gradients (expected 1, got 2)", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new WrongShape().apply(x).sum().backward());
        assertEquals("Function WrongShapeBackward returned an invalid gradient at index 0 - got [2] but expected shape compatible with [3]",
                e.getMessage());
    }

    // ---------------------------------------------------------------- the engine's scale and memory

    @Test
    void aMillionOpChainDoesNotOverflowTheStack() {
        Tensor x = tensor(1.0).requiresGrad_();
        Tensor r = x;
        for (int i = 0; i < 1_000_000; i++) r = r.add(1);
        assertEquals(1_000_001.0, r.item());
        r.backward();
        assertEquals(1.0, x.grad().item());
    }

    @Test
    void releasedNodesHoldNoTensors() {
        Tensor w = randn(new long[]{4, 3}).requiresGrad_();
        Tensor x = randn(5, 4);
        Tensor h = x.matmul(w).tanh().exp();
        Tensor loss = h.mul(h).mean();
        List<Node> nodes = reachable(loss.gradFn());
        loss.backward();
        for (Node n : nodes) {
            if (n instanceof OpNode op) assertTrue(op.holdsNoTensors(), n.name() + " still holds tensors");
            if (n instanceof CompositeNode c) assertTrue(c.holdsNoTensors(), n.name() + " still holds its inner graph");
            if (n instanceof FunctionNode f) assertTrue(f.holdsNoTensors(), n.name() + " still holds tensors");
        }
        // retain_graph keeps them
        Tensor loss2 = x.matmul(w).tanh().sum();
        loss2.backward(null, true);
        boolean anyHeld = false;
        for (Node n : reachable(loss2.gradFn())) if (n instanceof OpNode op && !op.holdsNoTensors()) anyHeld = true;
        assertTrue(anyHeld);
    }

    @Test
    void nodesSaveOnlyWhatTheirFormulaReads() {
        Tensor x = randn(3).requiresGrad_();
        Tensor y = x.add(1).sum();
        for (Node n : reachable(y.gradFn())) if (n instanceof OpNode op) assertTrue(op.holdsNoTensors(), n.name() + " saves nothing");
    }

    private static List<Node> reachable(Node root) {
        List<Node> out = new ArrayList<>();
        java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        stack.push(root);
        seen.add(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            out.add(n);
            for (Edge e : n.next) if (e.function() != null && seen.add(e.function())) stack.push(e.function());
        }
        return out;
    }

    @Test
    void trainingLoopMemoryStaysFlat() {
        manualSeed(0);
        Tensor w1 = randn(new long[]{8, 16}).mul(0.1).requiresGrad_(), b1 = zeros(16).requiresGrad_();
        Tensor w2 = randn(new long[]{16, 1}).mul(0.1).requiresGrad_();
        Tensor x = randn(32, 8), target = randn(32, 1);
        Runtime rt = Runtime.getRuntime();
        long[] used = new long[2];
        for (int it = 0; it < 2000; it++) {
            Tensor h = x.matmul(w1).add(b1).relu();
            Tensor loss = h.matmul(w2).sub(target).pow(2).mean();
            loss.backward();
            try (var g = noGrad()) {
                for (Tensor p : List.of(w1, b1, w2)) {
                    p.sub_(p.grad().mul(0.01));
                    p.grad().zero_();
                }
            }
            if (it == 500 || it == 1999) {
                System.gc();
                used[it == 500 ? 0 : 1] = rt.totalMemory() - rt.freeMemory();
            }
        }
        assertTrue(used[1] < used[0] + 32L * 1024 * 1024, "heap grew from " + used[0] + " to " + used[1]);
    }

    @Test
    void accumulatorDoesNotOutliveItsGraphAndLeaf() {
        Tensor leaf = ones(1000).requiresGrad_();
        java.lang.ref.WeakReference<Tensor> ref = new java.lang.ref.WeakReference<>(leaf);
        Tensor y = leaf.mul(2).sum();
        y.backward();
        java.lang.ref.WeakReference<Node> node = new java.lang.ref.WeakReference<>(y.gradFn());
        leaf = null;
        y = null;
        for (int i = 0; i < 20 && (ref.get() != null || node.get() != null); i++) {
            System.gc();
            try { Thread.sleep(10); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
        assertNull(ref.get(), "the leaf is collected once neither it nor a graph over it is referenced");
        assertNull(node.get());
    }

    /** torch.unique records _unique2, which has no derivative (torch 1.13: grad_fn=<Unique2Backward0>, NotImplementedError). */
    @Test
    void uniqueRequiresGradButItsBackwardRefuses() {
        Tensor x = tensor(new double[]{3, 1, 3, 2}).requiresGrad_();
        Tensor u = unique(x);
        assertEquals("tensor([1., 2., 3.], grad_fn=<Unique2Backward0>)", u.toString());
        var e = assertThrows(UnsupportedOperationException.class, () -> u.sum().backward());
        assertEquals("the derivative for '_unique2' is not implemented.", e.getMessage());
        assertFalse(unique(x, true, true, true).inverse().requiresGrad());
    }
}
