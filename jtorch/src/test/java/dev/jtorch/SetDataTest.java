package dev.jtorch;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** {@code x.data = y} and {@code x.data} against what PyTorch 1.13 prints for the same steps. */
class SetDataTest {

    @Test
    void takesTheDataKeepsTheAutogradIdentity() {
        Tensor x = ones(2).requiresGrad_();
        x.setData(zeros(new long[]{3}, float64));
        assertEquals("tensor([0., 0., 0.], dtype=torch.float64, requires_grad=True)", x.toString());
        assertTrue(x.isLeaf());
        assertArrayEquals(new long[]{1}, x.stride());
        assertEquals(0, x.version());

        Tensor w = ones(2).requiresGrad_().mul(2);
        w.setData(zeros(2));
        assertEquals("tensor([0., 0.], grad_fn=<MulBackward0>)", w.toString());

        Tensor strided = arange(0, 12, 1, float32).reshape(3, 4);
        Tensor y = ones(2);
        y.setData(strided.t().get(1));
        assertEquals("tensor([1., 5., 9.])", y.toString());
        assertArrayEquals(new long[]{4}, y.stride());
        assertEquals(1, y.storageOffset());
        y.fill_(-1.0);
        assertEquals(-1.0, strided.get(2, 1).item(), "the tensor now writes into the new storage");
    }

    @Test
    void viewsMadeBeforeKeepTheOldStorageAndShareTheVersion() {
        // y = torch.ones(2); y2 = y.view(2); y.data = torch.zeros(3); y.add_(1) -> y2 is tensor([1., 1.]), both _version 1
        Tensor y = ones(2);
        Tensor y2 = y.view(2);
        y.setData(zeros(3));
        assertEquals("tensor([0., 0., 0.])", y.toString());
        y.add_(1.0);
        assertEquals("tensor([1., 1.])", y2.toString());
        assertEquals(1, y.version());
        assertEquals(1, y2.version());
    }

    @Test
    void autogradUsesTheNewDataAndKeepsHooks() {
        // x = tensor([1., 2.], requires_grad=True); y = (x * x).sum(); x.data = tensor([3., 4.]); y.backward() -> x.grad [6., 8.]
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor y = x.mul(x).sum();
        x.setData(tensor(new double[]{3, 4}));
        y.backward();
        assertEquals("tensor([6., 8.])", x.grad().toString());

        // x.register_hook(lambda g: g * 10); x.data = tensor([5., 6., 7.]); (x * 2).sum().backward() -> [20., 20., 20.]
        Tensor h = tensor(new double[]{1, 2}).requiresGrad_();
        h.registerHook(g -> g.mul(10));
        h.setData(tensor(new double[]{5, 6, 7}));
        h.mul(2).sum().backward();
        assertEquals("tensor([20., 20., 20.])", h.grad().toString());
    }

    @Test
    void errorsAreTorchs() {
        Tensor x = ones(2).requiresGrad_();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.setData(tensor(new long[]{1, 2})));
        assertEquals("data set to a tensor that requires gradients must be floating point or complex dtype", e.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> x.setData(null));
        assertEquals("Variable data has to be a tensor, but got NoneType", n.getMessage());
        Tensor plain = ones(2);
        plain.setData(tensor(new long[]{1, 2}));
        assertEquals("tensor([1, 2])", plain.toString());
        assertEquals(int64, plain.dtype());
    }

    @Test
    void dataIsAnAliasWithItsOwnVersionCounter() {
        // z = torch.ones(2, requires_grad=True); d = z.data; d.add_(1) -> z._version 0, d._version 1, not a view
        Tensor z = ones(2).requiresGrad_();
        Tensor d = z.data();
        assertFalse(d.requiresGrad() || d.isView() || d.isParameter());
        assertNull(d.base());
        d.add_(1.0);
        assertEquals(0, z.version());
        assertEquals(1, d.version());
        assertEquals("tensor([2., 2.], requires_grad=True)", z.toString());
    }
}
