package dev.jtorch.nn;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * PyTorch's error texts for nn, to the character: ValueError is an {@link IllegalArgumentException}, IndexError an
 * {@link IndexOutOfBoundsException}, NotImplementedError an {@link UnsupportedOperationException}, RuntimeError some
 * other {@link RuntimeException}. Texts from PyTorch 1.13 runs, and from PyTorch 2.x's source where 2.x differs.
 */
class NnErrorsTest {

    static void fails(Class<? extends RuntimeException> type, String message, Executable e) {
        assertEquals(message, assertThrows(type, e).getMessage());
    }

    static void fails(String message, Executable e) { fails(RuntimeException.class, message, e); }

    private static final Tensor X = ones(3, 5);

    @Test
    void addmmChecksInAtensOrder() {
        Tensor a = ones(2, 3);
        // 2.x adds the dtypes to the two dtype messages (1.13: "self and mat2 must have the same dtype")
        fails("self and mat2 must have the same dtype, but got Double and Float", () -> addmm(ones(2, 4).float64(), a, ones(3, 4)));
        fails("mat1 and mat2 must have the same dtype, but got Double and Float", () -> addmm(ones(2, 4), a.float64(), ones(3, 4)));
        fails("mat1 must be a matrix, got 1-D tensor", () -> addmm(ones(2, 4), ones(3), ones(3, 4)));
        fails("mat2 must be a matrix, got 1-D tensor", () -> addmm(ones(2, 4), a, ones(3)));
        fails("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", () -> addmm(ones(2, 5), a, ones(4, 5)));
        fails("The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 4].  "
                + "Tensor sizes: [3]", () -> addmm(ones(3), a, ones(3, 4)));
        fails("expand(torch.FloatTensor{[2, 4, 1]}, size=[2, 4]): the number of sizes provided (2) must be greater or equal to the number of "
                + "dimensions in the tensor (3)", () -> addmm(ones(2, 4, 1), a, ones(3, 4)));
    }

    @Test
    void linear() {
        fails("both arguments to linear need to be at least 1D, but they are 0D and 2D", () -> F.linear(tensor(1.0), ones(2, 3)));
        fails("mat1 and mat2 shapes cannot be multiplied (2x4 and 3x2)", () -> F.linear(ones(2, 4), ones(2, 3)));
        fails("mat1 and mat2 shapes cannot be multiplied (2x4 and 3x2)", () -> new Linear(3, 2).forward(ones(2, 4)));
    }

    @Test
    void crossEntropyAndNllTargets() {
        fails(IllegalArgumentException.class, "Expected input batch_size (3) to match target batch_size (2).", () -> F.crossEntropy(X, tensor(new long[]{1, 2})));
        fails(IllegalArgumentException.class, "Expected input batch_size (3) to match target batch_size (0).", () -> F.crossEntropy(X, tensor(1L)));
        fails("expected scalar type Long but found Float", () -> F.crossEntropy(X, tensor(new double[]{1, 2, 3})));
        fails("expected scalar type Long but found Int", () -> F.nllLoss(X, tensor(new long[]{1, 2, 3}, int32)));
        fails(IndexOutOfBoundsException.class, "Target 7 is out of bounds.", () -> F.crossEntropy(X, tensor(new long[]{1, 2, 7})));
        fails(IndexOutOfBoundsException.class, "Target -3 is out of bounds.", () -> F.nllLoss(X, tensor(new long[]{1, 2, -3})));
        fails(IllegalArgumentException.class, "Expected input batch_size (3) to match target batch_size (1).", () -> F.crossEntropy(X, tensor(new long[][]{{1, 2, 3}})));
        fails("0D or 1D target tensor expected, multi-target not supported", () -> F.nllLoss(X, zeros(new long[]{3, 2}, int64)));
        fails(IllegalArgumentException.class, "foo is not a valid value for reduction", () -> F.crossEntropy(X, tensor(new long[]{1, 2, 3}), "foo"));
        fails("size mismatch (got input: [5], target: [1])", () -> F.nllLoss(ones(5), tensor(new long[]{1})));
        fails("Expected target to be 0D when input is 1D, but got target.dim =1", () -> F.nllLoss(ones(5), tensor(new long[]{1, 2, 3, 4, 0})));
        fails(IllegalArgumentException.class, "Expected 1 or more dimensions (got 0)", () -> F.nllLoss(tensor(1.0), tensor(1L)));
        fails("weight tensor should be defined either for all 5 classes or no classes but got weight tensor of shape: [4]",
                () -> F.crossEntropy(X, tensor(new long[]{1, 2, 3}), ones(4)));
        fails(UnsupportedOperationException.class, "\"nll_loss_out_frame\" not implemented for 'Long'",
                () -> F.nllLoss(ones(new long[]{3, 5}, int64), tensor(new long[]{1, 2, 3})));
    }

    @Test
    void spatialTargets() {
        Tensor x4 = ones(2, 3, 4, 5);
        fails("size mismatch (got input: [2, 3, 4, 5] , target: [2, 4, 4]", () -> F.nllLoss(x4, zeros(new long[]{2, 4, 4}, int64)));
        fails("only batches of spatial targets supported (3D tensors) but got targets of dimension: 2", () -> F.nllLoss(x4, zeros(new long[]{2, 4}, int64)));
        fails("weight tensor should be defined either for all or no classes", () -> F.nllLoss(x4, zeros(new long[]{2, 4, 5}, int64), ones(2)));
        fails("Expected target size [2, 4], got [2, 5]", () -> F.nllLoss(ones(2, 3, 4), zeros(new long[]{2, 5}, int64)));
        fails("Expected target size [2, 4, 5, 6], got [2, 4, 5]", () -> F.nllLoss(ones(2, 3, 4, 5, 6), zeros(new long[]{2, 4, 5}, int64)));
    }

    @Test
    void probabilityTargetsAndLabelSmoothing() {
        fails("Expected floating point type for target with class probabilities, got Long", () -> F.crossEntropy(X, zeros(new long[]{3, 5}, int64)));
        fails("ignore_index is not supported for floating point target", () -> F.crossEntropy(X, rand(3, 5), null, 1, "mean", 0.0));
        fails("label_smoothing must be between 0.0 and 1.0. Got: 1.5", () -> F.crossEntropy(X, tensor(new long[]{1, 2, 3}), 1.5));
        fails("label_smoothing must be between 0.0 and 1.0. Got: 1.5", () -> F.crossEntropy(X, rand(3, 5), 1.5));
        fails("cross_entropy: weight tensor should be defined either for all 5 classes or no classes but got weight tensor of shape: [2, 3]",
                () -> F.crossEntropy(X, rand(3, 5), ones(2, 3)));
    }

    @Test
    void dropoutAndMse() {
        fails(IllegalArgumentException.class, "dropout probability has to be between 0 and 1, but got 1.5", () -> F.dropout(X, 1.5));
        fails(IllegalArgumentException.class, "dropout probability has to be between 0 and 1, but got -1.0", () -> new Dropout(-1));
        fails("The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 1", () -> F.mseLoss(X, ones(3, 4)));
        fails(IllegalArgumentException.class, "bad is not a valid value for reduction", () -> new MSELoss("bad").forward(X, X));
    }

    @Test
    void init() {
        fails(IllegalArgumentException.class, "Mode foo not supported, please use one of ['fan_in', 'fan_out']",
                () -> Init.kaimingUniform_(empty(3, 2), 0, "foo", "leaky_relu"));
        fails(IllegalArgumentException.class, "Unsupported nonlinearity foo", () -> Init.calculateGain("foo"));
        fails(IllegalArgumentException.class, "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
                () -> Init.xavierUniform_(empty(3)));
        Tensor empty = empty(0, 3);
        assertSame(empty, Init.kaimingNormal_(empty), "zero-element tensors are left alone, with a warning");
    }
}
