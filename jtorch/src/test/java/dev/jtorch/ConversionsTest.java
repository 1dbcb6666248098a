package dev.jtorch;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtorch.nn.Linear;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The dtype conversions {@code x.float()}, {@code x.long()}, ... under their dtype names. */
class ConversionsTest {

    record Conversion(String pytorch, DType dtype, UnaryOperator<Tensor> method, String repr) {}

    // PyTorch 1.13: x = torch.tensor([0.0, 1.5, -2.75, 100.25]); repr(getattr(x, pytorch)())
    static final List<Conversion> CONVERSIONS = List.of(
            new Conversion("bool", bool, Tensor::bool, "tensor([False,  True,  True,  True])"),
            new Conversion("byte", uint8, Tensor::uint8, "tensor([  0,   1, 254, 100], dtype=torch.uint8)"),
            new Conversion("char", int8, Tensor::int8, "tensor([  0,   1,  -2, 100], dtype=torch.int8)"),
            new Conversion("short", int16, Tensor::int16, "tensor([  0,   1,  -2, 100], dtype=torch.int16)"),
            new Conversion("int", int32, Tensor::int32, "tensor([  0,   1,  -2, 100], dtype=torch.int32)"),
            new Conversion("long", int64, Tensor::int64, "tensor([  0,   1,  -2, 100])"),
            new Conversion("half", float16, Tensor::float16,
                    "tensor([  0.0000,   1.5000,  -2.7500, 100.2500], dtype=torch.float16)"),
            new Conversion("half", float16, Tensor::half,
                    "tensor([  0.0000,   1.5000,  -2.7500, 100.2500], dtype=torch.float16)"),
            new Conversion("bfloat16", bfloat16, Tensor::bfloat16,
                    "tensor([  0.0000,   1.5000,  -2.7500, 100.0000], dtype=torch.bfloat16)"),
            new Conversion("float", float32, Tensor::float32, "tensor([  0.0000,   1.5000,  -2.7500, 100.2500])"),
            new Conversion("double", float64, Tensor::float64,
                    "tensor([  0.0000,   1.5000,  -2.7500, 100.2500], dtype=torch.float64)"));

    @Test
    void eachDtypeHasItsConversion() {
        assertEquals(List.of(DType.values()), CONVERSIONS.stream().map(Conversion::dtype).distinct().toList());
        Tensor x = tensor(new float[]{0.0f, 1.5f, -2.75f, 100.25f});
        for (Conversion c : CONVERSIONS) {
            Tensor y = c.method().apply(x);
            assertEquals(c.dtype(), y.dtype(), c.pytorch());
            assertEquals(c.repr(), y.toString(), c.pytorch());
        }
    }

    @Test
    void moduleConversionsChangeFloatingPointParameters() {
        Linear l = new Linear(2, 1);
        l.half();
        assertEquals(float16, l.weight().dtype());
        l.float32();
        assertEquals(float32, l.weight().dtype());
        l.bfloat16();
        assertEquals(bfloat16, l.weight().dtype());
        l.float64();
        assertEquals(float64, l.weight().dtype());
        l.float16();
        assertEquals(float16, l.bias().dtype());
    }
}
