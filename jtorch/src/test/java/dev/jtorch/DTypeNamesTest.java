package dev.jtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The names PyTorch prints for each dtype, held by {@link DType} itself. */
class DTypeNamesTest {

    // PyTorch 1.13, for each dtype d and x = torch.zeros(2, 2, dtype=d): str(d), x.type(), the ScalarType name in
    // torch.where(x, x, x)'s or addmv's error, and the C++ type in torch.full((1,), 1e300, dtype=d)'s overflow error
    // ("-" where there is none; float16's and bfloat16's are 2.x's c10:: spelling, 1.13 printing at::Half).
    static final String[][] NAMES = {
        {"torch.bool", "torch.BoolTensor", "Bool", "bool"},
        {"torch.uint8", "torch.ByteTensor", "Byte", "uint8_t"},
        {"torch.int8", "torch.CharTensor", "Char", "int8_t"},
        {"torch.int16", "torch.ShortTensor", "Short", "int16_t"},
        {"torch.int32", "torch.IntTensor", "Int", "int"},
        {"torch.int64", "torch.LongTensor", "Long", "int64_t"},
        {"torch.float16", "torch.HalfTensor", "Half", "c10::Half"},
        {"torch.bfloat16", "torch.BFloat16Tensor", "BFloat16", "c10::BFloat16"},
        {"torch.float32", "torch.FloatTensor", "Float", "float"},
        {"torch.float64", "torch.DoubleTensor", "Double", "double"},
    };

    @Test
    void eachDtypeCarriesPyTorchsNames() {
        DType[] all = DType.values();
        assertEquals(NAMES.length, all.length);
        for (int i = 0; i < all.length; i++) {
            DType d = all[i];
            assertEquals(NAMES[i][0], d.toString());
            assertEquals(NAMES[i][1], Torch.zeros(new long[]{2, 2}, d).type());
            assertEquals(NAMES[i][1].replace("torch.", "torch.cuda."), d.tensorTypeName(true));
            assertEquals(NAMES[i][2], d.scalarTypeName());
            assertEquals(NAMES[i][3], d.cppTypeName());
        }
    }

    @Test
    void messagesUseTheNames() {
        Tensor x = Torch.zeros(new long[]{2, 2}, DType.int16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Torch.where(x, x, x));
        assertEquals("where expected condition to be a boolean tensor, but got a tensor with dtype Short", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Torch.full(new long[]{1}, 1e300, DType.int64));
        assertEquals("value cannot be converted to type int64_t without overflow", e.getMessage());
    }
}
