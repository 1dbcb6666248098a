package dev.jtorch;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@code fromArray} wraps a Java array like {@code torch.from_numpy}: same memory, both ways. */
class FromArrayTest {

    @Test
    void writesToTheArrayShowInTheTensor() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = fromArray(data, 2, 3);
        assertEquals(float32, t.dtype());
        assertArrayEquals(new long[]{2, 3}, t.shape().toArray());
        data[4] = 50;
        assertEquals(50.0, t.get(1, 1).item());
        assertEquals(66.0, t.sum().item());
    }

    @Test
    void writesToTheTensorShowInTheArray() {
        double[] data = new double[6];
        Tensor t = fromArray(data, 3, 2);
        t.add_(1.0);
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1}, data);
        t.get(":, 1").fill_(9.0);
        assertArrayEquals(new double[]{1, 9, 1, 9, 1, 9}, data);
        t.t().get(0).mul_(2.0);
        assertArrayEquals(new double[]{2, 9, 2, 9, 2, 9}, data);
        t.copy_(tensor(new long[][]{{1, 2}, {3, 4}, {5, 6}}));
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, data);
        t.set(":1", 0);
        assertArrayEquals(new double[]{0, 0, 3, 4, 5, 6}, data);
    }

    @Test
    void viewsOfAWrappedArrayShareItToo() {
        int[] data = {1, 2, 3, 4, 5, 6, 7, 8};
        Tensor t = fromArray(data, 2, 4);
        Tensor v = t.view(4, 2).select(1, 0);
        v.fill_(0L);
        assertArrayEquals(new int[]{0, 2, 0, 4, 0, 6, 0, 8}, data);
        data[1] = -2;
        assertEquals(-2, t.get(0, 1).itemLong());
    }

    @Test
    void dtypeFollowsTheArrayType() {
        assertEquals(float32, fromArray(new float[2]).dtype());
        assertEquals(float64, fromArray(new double[2]).dtype());
        assertEquals(int64, fromArray(new long[2]).dtype());
        assertEquals(int32, fromArray(new int[2]).dtype());
        assertEquals(int16, fromArray(new short[2]).dtype());
        assertEquals(int8, fromArray(new byte[2]).dtype());
        assertEquals(bool, fromArray(new boolean[2]).dtype());
        assertEquals(uint8, fromArray(new byte[]{(byte) 200}, uint8).dtype());
        assertEquals(200, fromArray(new byte[]{(byte) 200}, uint8).itemLong());
        assertEquals(-56, fromArray(new byte[]{(byte) 200}).itemLong());
        short[] half = {Float.floatToFloat16(1.5f), Float.floatToFloat16(-2f)};
        Tensor h = fromArray(half, float16);
        assertEquals(float16, h.dtype());
        assertArrayEquals(new float[]{1.5f, -2f}, h.toFloatArray());
        h.mul_(2.0);
        assertEquals(3f, Float.float16ToFloat(half[0]));
    }

    @Test
    void shapes() {
        assertArrayEquals(new long[]{6}, fromArray(new float[6]).shape().toArray(), "no shape means 1-D");
        assertArrayEquals(new long[]{2, 3}, fromArray(new float[6], 2, -1).shape().toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fromArray(new float[6], 2, 4));
        assertEquals("shape '[2, 4]' is invalid for input of size 6", e.getMessage());
    }

    @Test
    void arrayReturnsTheSameArrayAndCopiesDoNot() {
        float[] data = {1, 2, 3, 4};
        Tensor t = fromArray(data, 2, 2);
        assertSame(data, t.array(), "array() is the backing array, like numpy()");
        assertSame(data, t.view(4).array());
        float[] copy = t.toFloatArray();
        assertNotSame(data, copy);
        copy[0] = 100;
        assertEquals(1.0, t.get(0, 0).item());
        assertThrows(IllegalStateException.class, () -> t.t().array(), "a non-contiguous view has no array of its own");
        assertThrows(IllegalStateException.class, () -> t.get(1).array(), "nor has a view of part of the array");
        Tensor fresh = ones(2, 2);
        ((float[]) fresh.array())[3] = 7;
        assertEquals(10.0, fresh.sum().item(), "array() of a tensor jtorch allocated shares memory too");
    }

    @Test
    void resultsOfOpsAreNewMemory() {
        float[] data = {1, 2};
        Tensor t = fromArray(data);
        Tensor r = t.add(1.0);
        r.fill_(0.0);
        assertArrayEquals(new float[]{1, 2}, data);
    }
}
