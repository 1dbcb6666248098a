package dev.jtorch.nn;

import static dev.jtorch.Torch.*;
import static dev.jtorch.autograd.GradCheck.gradcheck;
import static dev.jtorch.autograd.GradCheck.gradgradcheck;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Tensor;
import org.junit.jupiter.api.Test;

/** Finite-difference gradchecks in float64 (PyTorch's eps/atol/rtol) of nn's composite functions. */
class NnGradcheckTest {
    private static long seed = 100;

    private static Tensor n(long... shape) {
        manualSeed(seed++);
        return randn(shape, float64).requiresGrad_();
    }

    private static final Tensor TARGET = tensor(new long[]{2, 0, 4, 1});

    @Test
    void linearOnEveryPath() {
        Tensor w = n(3, 4), b = n(3);
        assertTrue(gradcheck(xs -> F.linear(xs[0], xs[1], xs[2]), n(2, 4), w, b), "addmm path");
        assertTrue(gradcheck(xs -> F.linear(xs[0], xs[1], xs[2]), n(2, 2, 4), w, b), "flattened path");
        assertTrue(gradcheck(xs -> F.linear(xs[0], xs[1], xs[2]), n(4), w, b), "1-D input");
        Tensor nonContiguous = n(4, 2, 2).detach().transpose(0, 2).requiresGrad_();
        assertFalse(nonContiguous.isContiguous());
        assertTrue(gradcheck(xs -> F.linear(xs[0], xs[1], xs[2]), nonContiguous, w, b), "matmul + bias path");
        assertTrue(gradcheck(xs -> F.linear(xs[0], xs[1]), n(2, 4), w), "no bias");
        assertTrue(gradgradcheck(xs -> F.linear(xs[0], xs[1], xs[2]), n(2, 4), w, b));
    }

    @Test
    void addmmWithScalesAndBroadcastInput() {
        assertTrue(gradcheck(xs -> addmm(xs[0], xs[1], xs[2], 0.5, -2.0), n(4), n(3, 2), n(2, 4)));
        assertTrue(gradcheck(xs -> addmm(xs[0], xs[1], xs[2]), n(3, 1), n(3, 2), n(2, 4)));
        assertTrue(gradcheck(xs -> addmm(xs[0], xs[1], xs[2]), n(3, 4), n(3, 2), n(2, 4)));
        // beta = 0 ignores the input's values, NaN included, and gives it a zero gradient (not None), as PyTorch
        Tensor input = full(new long[]{3, 4}, Double.NaN, float64).requiresGrad_();
        Tensor m1 = n(3, 2), m2 = n(2, 4);
        Tensor r = addmm(input, m1, m2, 0, 1);
        assertTrue(r.allclose(m1.matmul(m2)));
        r.sum().backward();
        assertTrue(input.grad().equal(zeros(new long[]{3, 4}, float64)));
    }

    @Test
    void crossEntropyVariants() {
        assertTrue(gradcheck(xs -> F.crossEntropy(xs[0], TARGET), n(4, 5)));
        assertTrue(gradcheck(xs -> F.crossEntropy(xs[0], TARGET, "none"), n(4, 5)));
        Tensor weight = rand(new long[]{5}, float64).add(0.5);
        assertTrue(gradcheck(xs -> F.crossEntropy(xs[0], tensor(new long[]{2, -100, 4, 1}), weight, -100, "mean", 0.0), n(4, 5)));
        assertTrue(gradcheck(xs -> F.crossEntropy(xs[0], tensor(new long[]{2, 3, 4, 1}), weight, 3, "sum", 0.15), n(4, 5)));
        assertTrue(gradcheck(xs -> F.crossEntropy(xs[0], TARGET, 0.2), n(4, 5)));
        Tensor probs = F.softmax(n(4, 5), 1).detach().requiresGrad_();
        assertTrue(gradcheck(xs -> F.crossEntropy(xs[0], xs[1]), n(4, 5), probs), "class probabilities, both differentiable");
        assertTrue(gradcheck(xs -> F.crossEntropy(xs[0], xs[1], weight, -100, "none", 0.1), n(4, 5), probs));
        assertTrue(gradcheck(xs -> F.crossEntropy(xs[0], tensor(new long[][]{{1, 0, 2}, {2, 2, 0}})), n(2, 3, 3)), "3-D input");
        assertTrue(gradgradcheck(xs -> F.crossEntropy(xs[0], TARGET), n(4, 5)));
    }

    @Test
    void nllLossVariants() {
        assertTrue(gradcheck(xs -> F.nllLoss(xs[0], TARGET), n(4, 5)));
        assertTrue(gradcheck(xs -> F.nllLoss(xs[0], tensor(3L)), n(5)), "1-D input");
        assertTrue(gradcheck(xs -> F.nllLoss(xs[0], tensor(new long[]{2, -100, 4, 1}), "none"), n(4, 5)));
        Tensor weight = rand(new long[]{3}, float64);
        assertTrue(gradcheck(xs -> F.nllLoss(xs[0], tensor(new long[][][]{{{1, 0}, {2, 2}}}), weight, -100, "mean"), n(1, 3, 2, 2)),
                "4-D input, weighted");
    }

    @Test
    void mseLossWithBroadcastTarget() {
        assertTrue(gradcheck(xs -> F.mseLoss(xs[0], xs[1]), n(3, 4), n(3, 4)));
        assertTrue(gradcheck(xs -> F.mseLoss(xs[0], xs[1], "sum"), n(3, 4), n(4)));
        assertTrue(gradcheck(xs -> F.mseLoss(xs[0], xs[1], "none"), n(3, 4), n(3, 1)));
        assertTrue(gradgradcheck(xs -> F.mseLoss(xs[0], xs[1]), n(3, 4), n(3, 4)));
    }

    @Test
    void dropoutGradientIsTheScaledMask() {
        manualSeed(3);
        Tensor x = n(50);
        manualSeed(3);
        Tensor y = F.dropout(x, 0.4);
        y.sum().backward();
        Tensor kept = y.ne(0).to(float64);
        assertTrue(x.grad().allclose(kept.div(0.6)));
        assertTrue(y.allclose(x.mul(kept).div(0.6)));
    }
}
