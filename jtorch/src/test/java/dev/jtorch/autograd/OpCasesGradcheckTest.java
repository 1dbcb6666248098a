package dev.jtorch.autograd;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.ops.OpCases;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Gradcheck driven by the op-case table ({@code golden/ops/cases.txt}): every float64 case is run at the table's own
 * inputs, in their layouts, and its grad column decides what must hold. "yes": the result requires grad and
 * gradcheck passes; "no": the result does not require grad; "raises": the result requires grad and backward throws,
 * as PyTorch's does; "skip REASON": not checked, for that reason. Cases with
 * non-finite inputs (the sp domains) or an expanded input (its elements overlap in memory) are not generated: a
 * finite-difference check cannot hold there.
 */
class OpCasesGradcheckTest {

    /** Why a float64 case is not generated at all, or null. */
    private static String notCheckable(OpCases.Golden g) {
        for (OpCases.Input in : g.inputs()) {
            if (in.layout().equals("x")) return "an expanded input: its elements overlap in memory";
            for (String v : in.values()) if (!Double.isFinite(OpCases.parseDouble(v))) return "a non-finite input";
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> gradcheckTheTable() {
        List<DynamicTest> tests = new ArrayList<>();
        int differentiable = 0;
        for (OpCases.Golden g : OpCases.goldens()) {
            if (g.raises() || g.inputs().isEmpty()) continue;
            boolean f64 = true;
            for (OpCases.Input in : g.inputs()) f64 &= in.dtype() == DType.float64;
            OpCases.TableCase row = OpCases.row(g.name());
            if (!f64 || row.gradSkipReason() != null || notCheckable(g) != null) continue;
            OpCases.Call call = OpCases.call(g.key());
            assertNotNull(call, g.name() + ": no Java call for key " + g.key());
            if (row.differentiable()) differentiable++;
            tests.add(DynamicTest.dynamicTest(g.name() + ": " + g.expr(), () -> {
                Tensor[] in = OpCases.buildInputs(g);
                for (int i = 0; i < in.length; i++) in[i] = in[i].detach().requiresGrad_();
                List<Tensor> outs = OpCases.tensorsOf(call.apply(in));
                assertFalse(outs.isEmpty(), g.name() + ": no output");
                Tensor out = outs.getFirst();
                String where = g.name() + " (cases.txt:" + row.line() + ")";
                switch (row.grad()) {
                    case "no" -> assertFalse(out.requiresGrad(), where + " says grad 'no', but its result requires grad");
                    case "raises" -> {
                        assertTrue(out.requiresGrad(), where + " says grad 'raises', but its result does not require grad");
                        assertThrows(RuntimeException.class, () -> out.sum().backward(), where + " says grad 'raises', but backward ran");
                    }
                    default -> checkGradient(where, out, call, in);
                }
            }));
        }
        assertTrue(differentiable > 100, "too few differentiable float64 cases: " + differentiable);
        return tests.stream();
    }

    private static void checkGradient(String where, Tensor out, OpCases.Call call, Tensor[] in) {
        assertTrue(out.dtype().isFloatingPoint() && out.requiresGrad(),
                where + " says grad 'yes', but its result is " + out.dtype() + " without grad");
        assertTrue(GradCheck.gradcheck(x -> OpCases.tensorsOf(call.apply(x)).getFirst(), in));
    }
}
