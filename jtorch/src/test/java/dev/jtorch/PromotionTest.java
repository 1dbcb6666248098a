package dev.jtorch;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * PyTorch's type promotion (c10's table and result_type's categories), with Java numbers standing for
 * Python numbers: an {@code int}/{@code long} argument is a Python int, a {@code double} a Python float.
 * Expected dtypes and values are what PyTorch gives for the same expressions.
 */
class PromotionTest {

    static Tensor t(DType d, long... v) { return tensor(v, d); }

    static Tensor f(DType d, double... v) { return tensor(v, d); }

    @Test
    void javaScalarsPromoteLikePythonScalars() {
        Tensor i64 = tensor(new long[]{1, 2});
        assertEquals(float32, i64.add(2.5).dtype(), "int64 tensor + 2.5");
        assertArrayEquals(new float[]{3.5f, 4.5f}, i64.add(2.5).toFloatArray());
        assertEquals(int64, i64.add(1).dtype(), "int64 tensor + 1");
        assertArrayEquals(new long[]{2, 3}, i64.add(1).toLongArray());
        assertEquals(float32, i64.mul(2.0).dtype(), "int64 tensor * 2.0");
        assertEquals(int64, i64.mul(2).dtype(), "int64 tensor * 2");

        Tensor f16 = f(float16, 1, 2);
        assertEquals(float16, f16.add(1).dtype(), "float16 tensor + 1");
        assertEquals(float16, f16.mul(2.5).dtype(), "float16 tensor * 2.5");
        assertArrayEquals(new float[]{2.5f, 5f}, f16.mul(2.5).toFloatArray());
        assertEquals(bfloat16, f(bfloat16, 1).mul(2.5).dtype());

        Tensor u8 = t(uint8, 1, 2);
        assertEquals(uint8, u8.add(1).dtype(), "uint8 tensor + 1");
        assertArrayEquals(new long[]{45, 46}, u8.add(300).toLongArray(), "uint8 + 300 wraps in uint8");
        assertEquals(float32, u8.add(2.5).dtype());

        Tensor b = tensor(new boolean[]{true, false});
        assertEquals(int64, b.add(1).dtype(), "bool tensor + 1");
        assertEquals(float32, b.mul(2.5).dtype(), "bool tensor * 2.5");

        assertEquals(int8, t(int8, 100, 2).mul(2).dtype());
        assertArrayEquals(new long[]{-56, 4}, t(int8, 100, 2).mul(2).toLongArray(), "int8 * 2 wraps");
        assertEquals(int8, t(int8, 1, 2).mul(-1).dtype());
    }

    @Test
    void scalarOnTheLeft() {
        Tensor i64 = tensor(new long[]{1, 2, 3});
        assertEquals(int64, i64.rsub(1).dtype(), "1 - int64 tensor");
        assertArrayEquals(new long[]{0, -1, -2}, i64.rsub(1).toLongArray());
        assertEquals(float32, i64.rsub(2.5).dtype(), "2.5 - int64 tensor");
        assertEquals(int64, i64.rpow(2).dtype(), "2 ** int64 tensor");
        assertArrayEquals(new long[]{2, 4, 8}, i64.rpow(2).toLongArray());
        assertEquals(float32, i64.rdiv(2).dtype(), "2 / int64 tensor");
    }

    @Test
    void tensorTensorPromotion() {
        assertEquals(int16, t(uint8, 1).add(t(int8, 1)).dtype(), "uint8 + int8");
        assertEquals(float32, f(float16, 1).add(f(bfloat16, 1)).dtype(), "float16 + bfloat16");
        assertEquals(float16, t(int32, 1).add(f(float16, 1)).dtype(), "int32 + float16");
        assertEquals(float32, t(int64, 1).add(f(float32, 1)).dtype(), "int64 + float32");
        assertEquals(float64, f(float32, 1).add(f(float64, 1)).dtype(), "float32 + float64");
        assertEquals(int32, t(int16, 1).add(t(int32, 1)).dtype(), "int16 + int32");
        assertEquals(int64, t(int8, 1).sub(t(int64, 1)).dtype(), "int8 - int64");
        assertEquals(int16, t(uint8, 1).add(t(int16, 1)).dtype(), "uint8 + int16");
        assertEquals(int8, tensor(new boolean[]{true}).add(t(int8, 1)).dtype(), "bool + int8");
        assertEquals(float16, tensor(new boolean[]{true}).add(f(float16, 1)).dtype(), "bool + float16");
    }

    @Test
    void boolPlusBoolIsBool() {
        Tensor a = tensor(new boolean[]{true, true, false, false}), b = tensor(new boolean[]{true, false, true, false});
        Tensor s = a.add(b);
        assertEquals(bool, s.dtype());
        assertArrayEquals(new boolean[]{true, true, true, false}, s.toBooleanArray());
        Tensor m = a.mul(b);
        assertEquals(bool, m.dtype());
        assertArrayEquals(new boolean[]{true, false, false, false}, m.toBooleanArray());
    }

    @Test
    void integerDivisionGivesTheDefaultFloat() {
        Tensor q = t(int32, 1, 2, 3).div(t(int32, 2, 2, 2));
        assertEquals(float32, q.dtype(), "int32 / int32");
        assertArrayEquals(new float[]{0.5f, 1f, 1.5f}, q.toFloatArray());
        assertEquals(float32, t(int64, 3).div(2).dtype(), "int64 / 2");
        assertEquals(float32, tensor(new boolean[]{true}).div(tensor(new boolean[]{true})).dtype(), "bool / bool");
        assertEquals(float16, t(uint8, 3).div(f(float16, 2)).dtype(), "uint8 / float16");
        assertEquals(int64, t(int64, 7).div(2, "floor").dtype(), "int64 // 2 stays int64");
        assertArrayEquals(new long[]{-4}, t(int64, -7).div(2, "floor").toLongArray());
        assertArrayEquals(new long[]{-3}, t(int64, -7).div(2, "trunc").toLongArray());
    }

    @Test
    void zeroDimTensorsRankBelowDimensionedOnes() {
        // a 0-dim tensor of the same category does not raise the result type ...
        assertEquals(float32, tensor(1.0, float64).add(f(float32, 1, 2)).dtype(), "0-dim float64 + float32 tensor");
        assertEquals(uint8, tensor(5L).add(t(uint8, 1, 2)).dtype(), "0-dim int64 + uint8 tensor");
        assertEquals(float16, tensor(1.0, float32).mul(f(float16, 1, 2)).dtype(), "0-dim float32 * float16 tensor");
        assertArrayEquals(new long[]{-23, -22}, t(int8, 1, 2).add(tensor(1000L)).toLongArray(), "0-dim int64 + int8 tensor wraps in int8");
        // ... but one of a higher category sets it, keeping its own dtype (not the default one)
        assertEquals(float64, tensor(1.0, float64).add(t(int32, 1, 2)).dtype(), "0-dim float64 + int32 tensor");
        assertEquals(float16, tensor(1.0, float16).add(t(int64, 1, 2, 3)).dtype(), "0-dim float16 + int64 tensor");
        assertEquals(int32, tensor(1L, int32).add(tensor(new boolean[]{true})).dtype(), "0-dim int32 + bool tensor");
        // two 0-dim tensors promote normally, and a 1-element 1-D tensor counts as dimensioned
        assertEquals(float64, tensor(1.0, float64).add(tensor(1L, int32)).dtype(), "0-dim float64 + 0-dim int32");
        assertEquals(float64, tensor(1.0).add(tensor(1.0, float64)).dtype(), "0-dim float32 + 0-dim float64");
        assertEquals(float64, f(float64, 1).add(f(float32, 1, 2)).dtype(), "float64 [1] + float32 [2]");
        // a 0-dim tensor still outranks a Java scalar
        assertEquals(float16, f(float16, 1, 2).add(tensor(2.5, float64)).dtype());
        assertEquals(float32, t(int32, 1).add(tensor(1.5)).dtype(), "int32 tensor + 0-dim float32");
    }

    @Test
    void comparisonsAndLogicalOpsGiveBool() {
        assertEquals(bool, t(int64, 1, 2).lt(f(float32, 1.5, 1.5)).dtype());
        assertArrayEquals(new boolean[]{true, false}, t(int64, 1, 2).lt(f(float32, 1.5, 1.5)).toBooleanArray());
        assertArrayEquals(new boolean[]{false, true}, t(uint8, 200, 3).lt(t(int8, -56, 4)).toBooleanArray(), "compared in int16");
        assertEquals(bool, f(float32, 1, 0).logicalAnd(t(int64, 1, 1)).dtype());
        assertEquals(bool, t(int64, 2).eq(2).dtype());
    }

    @Test
    void reductionsOfIntegersAndBoolsGiveInt64() {
        assertEquals(int64, t(int32, 1, 2).sum().dtype());
        assertEquals(int64, t(uint8, 200, 100).sum().dtype());
        assertEquals(300, t(uint8, 200, 100).sum().itemLong());
        assertEquals(int64, tensor(new boolean[]{true, true, false}).sum().dtype());
        assertEquals(2, tensor(new boolean[]{true, true, false}).sum().itemLong());
        assertEquals(int64, t(int8, 1, 2).prod().dtype());
        assertEquals(int64, t(int16, 1, 2).cumsum(0).dtype());
        assertEquals(float16, f(float16, 1, 2).sum().dtype());
        assertEquals(float64, t(int32, 1, 2).sum(float64).dtype());
    }

    @Test
    void whereAndCatPromote() {
        Tensor c = tensor(new boolean[]{true, false});
        assertEquals(float32, where(c, t(int64, 1, 2), f(float32, 3, 4)).dtype());
        assertEquals(int64, where(c, t(int64, 1, 2), 0).dtype(), "where(c, int64 tensor, 0)");
        assertEquals(float32, where(c, t(int64, 1, 2), 0.0).dtype(), "where(c, int64 tensor, 0.0)");
        assertEquals(float32, cat(java.util.List.of(t(int64, 1, 2), f(float32, 3)), 0).dtype());
        assertEquals(int16, cat(java.util.List.of(t(uint8, 1), t(int8, 3)), 0).dtype());
    }

    @Test
    void defaultDtypeDecidesWhatPythonFloatsBecome() {
        DType old = getDefaultDtype();
        try {
            setDefaultDtype(float64);
            assertEquals(float64, tensor(new long[]{1, 2}).add(2.5).dtype());
            assertEquals(float64, tensor(new long[]{1, 2}).div(tensor(new long[]{1, 2})).dtype());
            assertEquals(float32, f(float32, 1).add(2.5).dtype(), "a float32 tensor keeps its dtype");
        } finally {
            setDefaultDtype(old);
        }
    }

    @Test
    void resultTypePromoteTypesCanCast() {
        assertEquals(float32, resultType(tensor(new long[]{1, 2}), tensor(2.5)));
        assertEquals(int16, promoteTypes(uint8, int8));
        assertEquals(float32, promoteTypes(float16, bfloat16));
        assertEquals(int64, promoteTypes(bool, int64));
        assertFalse(canCast(float32, int32));
        assertTrue(canCast(int32, float32));
        assertFalse(canCast(int64, bool));
        assertTrue(canCast(bool, uint8));
    }

    @Test
    void inPlaceOpsKeepTheirDtype() {
        Tensor f = f(float32, 1, 2);
        f.add_(t(int64, 1, 1));
        assertEquals(float32, f.dtype());
        assertArrayEquals(new float[]{2, 3}, f.toFloatArray());
        Tensor u = t(uint8, 250);
        u.add_(10);
        assertEquals(uint8, u.dtype());
        assertEquals(4, u.itemLong(), "uint8 += 10 wraps");
        Tensor i = t(int64, 3);
        i.mul_(2);
        assertEquals(6, i.itemLong());
    }
}
