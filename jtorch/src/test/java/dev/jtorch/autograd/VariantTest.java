package dev.jtorch.autograd;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Tensor;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.UnaryOp;
import org.junit.jupiter.api.Test;

/** The (op, variant) → grad_fn name table and the typed saved arguments' guard. */
class VariantTest {
    @Test
    void primaryNamesFollowPythonsTitleRule() {
        assertEquals("MulBackward0", Variant.gradFnName(BinaryOp.MUL, Variant.PRIMARY));
        assertEquals("Log1PBackward0", Variant.gradFnName(UnaryOp.LOG1P, Variant.PRIMARY));
        assertEquals("Exp2Backward0", Variant.gradFnName(UnaryOp.EXP2, Variant.PRIMARY));
        for (Op op : Op.values()) assertTrue(Variant.gradFnName(op, Variant.PRIMARY).endsWith("Backward0"), op.toString());
    }

    @Test
    void everyOverloadNamesItsOpAndANode() {
        for (Variant v : Variant.values()) {
            if (v == Variant.PRIMARY) continue;
            assertNotNull(v.op(), v.toString());
            assertTrue(Variant.gradFnName(v.op(), v).matches("[A-Z][A-Za-z0-9]*Backward[0-9s]|NotImplemented"), v.toString());
        }
    }

    @Test
    void binaryOverloadsFollowTheJavaNumberOperand() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_(), y = tensor(new double[]{3, 4}).requiresGrad_();
        assertEquals("PowBackward0", x.pow(2).gradFn().name());
        assertEquals("PowBackward1", x.pow(y).gradFn().name());
        assertEquals("RsubBackward1", x.rsub(2).gradFn().name());
        assertEquals("ClampMinBackward0", x.clampMin(0.5).gradFn().name());
        assertEquals("ReluBackward0", x.relu().gradFn().name());
        assertEquals("MaximumBackward0", x.maximum(y).gradFn().name());
        assertEquals("DivBackward2", x.div(y, "floor").gradFn().name());
        assertEquals("NotImplemented", x.floorDivide(y).gradFn().name());
        assertEquals("SumBackward0", x.sum().gradFn().name());
        assertEquals("SumBackward1", x.sum(new int[]{0}, false).gradFn().name());
        assertEquals("MaxBackward1", x.max().gradFn().name());
        assertEquals("AmaxBackward0", x.amax().gradFn().name());
    }

    @Test
    void reluAndClampMinDifferAtTheBound() {
        // both are a MAXIMUM with a Java number; at the bound relu passes no gradient, clamp_min does (PyTorch 1.13:
        // relu of [0, 1] gives grad [0, 1], clamp_min(0.5) of [0.5, 1] gives [1, 1]): the formula reads the overload
        Tensor x = tensor(new double[]{0, 1}).requiresGrad_();
        x.relu().sum().backward();
        assertArrayEquals(new double[]{0, 1}, x.grad().toDoubleArray());
        Tensor z = tensor(new double[]{0.5, 1}).requiresGrad_();
        z.clampMin(0.5).sum().backward();
        assertArrayEquals(new double[]{1, 1}, z.grad().toDoubleArray());
    }

    @Test
    void recordingWithTheWrongArgumentsKindIsAnInternalError() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor out = x.detach();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Graph.record(ReduceOp.SUM, Variant.PRIMARY, out, new Tensor[]{x}, SavedArgs.NONE));
        assertEquals("internal error: SUM recorded with NoArgs[], its formula reads Dims", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Graph.record(UnaryOp.EXP, Variant.SUM_DIM, out, new Tensor[]{x}, SavedArgs.NONE));
        assertEquals("internal error: SUM_DIM is not an overload of EXP", e.getMessage());
    }
}
