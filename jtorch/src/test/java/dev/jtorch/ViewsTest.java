package dev.jtorch;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Views share their base's storage: writes through either side show in the other, as in PyTorch. */
class ViewsTest {

    /** A tensor that owns its storage (not itself a view). */
    static Tensor base() { return arange(0, 24, 1, float32).reshape(2, 3, 4).clone(); }

    /** A view made by {@code f} shares memory with its base both ways, and reports its base. */
    static void assertSharesBothWays(String what, UnaryOperator<Tensor> f) {
        Tensor b = base();
        Tensor v = f.apply(b);
        assertTrue(v.isView(), what + " is a view");
        assertSame(b, v.base(), what + "'s base");
        // write through the view
        v.fill_(-1.0);
        double[] all = b.toDoubleArray();
        long changed = java.util.Arrays.stream(all).filter(x -> x == -1).count();
        assertEquals(v.numel() == 0 ? 0 : distinctElements(v), changed, what + ": writing the view writes the base");
        // write through the base
        b.fill_(7.0);
        for (double x : v.toDoubleArray()) assertEquals(7.0, x, what + ": writing the base shows in the view");
    }

    /** Elements of the base a view covers (an expanded view covers some more than once). */
    static long distinctElements(Tensor v) {
        java.util.Set<Long> offsets = new java.util.HashSet<>();
        long[] shape = v.shape().toArray(), stride = v.stride();
        long[] idx = new long[shape.length];
        long n = v.numel();
        for (long k = 0; k < n; k++) {
            long o = v.storageOffset();
            for (int d = 0; d < shape.length; d++) o += idx[d] * stride[d];
            offsets.add(o);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return offsets.size();
    }

    @Test
    void viewOpsShareStorage() {
        assertSharesBothWays("view", b -> b.view(6, 4));
        assertSharesBothWays("view(-1)", b -> b.view(-1));
        assertSharesBothWays("reshape of a contiguous tensor", b -> b.reshape(4, 6));
        assertSharesBothWays("transpose", b -> b.transpose(0, 2));
        assertSharesBothWays("permute", b -> b.permute(2, 0, 1));
        assertSharesBothWays("select", b -> b.select(1, 2));
        assertSharesBothWays("get(i)", b -> b.get(1));
        assertSharesBothWays("narrow", b -> b.narrow(2, 1, 2));
        assertSharesBothWays("slice with step", b -> b.slice(2, 0, 4, 2));
        assertSharesBothWays("basic indexing", b -> b.get(":, 1:, ::3"));
        assertSharesBothWays("unsqueeze", b -> b.unsqueeze(1));
        assertSharesBothWays("squeeze", b -> b.narrow(1, 0, 1).squeeze(1));
        assertSharesBothWays("flatten", b -> b.flatten());
        assertSharesBothWays("unflatten", b -> b.unflatten(2, 2, 2));
        assertSharesBothWays("mT", b -> b.mT());
        assertSharesBothWays("view of a view", b -> b.transpose(0, 1).select(0, 1).unsqueeze(0));
        assertSharesBothWays("expand", b -> b.narrow(0, 0, 1).expand(3, 3, 4));
    }

    @Test
    void detachSharesMemoryAndVersionButIsNoView() {
        // PyTorch: x.detach()._is_view() is False and x.detach()._base is None, yet memory and _version are shared
        Tensor b = base();
        Tensor d = b.detach();
        assertFalse(d.isView());
        assertNull(d.base());
        d.fill_(-1.0);
        assertEquals(-1.0, b.get(1, 2, 3).item());
        assertEquals(1, b.version());
        b.add_(1.0);
        assertEquals(2, d.version());
        assertEquals(0.0, d.get(0, 0, 0).item());
    }

    @Test
    void splitsAreViews() {
        Tensor b = base();
        List<Tensor> parts = b.chunk(2, 2);
        parts.get(1).fill_(0.0);
        assertArrayEquals(new double[]{0, 1, 0, 0}, b.select(0, 0).select(0, 0).toDoubleArray());
        List<Tensor> sp = b.split(new long[]{1, 2}, 1);
        sp.get(0).add_(100.0);
        assertEquals(100.0, b.get(0, 0, 0).item());
        List<Tensor> ub = b.unbind(0);
        ub.get(1).zero_();
        assertEquals(0.0, b.get(1).sum().item());
    }

    @Test
    void viewsHaveTheExpectedStridesAndOffsets() {
        Tensor b = base();
        assertArrayEquals(new long[]{12, 4, 1}, b.stride());
        Tensor t = b.transpose(0, 2);
        assertArrayEquals(new long[]{1, 4, 12}, t.stride());
        assertFalse(t.isContiguous());
        Tensor s = b.select(1, 2);
        assertEquals(8, s.storageOffset());
        assertArrayEquals(new long[]{12, 1}, s.stride());
        Tensor sl = b.slice(2, 1, 4, 2);
        assertEquals(1, sl.storageOffset());
        assertArrayEquals(new long[]{12, 4, 2}, sl.stride());
        Tensor e = b.narrow(0, 0, 1).expand(5, 3, 4);
        assertArrayEquals(new long[]{0, 4, 1}, e.stride());
    }

    @Test
    void copiesDoNotShare() {
        Tensor b = base();
        Tensor c = b.clone();
        c.fill_(1.0);
        assertEquals(0.0, b.get(0, 0, 0).item());
        assertFalse(c.isView());
        Tensor r = b.transpose(0, 2).reshape(-1); // not viewable: reshape copies
        r.fill_(5.0);
        assertEquals(0.0, b.get(0, 0, 0).item());
        Tensor cont = b.transpose(0, 1).contiguous();
        cont.fill_(3.0);
        assertEquals(1.0, b.get(0, 0, 1).item());
        assertSame(b, b.contiguous(), "contiguous() of a contiguous tensor is the tensor itself");
        Tensor conv = b.to(float64);
        conv.fill_(2.0);
        assertEquals(0.0, b.get(0, 0, 0).item());
        assertSame(b, b.to(float32), "to() the same dtype is the tensor itself");
    }

    @Test
    void inPlaceOpsThroughViewsUpdateTheBase() {
        Tensor b = zeros(3, 4);
        b.get(":, 1").add_(1.0);
        b.t().get(2).mul_(0.0).add_(5.0);
        b.select(0, 2).copy_(arange(0, 4, 1, float32));
        assertArrayEquals(new float[]{0, 1, 5, 0, 0, 1, 5, 0, 0, 1, 2, 3}, b.toFloatArray());
        Tensor x = arange(0, 6, 1, float32).view(2, 3);
        x.t().clamp_(1.0, 4.0);
        assertArrayEquals(new float[]{1, 1, 2, 3, 4, 4}, x.toFloatArray());
    }

    @Test
    void versionCounterIsSharedByViews() {
        Tensor b = zeros(4);
        Tensor v = b.view(2, 2);
        int before = b.version();
        v.add_(1.0);
        assertTrue(b.version() > before, "an in-place write through a view bumps the base's version");
        assertEquals(b.version(), v.version());
    }

    @Test
    void viewOfNonContiguousIsRefusedReshapeIsNot() {
        Tensor t = base().transpose(0, 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> t.view(24));
        assertEquals("view size is not compatible with input tensor's size and stride (at least one dimension spans across two "
                + "contiguous subspaces). Use .reshape(...) instead.", e.getMessage());
        Tensor r = t.reshape(24);
        assertNotSame(t, r);
        assertEquals(24, r.numel());
        // dims that stay together can still be viewed
        Tensor p = base().permute(1, 2, 0);
        Tensor merged = p.view(12, 2);
        assertTrue(merged.isView());
        assertArrayEquals(new long[]{1, 12}, merged.stride());
    }

    @Test
    void transposeInPlaceChangesOnlyMetadata() {
        Tensor x = arange(0, 6, 1, float32).view(2, 3);
        Tensor same = x.t_();
        assertSame(x, same);
        assertArrayEquals(new long[]{3, 2}, x.shape().toArray());
        assertArrayEquals(new float[]{0, 3, 1, 4, 2, 5}, x.toFloatArray());
    }
}
