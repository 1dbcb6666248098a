package dev.jtorch.autograd;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Tensor;
import dev.jtorch.nn.F;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The custom backwards (softmax, log_softmax, vector_norm, var, std, clamp, polygamma, linalg.inv)
 * keep their tensors as saved tensors: modifying one in place before the backward raises PyTorch's
 * error, word for word. The messages and the inv gradient are PyTorch 1.13's, as
 * {@code golden/autograd/inplace_saved_messages.py} prints them.
 */
class CustomBackwardSavesTest {
    private static String modified(String type, String shape, String node) {
        return "one of the variables needed for gradient computation has been modified by an inplace operation: [torch." + type + " "
                + shape + "], which is output 0 of " + node + ", is at version 1; expected version 0 instead. Hint: enable anomaly "
                + "detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).";
    }

    /** {@code op} on a fresh non-leaf x; the returned output is modified in place, then backward must fail with {@code expected}. */
    private static void outputModified(Function<Tensor, Tensor> op, String expected) {
        Tensor x = tensor(new double[]{1, 2, 3}).to(float32).requiresGrad_();
        Tensor y = op.apply(x.mul(1));
        y.add_(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertEquals(expected, e.getMessage());
    }

    /** {@code op} on a non-leaf x that is then modified in place: backward must fail naming x's new node. */
    private static void inputModified(Function<Tensor, Tensor> op) {
        Tensor x0 = tensor(new double[]{1.5, 2, 3}).to(float32).requiresGrad_();
        Tensor x = x0.mul(1);
        Tensor y = op.apply(x);
        x.add_(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertEquals(modified("FloatTensor", "[3]", "AddBackward0"), e.getMessage());
    }

    @Test
    void softmaxResultModified() { outputModified(x -> F.softmax(x, 0), modified("FloatTensor", "[3]", "SoftmaxBackward0")); }

    @Test
    void logSoftmaxResultModified() { outputModified(x -> F.logSoftmax(x, 0), modified("FloatTensor", "[3]", "LogSoftmaxBackward0")); }

    @Test
    void vectorNormResultModified() { outputModified(Tensor::norm, modified("FloatTensor", "[]", "LinalgVectorNormBackward0")); }

    @Test
    void vectorNormInputModified() { inputModified(Tensor::norm); }

    @Test
    void varInputModified() { inputModified(Tensor::var); }

    @Test
    void stdResultModified() { outputModified(Tensor::std, modified("FloatTensor", "[]", "StdBackward0")); }

    @Test
    void stdInputModified() { inputModified(Tensor::std); }

    @Test
    void clampBoundModified() {
        Tensor x = tensor(new double[]{1, 2, 3}).to(float32).requiresGrad_();
        Tensor lo = tensor(new double[]{2, 2, 2}).to(float32).requiresGrad_();
        Tensor l = lo.mul(1);
        Tensor y = x.clamp(l, null);
        l.add_(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertEquals(modified("FloatTensor", "[3]", "AddBackward0"), e.getMessage());
    }

    @Test
    void polygammaInputModified() {
        // digamma's backward records polygamma(1, x), which saves x for the second derivative
        Tensor x0 = tensor(new double[]{1.5, 2, 3}).to(float32).requiresGrad_();
        Tensor x = x0.mul(1);
        Tensor g = autograd.grad(x.digamma().sum(), List.of(x), true).get(0);
        x.add_(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.sum().backward());
        assertEquals(modified("FloatTensor", "[3]", "AddBackward0"), e.getMessage());
    }

    @Test
    void invResultModified() {
        Tensor a = tensor(new double[][]{{2, 1}, {1, 3}}).to(float64).requiresGrad_();
        Tensor r = linalg.inv(a);
        r.mul_(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.sum().backward());
        assertEquals(modified("DoubleTensor", "[2, 2]", "LinalgInvExBackward0"), e.getMessage());
    }

    @Test
    void invGradientUnchangedAndFreedAfterBackward() {
        // grad of sum(inv(A)) = -inv(A)^T 1 inv(A)^T; for A = [[2, 1], [1, 3]], inv(A) = [[0.6, -0.2], [-0.2, 0.4]]
        Tensor a = tensor(new double[][]{{2, 1}, {1, 3}}).to(float64).requiresGrad_();
        Tensor r = linalg.inv(a);
        r.sum().backward();
        assertArrayEquals(new double[]{-0.16, -0.08, -0.08, -0.04}, a.grad().toDoubleArray(), 1e-12);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.sum().backward());
        assertEquals(SavedTensor.BACKWARD_TWICE, e.getMessage());
        assertTrue(((FunctionNode) r.gradFn()).holdsNoTensors());
    }
}
