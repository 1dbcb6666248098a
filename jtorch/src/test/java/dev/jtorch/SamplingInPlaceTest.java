package dev.jtorch;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The in-place samplers wired to the generator; expected text printed by PyTorch for
 * {@code torch.manual_seed(0); torch.empty(5).uniform_(-2, 3)} etc. (1.13 and 2.11 agree on these).
 */
class SamplingInPlaceTest {
    @Test
    void uniformNormalBernoulliMatchPyTorch() {
        manualSeed(0);
        assertEquals("tensor([ 0.4813,  1.8411, -1.5576, -1.3398, -0.4629])", empty(5).uniform_(-2, 3).toString());
        assertEquals("tensor([ 2.3840,  0.3680, -3.2304,  0.2877,  0.6846,  3.8873,  1.5321,  1.3329,\n"
                + "         2.7488,  0.7131,  0.7768, -0.2272,  3.5180,  5.0100,  1.1075,  2.2361,\n"
                + "         0.1744, -0.6821, -3.6321,  0.7954])", empty(20).normal_(1, 2).toString());
        assertEquals("tensor([0., 1., 0., 0., 0., 0.])", empty(6).bernoulli_(0.3).toString());
    }

    @Test
    void nonContiguousFillsInMemoryOrder() {
        manualSeed(0);
        // torch.empty(2, 3).t().uniform_(0, 1)
        assertEquals("tensor([[0.4963, 0.1320],\n        [0.7682, 0.3074],\n        [0.0885, 0.6341]])",
                empty(2, 3).t().uniform_(0, 1).toString());
    }

    @Test
    void leafRequiringGradIsRefusedAndIntegralDtypesRejected() {
        assertThrows(IllegalStateException.class, () -> zeros(3).requiresGrad_().uniform_(0, 1));
        assertThrows(IllegalArgumentException.class, () -> zeros(new long[]{3}, int64).normal_(0, 1));
    }
}
