package dev.jtorch;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * PyTorch's error texts, to the character (taken from PyTorch 2.11; the op goldens check many more). PyTorch's
 * IndexError is an {@link IndexOutOfBoundsException}, its NotImplementedError an
 * {@link UnsupportedOperationException}, its RuntimeError some other {@link RuntimeException}.
 */
class ErrorsTest {

    static void fails(Class<? extends RuntimeException> type, String message, Executable e) {
        RuntimeException ex = assertThrows(type, e);
        assertEquals(message, ex.getMessage());
    }

    static void fails(String message, Executable e) { fails(RuntimeException.class, message, e); }

    static Tensor m(long r, long c) { return arange(0, r * c, 1, float32).view(r, c); }

    @Test
    void broadcastMismatch() {
        fails("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1", () -> ones(2, 3).add(ones(3, 2)));
        fails("The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1", () -> ones(2, 4).mul(ones(3)));
        fails("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0",
                () -> ones(2, 3, 4).matmul(ones(3, 4, 5)));
        fails("The size of tensor a (4) must match the size of tensor b (2) at non-singleton dimension 1",
                () -> ones(new long[]{3, 4}, int64).mul_(ones(new long[]{2}, int64)));
        fails("output with shape [4] doesn't match the broadcast shape [3, 4]", () -> ones(4).add_(ones(3, 4)));
        fails("The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [3, 4].  "
                + "Tensor sizes: [2, 4]", () -> ones(2, 4).expand(3, 4));
    }

    @Test
    void badViewShapes() {
        fails("shape '[5, -1]' is invalid for input of size 12", () -> m(3, 4).view(5, -1));
        fails("shape '[5, 3]' is invalid for input of size 12", () -> m(3, 4).view(5, 3));
        fails("shape '[4, 2]' is invalid for input of size 6", () -> m(2, 3).reshape(4, 2));
        fails("only one dimension can be inferred", () -> m(2, 3).view(-1, -1));
        fails("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous "
                + "subspaces). Use .reshape(...) instead.", () -> m(3, 4).t().view(12));
        fails("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of "
                + "dimensions i.e. input.dim() = 3 is not equal to len(dims) = 2", () -> ones(2, 3, 4).permute(0, 1));
    }

    @Test
    void matrixProductShapeMismatch() {
        fails("mat1 and mat2 shapes cannot be multiplied (3x4 and 5x6)", () -> ones(3, 4).mm(ones(5, 6)));
        fails("mat1 and mat2 shapes cannot be multiplied (3x4 and 5x6)", () -> ones(3, 4).matmul(ones(5, 6)));
        fails("mat2 must be a matrix", () -> ones(3, 4).mm(ones(4)));
        fails("size mismatch, got input (3), mat (3x4), vec (5)", () -> ones(3, 4).mv(ones(5)));
        fails("inconsistent tensor size, expected tensor [5] and src [4] to have the same number of elements, but got 5 and 4 elements "
                + "respectively", () -> ones(5).dot(ones(4)));
        fails("Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [3, 4].", () -> ones(2, 3, 4).bmm(ones(3, 4, 5)));
        fails("both arguments to matmul need to be at least 1D, but they are 0D and 1D", () -> tensor(1.0).matmul(ones(3)));
        fails("expected m1 and m2 to have the same dtype, but got: float != double", () -> ones(3, 4).mm(ones(new long[]{4, 5}, float64)));
        fails("dot : expected both vectors to have same dtype, but found Float and Double", () -> ones(5).dot(ones(new long[]{5}, float64)));
    }

    @Test
    void itemOfManyElements() {
        fails("a Tensor with 12 elements cannot be converted to Scalar", () -> m(3, 4).item());
        fails("a Tensor with 0 elements cannot be converted to Scalar", () -> ones(0).item());
        assertEquals(5.0, m(3, 4).get(1, 1).item());
        assertEquals(7.0, tensor(new double[][]{{7}}).item(), "one element in any number of dims is fine");
    }

    @Test
    void dimsOutOfRange() {
        fails(IndexOutOfBoundsException.class, "Dimension out of range (expected to be in range of [-2, 1], but got 2)", () -> m(3, 4).sum(2));
        fails(IndexOutOfBoundsException.class, "Dimension out of range (expected to be in range of [-2, 1], but got -3)", () -> m(3, 4).sum(-3));
        fails(IndexOutOfBoundsException.class, "Dimension out of range (expected to be in range of [-3, 2], but got 3)", () -> m(2, 3).unsqueeze(3));
        fails(IndexOutOfBoundsException.class, "Dimension out of range (expected to be in range of [-1, 0], but got 1)", () -> tensor(5.0).sum(1));
        fails(IndexOutOfBoundsException.class, "Dimension out of range (expected to be in range of [-2, 1], but got 2)", () -> m(3, 4).transpose(0, 2));
        fails(IndexOutOfBoundsException.class, "Dimension out of range (expected to be in range of [-2, 1], but got -3)",
                () -> dev.jtorch.nn.F.softmax(m(3, 4), -3));
        fails(IndexOutOfBoundsException.class, "Dimension out of range (expected to be in range of [-2, 1], but got 2)", () -> m(3, 4).cumsum(2));
    }

    @Test
    void indicesOutOfRange() {
        fails(IndexOutOfBoundsException.class, "index 5 is out of bounds for dimension 0 with size 3", () -> m(3, 4).get(5));
        fails(IndexOutOfBoundsException.class, "index 3 is out of bounds for dimension 0 with size 3", () -> m(3, 4).get(3));
        fails(IndexOutOfBoundsException.class, "index 7 is out of bounds for dimension 1 with size 4", () -> m(3, 4).get(":, 7"));
        fails(IndexOutOfBoundsException.class, "select(): index 4 out of range for tensor of size [3, 4] at dimension 1", () -> m(3, 4).select(1, 4));
        fails("selected index k out of range", () -> m(3, 4).topk(5));
    }

    @Test
    void inPlaceDtypeMismatch() {
        fails("result type Float can't be cast to the desired output type Long", () -> ones(new long[]{3, 4}, int64).add_(ones(3, 4)));
        fails("result type Float can't be cast to the desired output type Long", () -> ones(new long[]{3}, int64).add_(1.5));
        fails("result type Float can't be cast to the desired output type Long", () -> ones(new long[]{3}, int64).mul_(1.5));
        fails("result type Double can't be cast to the desired output type Int", () -> ones(new long[]{3}, int32).add_(ones(new long[]{3}, float64)));
        fails("result type Long can't be cast to the desired output type Bool", () -> ones(new long[]{3}, bool).add_(ones(new long[]{3}, int64)));
        fails("result type Float can't be cast to the desired output type Long", () -> ones(new long[]{3}, int64).div_(ones(new long[]{3}, int64)));
        fails("result type Float can't be cast to the desired output type Long", () -> ones(new long[]{3}, int64).exp_());
        // the other way round is fine
        Tensor f = ones(3);
        f.add_(ones(new long[]{3}, int64));
        assertEquals(float32, f.dtype());
        Tensor i = ones(new long[]{3}, int64);
        i.add_(2);
        assertEquals(9, i.sum().itemLong());
    }

    @Test
    void unsupportedDtypes() {
        fails(UnsupportedOperationException.class, "\"bitwise_and_cpu\" not implemented for 'Float'", () -> ones(3).bitwiseAnd(ones(3)));
        fails(UnsupportedOperationException.class, "\"abs_cpu\" not implemented for 'Bool'", () -> ones(new long[]{3}, bool).abs());
        fails(UnsupportedOperationException.class, "\"hypot_cpu\" not implemented for 'Long'",
                () -> ones(new long[]{3}, int64).hypot(ones(new long[]{3}, int64)));
        fails(UnsupportedOperationException.class, "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'",
                () -> dev.jtorch.nn.F.softmax(ones(new long[]{2, 3}, int64), 1));
        fails("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long",
                () -> ones(new long[]{3}, int64).mean());
        fails("argmax(): does not support bool input", () -> ones(new long[]{3}, bool).argmax());
        fails("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.",
                () -> ones(new long[]{3}, bool).sub(ones(new long[]{3}, bool)));
        fails("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or "
                + "`logical_not()` operator instead.", () -> ones(new long[]{3}, bool).neg());
        fails("Integers to negative integer powers are not allowed.", () -> ones(new long[]{3}, int64).pow(-1));
        fails("For integral input tensors, argument alpha must not be a floating point number.",
                () -> ones(new long[]{3}, int64).add(ones(new long[]{3}, int64), 0.5));
        fails("value cannot be converted to type uint8_t without overflow", () -> full(new long[]{2}, -1.5, uint8));
    }

    @Test
    void joins() {
        fails("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.",
                () -> cat(List.of(ones(2, 3), ones(2, 4)), 0));
        fails("Tensors must have same number of dimensions: got 2 and 1", () -> cat(List.of(ones(2, 3), ones(3)), 0));
        fails("stack expects each tensor to be equal size, but got [3, 4] at entry 0 and [3, 5] at entry 1", () -> stack(ones(3, 4), ones(3, 5)));
        fails("split_with_sizes expects split_sizes to sum exactly to 4 (input tensor's size at dimension 1), but got split_sizes=[1, 2]",
                () -> ones(3, 4).split(new long[]{1, 2}, 1));
    }

    @Test
    void emptyReductions() {
        fails("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.",
                () -> ones(0).max());
        fails("upper bound and lower bound inconsistent with step sign", () -> arange(0, 10, -1));
    }
}
