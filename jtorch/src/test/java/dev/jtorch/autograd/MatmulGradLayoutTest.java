package dev.jtorch.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import org.junit.jupiter.api.Test;

/** Gradients of transposed matmul operands come out in the operand's own layout, with the float64 reference's values. */
class MatmulGradLayoutTest {
    @Test
    void transposedOperandsGetRowMajorLeafGradients() {
        Torch.manualSeed(0);
        Tensor x = Torch.randn(5, 3), w = Torch.randn(4, 3).requiresGrad_(), v = Torch.randn(5, 4).requiresGrad_();
        Tensor g = Torch.randn(5, 4), h = Torch.randn(4, 3);
        Tensor wt = w.t(), vt = v.t();
        // linear: the gradient of w.t() is (gᵀ x)ᵀ, so that w's own gradient is row-major with no copy
        Tensor gradWt = Torch.autograd.grad(java.util.List.of(x.mm(wt)), java.util.List.of(wt), java.util.List.of(g)).get(0);
        Tensor gradVt = Torch.autograd.grad(java.util.List.of(vt.mm(x)), java.util.List.of(vt), java.util.List.of(h)).get(0);
        assertTrue(gradWt.t().isContiguous(), "the gradient of w.t() is not laid out like w.t()");
        assertTrue(gradVt.t().isContiguous(), "the gradient of v.t() is not laid out like v.t()");
        x.mm(w.t()).backward(g);
        v.t().mm(x).backward(h);
        Tensor xd = x.to(DType.float64), gd = g.to(DType.float64), hd = h.to(DType.float64);
        assertClose(gd.t().mm(xd), w.grad());
        assertClose(xd.mm(hd.t()), v.grad());
        assertClose(gd.t().mm(xd).t(), gradWt);
    }

    @Test
    void secondOrderGradientsThroughTheTransposedLayoutAgreeWithFiniteDifferences() {
        Torch.manualSeed(1);
        Tensor x = Torch.randn(new long[]{3, 2}, DType.float64).requiresGrad_(), w = Torch.randn(new long[]{4, 2}, DType.float64).requiresGrad_();
        assertTrue(GradCheck.gradcheck(in -> in[0].mm(in[1].t()).pow(2).sum(), x, w));
        assertTrue(GradCheck.gradgradcheck(in -> in[0].mm(in[1].t()).pow(2).sum(), x, w));
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        double[] e = expected.toDoubleArray(), a = actual.to(DType.float64).toDoubleArray();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-5 * (1 + Math.abs(e[i])), "element " + i);
    }
}
